import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setToken } from '../../api/session';
import { json, mockFetch, problem } from '../../test/fetchMock';
import { renderWithProviders } from '../../test/render';
import { CsvPage } from './CsvPage';

const HEADER = 'sku,name,description,price_cents,stock,low_stock_threshold,reorder_quantity';

function csvFile(text: string) {
  return new File([text], 'catalogue.csv', { type: 'text/csv' });
}

// jsdom has no object URLs; record what the page hands to the download.
function captureDownloads() {
  const blobs: Blob[] = [];
  vi.stubGlobal('URL', Object.assign(URL, {
    createObjectURL: (blob: Blob) => {
      blobs.push(blob);
      return 'blob:download';
    },
    revokeObjectURL: () => undefined,
  }));
  return blobs;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('CsvPage', () => {
  it('checks a file without writing and lists each error with its line and field', async () => {
    setToken('admin-token');
    const csv = `${HEADER}\nMUG-01,Blue mug,,abc,1,5,10\n,Nameless,,100,1,5,10\n`;
    const { requests } = mockFetch(() =>
      json(200, {
        created: 0,
        updated: 0,
        errors: [
          { line: 2, field: 'price_cents', message: 'must be a whole number' },
          { line: 3, field: 'sku', message: 'must not be empty' },
        ],
      }),
    );
    renderWithProviders(<CsvPage />);
    const user = userEvent.setup();
    await user.upload(screen.getByLabelText('CSV file'), csvFile(csv));
    await user.click(screen.getByRole('button', { name: 'Check' }));

    const table = await screen.findByRole('table', { name: 'Errors in the file' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell').map((c) => c.textContent))).toEqual([
      ['2', 'price_cents', 'must be a whole number'],
      ['3', 'sku', 'must not be empty'],
    ]);
    expect(screen.getByText('2 errors; nothing was written.')).toBeTruthy();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.method).toBe('POST');
    expect(requests[0]!.path).toBe('/products/import?dry_run=true');
    expect(requests[0]!.headers['content-type']).toBe('text/csv');
    expect(requests[0]!.headers.authorization).toBe('Bearer admin-token');
    expect(requests[0]!.body).toBe(csv);
  });

  it('imports a valid file and reports what was created and updated', async () => {
    setToken('admin-token');
    const { requests } = mockFetch(() => json(200, { created: 2, updated: 1, errors: [] }));
    renderWithProviders(<CsvPage />);
    const user = userEvent.setup();
    await user.upload(screen.getByLabelText('CSV file'), csvFile(`${HEADER}\nA,a,,1,,0,0\n`));
    await user.click(screen.getByRole('button', { name: 'Import' }));
    expect((await screen.findByText(/Imported: created 2 and updated 1 products/)).textContent).toBeTruthy();
    expect(requests[0]!.path).toBe('/products/import?dry_run=false');
  });

  it('shows a refused file (too many rows) as an error', async () => {
    setToken('admin-token');
    mockFetch(() => problem(413, { title: 'Payload Too Large', detail: 'At most 10000 rows.' }));
    renderWithProviders(<CsvPage />);
    const user = userEvent.setup();
    await user.upload(screen.getByLabelText('CSV file'), csvFile(`${HEADER}\n`));
    await user.click(screen.getByRole('button', { name: 'Check' }));
    expect((await screen.findByRole('alert')).textContent).toContain('At most 10000 rows.');
  });

  it('downloads the catalogue and the orders of a day range with the token', async () => {
    setToken('admin-token');
    const blobs = captureDownloads();
    const { requests } = mockFetch(({ path }) =>
      path.startsWith('/products')
        ? new Response(`${HEADER}\nMUG-01,Blue mug,,1250,10,5,10\n`, { headers: { 'Content-Type': 'text/csv' } })
        : new Response('order_id,created_at\n', { headers: { 'Content-Type': 'text/csv' } }),
    );
    renderWithProviders(<CsvPage />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Export catalogue' }));
    await vi.waitFor(() => expect(blobs).toHaveLength(1));
    expect(await blobs[0]!.text()).toContain('MUG-01,Blue mug');

    const from = screen.getByLabelText('From');
    const to = screen.getByLabelText('To (inclusive)');
    await user.clear(from);
    await user.type(from, '2026-11-01');
    await user.clear(to);
    await user.type(to, '2026-11-30');
    await user.click(screen.getByRole('button', { name: 'Export orders' }));
    await vi.waitFor(() => expect(blobs).toHaveLength(2));

    expect(requests.map((r) => r.path)).toEqual([
      '/products/export.csv',
      `/orders/export.csv?from=${encodeURIComponent('2026-11-01T00:00:00Z')}&to=${encodeURIComponent('2026-12-01T00:00:00Z')}`,
    ]);
    expect(requests.every((r) => r.headers.authorization === 'Bearer admin-token')).toBe(true);
  });
});
