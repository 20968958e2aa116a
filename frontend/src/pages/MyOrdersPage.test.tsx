import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { setToken } from '../api/session';
import { anOrder } from '../test/fixtures';
import { json, mockFetch } from '../test/fetchMock';
import { renderWithProviders } from '../test/render';
import { MyOrdersPage } from './MyOrdersPage';

describe('MyOrdersPage', () => {
  it('shows lines and total but no summary: the summary is staff information', async () => {
    setToken('tok');
    let listCalls = 0;
    mockFetch(() => {
      listCalls += 1;
      return json(200, { items: [anOrder({ summary: null })], next_cursor: null });
    });
    renderWithProviders(<MyOrdersPage />);
    const card = await screen.findByRole('article');
    expect(within(card).getByText('Blue mug')).toBeTruthy();
    expect(within(card).getByTestId('order-total').textContent).toBe('$25.00');
    expect(card.querySelector('[data-summary-status]')).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(listCalls).toBe(1); // nothing pending to poll for
  }, 15_000); // it waits 2.5 s on purpose; the default 5 s leaves too little for a busy machine

  it('cancels a confirmed order', async () => {
    setToken('tok');
    let cancelled = false;
    const { requests } = mockFetch(({ method, path }) => {
      if (method === 'POST' && path.endsWith('/cancel')) {
        cancelled = true;
        return json(200, anOrder({ status: 'cancelled' }));
      }
      const order = anOrder({ status: cancelled ? 'cancelled' : 'confirmed', summary: null });
      return json(200, { items: [order], next_cursor: null });
    });
    renderWithProviders(<MyOrdersPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /Cancel order/ }));
    // Nothing happens until the customer confirms.
    expect(requests.some((r) => r.path.endsWith('/cancel'))).toBe(false);
    expect(screen.getByRole('group', { name: /Cancel order .*cannot be undone/ })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Yes, cancel order' }));
    expect(await screen.findByText('Cancelled')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Cancel order/ })).toBeNull();
    expect(requests.some((r) => r.path === '/orders/99999999-9999-4999-8999-999999999999/cancel')).toBe(true);
  });
});
