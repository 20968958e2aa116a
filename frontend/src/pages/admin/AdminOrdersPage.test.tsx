import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { setToken } from '../../api/session';
import { anOrder } from '../../test/fixtures';
import { json, mockFetch } from '../../test/fetchMock';
import { renderWithProviders } from '../../test/render';
import { AdminOrdersPage } from './AdminOrdersPage';

const ids = (n: number) => `99999999-9999-4999-8999-${String(n).padStart(12, '0')}`;

describe('AdminOrdersPage', () => {
  it('shows a dense table of everyone\'s orders with email, destination and count, page by page', async () => {
    setToken('admin');
    const { requests } = mockFetch(({ path }) => {
      const second = path.includes('cursor=');
      return json(200, {
        items: [anOrder({ id: ids(second ? 3 : 1) }), ...(second ? [] : [anOrder({ id: ids(2), shipping: null })])],
        next_cursor: second ? null : 'c2',
      });
    });
    renderWithProviders(<AdminOrdersPage />);
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByText('ada@example.com')).toBeTruthy();
    expect(within(rows[0]!).getByText('London, GB')).toBeTruthy();
    expect(within(rows[0]!).getByRole('link', { name: 'Order 00000001' }).getAttribute('href')).toBe(`/admin/orders/${ids(1)}`);
    expect(screen.getByRole('status').textContent).toBe('Orders 1–2, more older ones follow');
    expect(requests[0]?.path).toBe('/orders?scope=all&limit=25');

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Older →' }));
    await vi.waitFor(() => expect(screen.getByRole('status').textContent).toBe('Orders 26–26'));
    expect(requests.at(-1)?.path).toBe('/orders?scope=all&limit=25&cursor=c2');
    await user.click(screen.getByRole('button', { name: '← Newer' }));
    await vi.waitFor(() => expect(screen.getByRole('status').textContent).toBe('Orders 1–2, more older ones follow'));
  });

  it('filters by status, day range and search, and refuses a range that ends before it starts', async () => {
    setToken('admin');
    const { requests } = mockFetch(() => json(200, { items: [], next_cursor: null }));
    renderWithProviders(<AdminOrdersPage />);
    const user = userEvent.setup();
    await screen.findByText('No orders yet.');
    await user.selectOptions(screen.getByLabelText('Status'), 'confirmed');
    await user.type(screen.getByLabelText('From (day)'), '2026-12-01');
    await user.type(screen.getByLabelText('To (day, included)'), '2026-11-30');
    await user.type(screen.getByLabelText('Search'), 'ada@');
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    expect(screen.getByLabelText('To (day, included)').parentElement?.textContent).toContain(
      'The end date is before the start date.',
    );
    const before = requests.length;
    await user.clear(screen.getByLabelText('To (day, included)'));
    await user.type(screen.getByLabelText('To (day, included)'), '2026-12-01');
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    await vi.waitFor(() => expect(requests.length).toBeGreaterThan(before));
    expect(requests.at(-1)?.path).toBe(
      '/orders?scope=all&status=confirmed&from=2026-12-01T00%3A00%3A00Z&to=2026-12-02T00%3A00%3A00Z&q=ada%40&limit=25',
    );
    expect(await screen.findByText('No orders match these filters.')).toBeTruthy();
  });
});
