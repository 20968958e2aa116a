import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setToken } from '../api/session';
import type { PurchaseOrder, RestockSuggestion } from '../api/restock';
import { App } from '../App';
import { aProduct } from '../test/fixtures';
import { json, mockFetch, problem, type RecordedRequest } from '../test/fetchMock';
import { renderWithProviders } from '../test/render';

const admin = { id: 'a1', email: 'boss@shop.local', role: 'admin', created_at: '2026-01-01T00:00:00Z' };
const PO_ID = '0190aaaa-0000-7000-8000-00000000b0b0';

const kettle: RestockSuggestion = {
  product_id: 'p-kettle',
  sku: 'KETTLE-1',
  name: 'Kettle',
  stock: 1,
  incoming: 0,
  daily_sales: 1.5,
  days_of_cover: 0.6666,
  suggested_quantity: 41,
  reason: '0.7 days of cover, under 14 days of sales; stock 1 at or below its threshold of 5',
};
const lamp: RestockSuggestion = {
  product_id: 'p-lamp',
  sku: 'LAMP-1',
  name: 'Lamp',
  stock: 2,
  incoming: 0,
  daily_sales: 0,
  days_of_cover: null,
  suggested_quantity: 4,
  reason: 'stock 2 at or below its threshold of 5',
};
const covered: RestockSuggestion = {
  ...lamp,
  product_id: 'p-pen',
  sku: 'PEN-1',
  name: 'Pen',
  incoming: 10,
  suggested_quantity: 0,
  reason: 'stock 2 at or below its threshold of 5; covered by 10 incoming',
};

function aPurchaseOrder(overrides: Partial<PurchaseOrder> = {}): PurchaseOrder {
  return {
    id: PO_ID,
    supplier: 'Acme Supplies',
    status: 'open',
    lines: [
      { product_id: 'p-kettle', sku: 'KETTLE-1', name: 'Kettle', quantity: 41, received: 0, unit_cost_cents: null },
      { product_id: 'p-lamp', sku: 'LAMP-1', name: 'Lamp', quantity: 4, received: 2, unit_cost_cents: 900 },
    ],
    created_by: 'a1',
    created_at: '2026-01-02T09:00:00Z',
    updated_at: '2026-01-02T09:00:00Z',
    ...overrides,
  };
}

/** The app as staff, with `handler` answering everything but the session lookup. */
function asStaff(route: string, handler: (request: RecordedRequest) => Response | undefined) {
  setToken('admin-token');
  const mock = mockFetch((request) => {
    if (request.path === '/auth/me') return json(200, admin);
    return handler(request) ?? json(404, { title: 'Not Found', status: 404 });
  });
  renderWithProviders(<App />, { route });
  return mock;
}

