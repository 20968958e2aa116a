import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { setToken } from '../../api/session';
import { anOrder } from '../../test/fixtures';
import { json, mockFetch, problem } from '../../test/fetchMock';
import { renderWithProviders } from '../../test/render';
import { AdminOrdersPage } from './AdminOrdersPage';

describe('AdminOrdersPage', () => {
  it('lists everyone\'s orders with their summaries and fulfils one', async () => {
    setToken('admin');
    let fulfilled = false;
    const { requests } = mockFetch(({ method, path }) => {
      if (method === 'POST' && path.endsWith('/fulfil')) {
        fulfilled = true;
        return json(200, anOrder({ status: 'fulfilled' }));
      }
      const summary = {
        status: 'ready' as const,
        text: 'Routine order.',
        risk: 'low' as const,
        flags: [],
        model: 'test/model',
        updated_at: '2026-01-01T10:00:00Z',
      };
      return json(200, { items: [anOrder({ status: fulfilled ? 'fulfilled' : 'confirmed', summary })], next_cursor: null });
    });
    renderWithProviders(<AdminOrdersPage />);
    const card = await screen.findByRole('article');
    expect(within(card).getByText('Routine order.')).toBeTruthy();
    expect(requests[0]?.path).toBe('/orders?scope=all');
    await userEvent.setup().click(within(card).getByRole('button', { name: /Fulfil order/ }));
    expect(await within(card).findByText('Fulfilled')).toBeTruthy();
    expect(within(card).queryByRole('button')).toBeNull();
  });

  it('shows a 409 from fulfil as an alert', async () => {
    setToken('admin');
    mockFetch(({ method }) =>
      method === 'POST'
        ? problem(409, { title: 'Conflict', detail: 'Only a confirmed order can be fulfilled.' })
        : json(200, { items: [anOrder({ summary: { status: 'failed', text: null, risk: null, flags: [], model: null, updated_at: null } })], next_cursor: null }),
    );
    renderWithProviders(<AdminOrdersPage />);
    await userEvent.setup().click(await screen.findByRole('button', { name: /Fulfil order/ }));
    expect((await screen.findByRole('alert')).textContent).toContain('Only a confirmed order can be fulfilled.');
    expect(screen.getByText(/Summary failed/)).toBeTruthy();
  });
});
