import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { setToken } from '../api/session';
import type { Order } from '../api/types';
import { anOrder } from '../test/fixtures';
import { json, mockFetch } from '../test/fetchMock';
import { renderWithProviders } from '../test/render';
import { MyOrdersPage } from './MyOrdersPage';

describe('MyOrdersPage', () => {
  it('shows lines and total, and polls while the summary is pending until it is ready', async () => {
    setToken('tok');
    let listCalls = 0;
    mockFetch(() => {
      listCalls += 1;
      const summary: Order['summary'] =
        listCalls < 2
          ? { status: 'pending', text: null, updated_at: null }
          : { status: 'ready', text: 'Two blue mugs; stock is fine.', updated_at: '2026-01-01T10:00:05Z' };
      return json(200, { items: [anOrder({ summary })], next_cursor: null });
    });
    renderWithProviders(<MyOrdersPage />);
    const card = await screen.findByRole('article');
    expect(within(card).getByText('Blue mug')).toBeTruthy();
    expect(within(card).getByTestId('order-total').textContent).toBe('$25.00');
    expect(within(card).getByText(/being written/)).toBeTruthy();
    expect(await within(card).findByText('Two blue mugs; stock is fine.', {}, { timeout: 5000 })).toBeTruthy();
    const callsWhenReady = listCalls;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(listCalls).toBe(callsWhenReady); // no more polling once ready
  });

  it('cancels a confirmed order', async () => {
    setToken('tok');
    let cancelled = false;
    const { requests } = mockFetch(({ method, path }) => {
      if (method === 'POST' && path.endsWith('/cancel')) {
        cancelled = true;
        return json(200, anOrder({ status: 'cancelled' }));
      }
      const order = anOrder({
        status: cancelled ? 'cancelled' : 'confirmed',
        summary: { status: 'disabled', text: null, updated_at: null },
      });
      return json(200, { items: [order], next_cursor: null });
    });
    renderWithProviders(<MyOrdersPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /Cancel order/ }));
    expect(await screen.findByText('Cancelled')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Cancel order/ })).toBeNull();
    expect(screen.getByText(/Summary disabled/)).toBeTruthy();
    expect(requests.some((r) => r.path === '/orders/99999999-9999-4999-8999-999999999999/cancel')).toBe(true);
  });
});
