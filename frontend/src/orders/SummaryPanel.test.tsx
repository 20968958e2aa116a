import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { setToken } from '../api/session';
import type { Order, OrderSummary } from '../api/model';
import { OrderPage } from '../pages/OrderPage';
import { AdminOrderPage } from '../pages/admin/AdminOrderPage';
import { anOrder } from '../test/fixtures';
import { json, mockFetch, problem, type RecordedRequest } from '../test/fetchMock';
import { renderWithProviders } from '../test/render';

const at = '2026-01-01T10:00:00Z';
const ready: OrderSummary = {
  status: 'ready',
  text: 'First order from this customer; the kettle line is now out of stock.',
  risk: 'high',
  flags: [
    { code: 'stock_out', detail: 'No stock left after this order: KETTLE-1.' },
    { code: 'first_order', detail: 'No earlier order.' },
  ],
  model: 'openai/gpt-4o-mini',
  updated_at: at,
};

/** The staff order page with one order whose answers come from `handler`. */
function renderStaffOrder(handler: (request: RecordedRequest) => Response) {
  setToken('admin-token');
  const mock = mockFetch((request) => {
    if (request.path.endsWith('/events')) return json(200, { items: [] });
    return handler(request);
  });
  const order = anOrder();
  renderWithProviders(
    <Routes>
      <Route path="/admin/orders/:id" element={<AdminOrderPage />} />
    </Routes>,
    { route: `/admin/orders/${order.id}` },
  );
  return mock;
}

const withSummary = (summary: OrderSummary | null): Order => anOrder({ summary });

async function panel() {
  await screen.findByRole('heading', { name: 'AI summary' });
  return document.querySelector('[data-slot="summary-panel"]') as HTMLElement;
}

describe('SummaryPanel on the staff order page', () => {
  it('shows risk and each flag as a badge with a readable label, the text and the model', async () => {
    renderStaffOrder(() => json(200, withSummary(ready)));
    const p = await panel();
    expect(within(p).getByTestId('summary-risk').textContent).toBe('High risk');
    const flags = within(p).getByRole('list', { name: 'Flags' });
    expect(within(flags).getAllByRole('listitem').map((li) => li.querySelector('.badge')?.textContent)).toEqual([
      'Out of stock',
      'First order',
    ]);
    expect(within(flags).getByText('No stock left after this order: KETTLE-1.')).toBeTruthy();
    expect(within(p).getByText(ready.text as string)).toBeTruthy();
    expect(within(p).getByTestId('summary-model').textContent).toBe('openai/gpt-4o-mini');
    expect(p.querySelector('[data-summary-status="ready"]')).toBeTruthy();
    expect((within(p).getByRole('button', { name: 'Write again' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('says when a plain-text answer left the risk unrated, and an unknown flag code still reads as words', async () => {
    renderStaffOrder(() =>
      json(200, withSummary({ ...ready, risk: null, flags: [{ code: 'odd_new_rule', detail: 'Something new.' }] })),
    );
    const p = await panel();
    expect(within(p).getByTestId('summary-risk').textContent).toBe('Risk not rated');
    expect(within(p).getByText('Odd new rule')).toBeTruthy();
  });

  it('while pending: says it is being written and cannot be asked for again', async () => {
    renderStaffOrder(() => json(200, withSummary({ ...ready, status: 'pending', text: null, risk: null, flags: [], model: null, updated_at: at })));
    const p = await panel();
    expect(within(p).getByRole('status').textContent).toContain('being written');
    expect((within(p).getByRole('button', { name: 'Write again' }) as HTMLButtonElement).disabled).toBe(true);
    expect(within(p).queryByTestId('summary-risk')).toBeNull();
  });

  it.each([
    ['failed', /Summary failed: the AI provider could not write it/],
    ['disabled', /Summaries are disabled: no AI provider is configured/],
    ['skipped', /Summary skipped: the order was cancelled before it was written, or the day's AI budget is spent/],
  ] as const)('says plainly what %s means, and keeps the flags', async (status, words) => {
    renderStaffOrder(() => json(200, withSummary({ ...ready, status, text: null, risk: null, model: null })));
    const p = await panel();
    expect(within(p).getByText(words)).toBeTruthy();
    expect(p.querySelector(`[data-summary-status="${status}"]`)).toBeTruthy();
    expect(within(p).getByText('Out of stock')).toBeTruthy();
    expect(within(p).queryByTestId('summary-risk')).toBeNull();
    expect((within(p).getByRole('button', { name: 'Write again' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('"Write again" asks for a new summary and follows it from pending to ready', async () => {
    let state: 'failed' | 'pending' | 'ready' = 'failed';
    let readsWhilePending = 0;
    const failed = { ...ready, status: 'failed' as const, text: null, risk: null, model: null };
    const pending = { ...failed, status: 'pending' as const };
    const { requests } = renderStaffOrder(({ method }) => {
      if (method === 'POST') {
        state = 'pending';
        return json(202, withSummary(pending));
      }
      if (state === 'pending') {
        readsWhilePending += 1;
        // The second read after the request finds the summary written.
        if (readsWhilePending >= 2) state = 'ready';
        return json(200, withSummary(pending));
      }
      return json(200, withSummary(state === 'ready' ? ready : failed));
    });
    const p = await panel();
    fireEvent.click(within(p).getByRole('button', { name: 'Write again' }));
    expect(await within(p).findByText(/being written/)).toBeTruthy();
    expect((within(p).getByRole('button', { name: 'Write again' }) as HTMLButtonElement).disabled).toBe(true);
    expect(await within(p).findByText(ready.text as string, undefined, { timeout: 10_000 })).toBeTruthy();
    expect(within(p).getByTestId('summary-risk').textContent).toBe('High risk');
    const posts = requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.path)).toEqual([`/orders/${anOrder().id}/summary`]);
    // The timeline is read again once the summary has settled, to show its outcome.
    const lastPendingRead = requests.map((r) => r.path).lastIndexOf(`/orders/${anOrder().id}`);
    await waitFor(() =>
      expect(requests.slice(lastPendingRead).some((r) => r.path === `/orders/${anOrder().id}/events`)).toBe(true),
    );
  }, 15_000);

  it('shows a 409 beside the button', async () => {
    renderStaffOrder(({ method }) =>
      method === 'POST'
        ? problem(409, { title: 'Conflict', detail: 'The summary is being written already.' })
        : json(200, withSummary({ ...ready, status: 'failed', text: null })),
    );
    const p = await panel();
    fireEvent.click(within(p).getByRole('button', { name: 'Write again' }));
    expect((await within(p).findByRole('alert')).textContent).toContain('being written already');
  });
});

describe('the customer', () => {
  it('never sees a summary on their order page, even if one were sent', async () => {
    setToken('customer-token');
    mockFetch(() => json(200, withSummary(ready)));
    const order = anOrder();
    renderWithProviders(
      <Routes>
        <Route path="/orders/:id" element={<OrderPage />} />
      </Routes>,
      { route: `/orders/${order.id}` },
    );
    await screen.findByRole('heading', { name: /Order/ });
    await waitFor(() => expect(screen.getByText('Blue mug')).toBeTruthy());
    expect(document.querySelector('[data-summary-status]')).toBeNull();
    expect(screen.queryByText(ready.text as string)).toBeNull();
    expect(screen.queryByText('Out of stock')).toBeNull();
  });
});