describe('Restock page', () => {
  it('is reached from the staff navigation and shows each suggestion with stock, incoming, sales, cover, quantity and reason', async () => {
    asStaff('/admin/low-stock', ({ path }) => {
      if (path === '/restock/suggestions') return json(200, { items: [kettle, lamp, covered], advice: null });
      if (path.startsWith('/products')) return json(200, { items: [], next_cursor: null });
      return undefined;
    });
    fireEvent.click(await screen.findByRole('link', { name: 'Restock' }));
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(within(rows[0]!).getAllByRole('cell').map((c) => c.textContent)).toEqual([
      '',
      'Kettle KETTLE-1',
      '1',
      '0',
      '1.50',
      '0.7',
      '41',
      kettle.reason,
    ]);
    expect(within(rows[1]!).getByText('no sales')).toBeTruthy();
    // Covered by what is incoming: nothing to order, so it cannot be chosen.
    expect((within(rows[2]!).getByRole('checkbox') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByText(/No restock note has been written yet/)).toBeTruthy();
    await waitFor(() => expect(document.title).toContain('Restock'));
  });

  it('shows the AI note with its status and time, and a failed one plainly', async () => {
    const advice = { status: 'ready', text: 'Order kettles first: they sell fastest.', generated_at: '2026-01-02T06:00:00Z' };
    asStaff('/admin/restock', ({ path }) =>
      path === '/restock/suggestions' ? json(200, { items: [kettle], advice }) : undefined,
    );
    const note = (await screen.findByRole('heading', { name: 'AI restock note' })).closest('section') as HTMLElement;
    expect(within(note).getByText('Order kettles first: they sell fastest.')).toBeTruthy();
    expect(note.getAttribute('data-advice-status')).toBe('ready');
    expect(within(note).getByText(/Written/)).toBeTruthy();
  });

  it.each([
    ['failed', /could not be written: the AI provider failed/],
    ['skipped', /skipped: the day's AI budget is spent/],
    ['disabled', /No AI provider is configured/],
  ])('says plainly when the latest note is %s, and keeps the last good one', async (status, words) => {
    asStaff('/admin/restock', ({ path }) =>
      path === '/restock/suggestions'
        ? json(200, { items: [kettle], advice: { status, text: 'Kettles first.', generated_at: '2026-01-02T06:00:00Z' } })
        : undefined,
    );
    const note = (await screen.findByRole('heading', { name: 'AI restock note' })).closest('section') as HTMLElement;
    expect(within(note).getByText(words)).toBeTruthy();
    expect(within(note).getByText('Kettles first.')).toBeTruthy();
    expect(within(note).getByText(/Last good note, written/)).toBeTruthy();
    // The suggestions stand without the note.
    expect(screen.getByRole('checkbox', { name: 'Order Kettle' })).toBeTruthy();
  });

  it('says when an attempt was made but no note exists yet', async () => {
    asStaff('/admin/restock', ({ path }) =>
      path === '/restock/suggestions'
        ? json(200, { items: [kettle], advice: { status: 'failed', text: null, generated_at: '2026-01-02T06:00:00Z' } })
        : undefined,
    );
    const note = (await screen.findByRole('heading', { name: 'AI restock note' })).closest('section') as HTMLElement;
    expect(within(note).getByText(/no note has been written yet/)).toBeTruthy();
    expect(within(note).getByText(/AI provider failed/)).toBeTruthy();
  });

  it('asks for a supplier and a choice before sending anything', async () => {
    const { requests } = asStaff('/admin/restock', ({ path }) =>
      path === '/restock/suggestions' ? json(200, { items: [kettle, lamp], advice: null }) : undefined,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Create purchase order' }));
    expect(await screen.findByText('Enter the supplier this order goes to.')).toBeTruthy();
    expect(screen.getByText('Choose at least one product to order.')).toBeTruthy();
    expect(requests.some((r) => r.method === 'POST')).toBe(false);
  });

  it('turns the chosen suggestions into one purchase order and goes to it', async () => {
    const { requests } = asStaff('/admin/restock', ({ method, path }) => {
      if (path === '/restock/suggestions') return json(200, { items: [kettle, lamp, covered], advice: null });
      if (method === 'POST' && path === '/restock/purchase-orders') return json(201, aPurchaseOrder({ lines: [aPurchaseOrder().lines[0]!] }));
      if (path === `/purchase-orders/${PO_ID}`) return json(200, aPurchaseOrder({ lines: [aPurchaseOrder().lines[0]!] }));
      return undefined;
    });
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Order Kettle' }));
    expect(screen.getByText('1 product, 41 units.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Supplier'), { target: { value: '  Acme Supplies ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create purchase order' }));
    expect(await screen.findByRole('heading', { name: /Purchase order/ })).toBeTruthy();
    expect(screen.getByText(/Purchase order created/)).toBeTruthy();
    const post = requests.find((r) => r.method === 'POST');
    expect(post?.body).toEqual({ supplier: 'Acme Supplies', product_ids: ['p-kettle'] });
  });

  it('shows a refusal from the API beside the supplier field and in a notice', async () => {
    asStaff('/admin/restock', ({ method, path }) => {
      if (path === '/restock/suggestions') return json(200, { items: [kettle], advice: null });
      if (method === 'POST')
        return problem(422, {
          title: 'Unprocessable',
          errors: [
            { field: 'supplier', message: 'must be 1 to 200 characters' },
            { field: 'product_ids[0]', message: 'has nothing to order: it is not among the current suggestions' },
          ],
        });
      return undefined;
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Select all to order' }));
    fireEvent.change(screen.getByLabelText('Supplier'), { target: { value: 'Acme' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create purchase order' }));
    expect(await screen.findByText('This must be 1 to 200 characters.')).toBeTruthy();
    expect(screen.getByText(/product_ids\[0\]: Has nothing to order/)).toBeTruthy();
  });
});

describe('Purchase orders', () => {
  it('lists them with a status filter', async () => {
    const { requests } = asStaff('/admin/purchase-orders', ({ path }) =>
      path.startsWith('/purchase-orders') ? json(200, { items: [aPurchaseOrder()], next_cursor: null }) : undefined,
    );
    const row = (await screen.findByRole('link', { name: 'Purchase order 0000b0b0' })).closest('tr') as HTMLElement;
    expect(within(row).getByText('Acme Supplies')).toBeTruthy();
    expect(within(row).getByText('Open')).toBeTruthy();
    expect(within(row).getByText('2 / 45')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'received' } });
    await waitFor(() => expect(requests.some((r) => r.path === '/purchase-orders?status=received')).toBe(true));
  });

  it('receives part of an order: only the lines with a quantity are sent', async () => {
    let order = aPurchaseOrder();
    const { requests } = asStaff(`/admin/purchase-orders/${PO_ID}`, ({ method, path }) => {
      if (method === 'POST' && path.endsWith('/receive')) {
        order = aPurchaseOrder({
          lines: order.lines.map((l) => (l.product_id === 'p-kettle' ? { ...l, received: 10 } : l)),
          updated_at: '2026-01-02T10:00:00Z',
        });
        return json(200, order);
      }
      if (path === `/purchase-orders/${PO_ID}`) return json(200, order);
      return undefined;
    });
    fireEvent.change(await screen.findByLabelText('Arrived now of Kettle'), { target: { value: '10' } });
    fireEvent.click(screen.getByRole('button', { name: 'Receive' }));
    expect(await screen.findByText('Received 10 units; stock is up.')).toBeTruthy();
    const post = requests.find((r) => r.method === 'POST');
    expect(post?.path).toBe(`/purchase-orders/${PO_ID}/receive`);
    expect(post?.body).toEqual({ lines: [{ product_id: 'p-kettle', quantity: 10 }] });
    const kettleRow = screen.getByRole('link', { name: 'Kettle' }).closest('tr') as HTMLElement;
    await waitFor(() => expect(within(kettleRow).getByTestId('received').textContent).toBe('10'));
  });

  it('refuses a quantity that is not a whole number before sending', async () => {
    const { requests } = asStaff(`/admin/purchase-orders/${PO_ID}`, ({ path }) =>
      path === `/purchase-orders/${PO_ID}` ? json(200, aPurchaseOrder()) : undefined,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Receive' }));
    expect(await screen.findByText('Enter how many units arrived on at least one line.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Arrived now of Lamp'), { target: { value: '1.5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Receive' }));
    expect(await screen.findByText('Enter a whole number of units, or leave it empty.')).toBeTruthy();
    expect(requests.some((r) => r.method === 'POST')).toBe(false);
  });

  it('shows a 409 "more than ordered" beside the line it names', async () => {
    asStaff(`/admin/purchase-orders/${PO_ID}`, ({ method, path }) => {
      if (method === 'POST')
        return problem(409, {
          title: 'Conflict',
          detail: 'The receipt is more than is still outstanding on the purchase order; nothing was received.',
          lines: [{ product_id: 'p-lamp', requested: 5, outstanding: 2 }],
        });
      if (path === `/purchase-orders/${PO_ID}`) return json(200, aPurchaseOrder());
      return undefined;
    });
    fireEvent.change(await screen.findByLabelText('Arrived now of Lamp'), { target: { value: '5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Receive' }));
    expect((await screen.findByRole('alert')).textContent).toContain('nothing was received');
    const lampRow = screen.getByRole('link', { name: 'Lamp' }).closest('tr') as HTMLElement;
    expect(within(lampRow).getByText('Only 2 still outstanding.')).toBeTruthy();
  });

  it('shows a 409 for an order that is no longer open', async () => {
    asStaff(`/admin/purchase-orders/${PO_ID}`, ({ method, path }) => {
      if (method === 'POST') return problem(409, { title: 'Conflict', detail: 'The purchase order is not open.' });
      if (path === `/purchase-orders/${PO_ID}`) return json(200, aPurchaseOrder());
      return undefined;
    });
    fireEvent.change(await screen.findByLabelText('Arrived now of Kettle'), { target: { value: '1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Receive' }));
    expect((await screen.findByRole('alert')).textContent).toContain('not open');
  });

  it('cancels only after confirmation, then shows it cancelled without a receive form', async () => {
    let order = aPurchaseOrder();
    const { requests } = asStaff(`/admin/purchase-orders/${PO_ID}`, ({ method, path }) => {
      if (method === 'POST' && path.endsWith('/cancel')) {
        order = aPurchaseOrder({ status: 'cancelled', updated_at: '2026-01-02T11:00:00Z' });
        return json(200, order);
      }
      if (path === `/purchase-orders/${PO_ID}`) return json(200, order);
      return undefined;
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel purchase order 0000b0b0' }));
    expect(requests.some((r) => r.method === 'POST')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Yes, cancel it' }));
    expect(await screen.findByText(/This purchase order was cancelled/)).toBeTruthy();
    expect(requests.find((r) => r.method === 'POST')?.path).toBe(`/purchase-orders/${PO_ID}/cancel`);
    expect(screen.queryByRole('button', { name: 'Receive' })).toBeNull();
    expect(screen.queryByLabelText('Arrived now of Kettle')).toBeNull();
  });
});

describe('incoming beside stock', () => {
  it('shows in the low-stock view and on the staff product page', async () => {
    const pen = aProduct({ id: 'p-pen', sku: 'PEN-1', name: 'Pen', stock: 2, low_stock: true, incoming: 10 });
    asStaff('/admin/low-stock', ({ path }) => {
      if (path.startsWith('/products?')) return json(200, { items: [pen], next_cursor: null });
      if (path === '/products/p-pen') return json(200, pen);
      if (path.startsWith('/products/p-pen/stock-movements'))
        return json(200, {
          items: [
            {
              id: 'm1',
              delta: 10,
              reason: 'received',
              order_id: null,
              purchase_order_id: PO_ID,
              actor_id: 'a1',
              stock_after: 12,
              created_at: '2026-01-02T10:00:00Z',
            },
          ],
          next_cursor: null,
        });
      return undefined;
    });
    const row = (await screen.findByRole('cell', { name: 'Pen' })).closest('tr') as HTMLElement;
    expect(within(row).getByTestId('incoming').textContent).toBe('10');
    fireEvent.click(within(row).getByRole('link', { name: /Manage\s*Pen/ }));
    expect((await screen.findByTestId('incoming')).textContent).toBe('Incoming 10');
    const link = await screen.findByRole('link', { name: 'purchase order 0000b0b0' });
    expect(link.getAttribute('href')).toBe(`/admin/purchase-orders/${PO_ID}`);
  });
});
