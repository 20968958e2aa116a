import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { setToken } from '../api/session';
import type { WebhookDelivery, WebhookEndpoint } from '../api/webhooks';
import { App } from '../App';
import { json, mockFetch, problem, type RecordedRequest } from '../test/fetchMock';
import { renderWithProviders } from '../test/render';

const admin = { id: 'a1', email: 'boss@shop.local', role: 'admin', created_at: '2026-01-01T00:00:00Z' };
const hook: WebhookEndpoint = {
  id: 'w1',
  url: 'https://hooks.example.com/shop',
  events: ['order.created', 'product.low_stock'],
  active: true,
  created_at: '2026-01-01T10:00:00Z',
};
const failedDelivery: WebhookDelivery = {
  id: 'd1',
  event_id: 'e1',
  type: 'order.created',
  status: 'failed',
  attempts: 8,
  last_status_code: 503,
  last_error: 'receiver answered 503',
  next_attempt_at: null,
  created_at: '2026-01-01T11:00:00Z',
};
const deliveredDelivery: WebhookDelivery = {
  ...failedDelivery,
  id: 'd2',
  status: 'delivered',
  attempts: 1,
  last_status_code: 204,
  last_error: null,
};

function asStaff(handler: (request: RecordedRequest) => Response | undefined, route = '/admin/webhooks') {
  setToken('admin-token');
  const mock = mockFetch((request) => {
    if (request.path === '/auth/me') return json(200, admin);
    return handler(request) ?? problem(404, { title: 'Not Found' });
  });
  renderWithProviders(<App />, { route });
  return mock;
}

async function card(url = hook.url) {
  return (await screen.findByRole('heading', { name: url })).closest('article') as HTMLElement;
}

describe('Webhooks page', () => {
  it('is reached from the staff navigation and lists endpoints with their events and state', async () => {
    asStaff(({ path }) => {
      if (path.startsWith('/webhooks')) return json(200, { items: [hook, { ...hook, id: 'w2', url: 'https://b.example.com/', active: false }], next_cursor: null });
      if (path.startsWith('/products')) return json(200, { items: [], next_cursor: null });
      return undefined;
    }, '/products');
    fireEvent.click(await screen.findByRole('link', { name: 'Webhooks' }));
    const first = await card();
    expect(within(first).getByText('Active')).toBeTruthy();
    expect(within(within(first).getByRole('list', { name: 'Events sent' })).getAllByRole('listitem')).toHaveLength(2);
    expect(within(first).getByText('Product ran low on stock')).toBeTruthy();
    expect(within(await card('https://b.example.com/')).getByText('Paused')).toBeTruthy();
    await waitFor(() => expect(document.title).toContain('Webhooks'));
  });

  it('adds an endpoint and shows its secret once, with a copy button and a warning', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    let endpoints: WebhookEndpoint[] = [];
    const { requests } = asStaff(({ method, path, body }) => {
      if (method === 'POST' && path === '/webhooks') {
        const made = { ...hook, ...(body as object) };
        endpoints = [made];
        return json(201, { ...made, secret: 'whsec_c2VjcmV0LXZhbHVl' });
      }
      if (path.startsWith('/webhooks')) return json(200, { items: endpoints, next_cursor: null });
      return undefined;
    });
    expect(await screen.findByText('No endpoint yet.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Endpoint URL'), { target: { value: 'https://hooks.example.com/shop' } });
    fireEvent.click(screen.getByRole('checkbox', { name: /Order fulfilled/ }));
    fireEvent.click(screen.getByRole('checkbox', { name: /Order placed/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
    const secret = await screen.findByTestId('webhook-secret');
    expect(within(secret).getByTestId('secret-value').textContent).toBe('whsec_c2VjcmV0LXZhbHVl');
    expect(within(secret).getByRole('alert').textContent).toContain('will not be shown again');
    // Sent in the contract's order, whatever the order of the clicks.
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({
      url: 'https://hooks.example.com/shop',
      events: ['order.created', 'order.fulfilled'],
    });
    fireEvent.click(within(secret).getByRole('button', { name: 'Copy secret' }));
    expect(await within(secret).findByText('Copied.')).toBeTruthy();
    expect(writeText).toHaveBeenCalledWith('whsec_c2VjcmV0LXZhbHVl');
    expect(await card()).toBeTruthy();
    fireEvent.click(within(secret).getByRole('button', { name: 'I have copied it' }));
    expect(screen.queryByTestId('webhook-secret')).toBeNull();
    expect(screen.queryByText('whsec_c2VjcmV0LXZhbHVl')).toBeNull();
  });

  it('checks the address and the events before sending, and shows the API\'s field errors', async () => {
    const { requests } = asStaff(({ method, path }) => {
      if (method === 'POST')
        return problem(422, {
          title: 'Unprocessable',
          errors: [{ field: 'url', message: 'is in a private or loopback range' }],
        });
      if (path.startsWith('/webhooks')) return json(200, { items: [], next_cursor: null });
      return undefined;
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Add endpoint' }));
    expect(await screen.findByText('Enter the address the shop should send events to.')).toBeTruthy();
    expect(screen.getByText('Choose at least one event.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Endpoint URL'), { target: { value: 'hooks.example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
    expect(await screen.findByText('Enter a full address, starting with https://.')).toBeTruthy();
    expect(requests.some((r) => r.method === 'POST')).toBe(false);
    fireEvent.change(screen.getByLabelText('Endpoint URL'), { target: { value: 'https://10.0.0.5/hook' } });
    fireEvent.click(screen.getByRole('checkbox', { name: /Order placed/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
    expect(await screen.findByText('This is in a private or loopback range.')).toBeTruthy();
    expect(screen.queryByTestId('webhook-secret')).toBeNull();
  });

  it('pauses, and edits the events of, an endpoint', async () => {
    let current = hook;
    const { requests } = asStaff(({ method, path, body }) => {
      if (method === 'PATCH') {
        current = { ...current, ...(body as object) };
        return json(200, current);
      }
      if (path.startsWith('/webhooks')) return json(200, { items: [current], next_cursor: null });
      return undefined;
    });
    let c = await card();
    fireEvent.click(within(c).getByRole('button', { name: 'Pause' }));
    await waitFor(async () => expect(within(await card()).getByText('Paused')).toBeTruthy());
    expect(requests.find((r) => r.method === 'PATCH')?.body).toEqual({ active: false });
    c = await card();
    fireEvent.click(within(c).getByRole('button', { name: 'Edit events' }));
    fireEvent.click(within(c).getByRole('checkbox', { name: /Product ran low on stock/ }));
    fireEvent.click(within(c).getByRole('checkbox', { name: /Purchase order received/ }));
    fireEvent.click(within(c).getByRole('button', { name: 'Save events' }));
    await waitFor(() =>
      expect(requests.filter((r) => r.method === 'PATCH').at(-1)?.body).toEqual({
        events: ['order.created', 'purchase_order.received'],
      }),
    );
    expect(await within(c).findByText('Purchase order received')).toBeTruthy();
    expect(within(c).getByRole('button', { name: 'Activate' })).toBeTruthy();
  });

  it('does not save an endpoint with no events', async () => {
    const { requests } = asStaff(({ path }) =>
      path.startsWith('/webhooks') ? json(200, { items: [hook], next_cursor: null }) : undefined,
    );
    const c = await card();
    fireEvent.click(within(c).getByRole('button', { name: 'Edit events' }));
    fireEvent.click(within(c).getByRole('checkbox', { name: /Order placed/ }));
    fireEvent.click(within(c).getByRole('checkbox', { name: /Product ran low on stock/ }));
    fireEvent.click(within(c).getByRole('button', { name: 'Save events' }));
    expect(await within(c).findByText('Choose at least one event.')).toBeTruthy();
    expect(requests.some((r) => r.method === 'PATCH')).toBe(false);
  });

  it('deletes an endpoint only after confirmation', async () => {
    let endpoints = [hook];
    const { requests } = asStaff(({ method, path }) => {
      if (method === 'DELETE') {
        endpoints = [];
        return new Response(null, { status: 204 });
      }
      if (path.startsWith('/webhooks')) return json(200, { items: endpoints, next_cursor: null });
      return undefined;
    });
    const c = await card();
    fireEvent.click(within(c).getByRole('button', { name: 'Delete endpoint' }));
    expect(requests.some((r) => r.method === 'DELETE')).toBe(false);
    fireEvent.click(within(c).getByRole('button', { name: 'Yes, delete' }));
    expect(await screen.findByText('No endpoint yet.')).toBeTruthy();
    expect(requests.find((r) => r.method === 'DELETE')?.path).toBe('/webhooks/w1');
  });

  it('shows the delivery log with attempts, last status code, error and next attempt, filtered by status', async () => {
    const { requests } = asStaff(({ path }) => {
      if (path.startsWith('/webhooks/w1/deliveries?status=failed')) return json(200, { items: [failedDelivery], next_cursor: null });
      if (path.startsWith('/webhooks/w1/deliveries'))
        return json(200, {
          items: [{ ...deliveredDelivery, status: 'pending', id: 'd3', attempts: 2, next_attempt_at: '2026-01-01T12:00:00Z', last_status_code: null, last_error: 'timed out after 5 s' }, deliveredDelivery, failedDelivery],
          next_cursor: null,
        });
      if (path.startsWith('/webhooks')) return json(200, { items: [hook], next_cursor: null });
      return undefined;
    });
    const c = await card();
    fireEvent.click(within(c).getByRole('button', { name: 'Show deliveries' }));
    const log = await within(c).findByTestId('delivery-log');
    const rows = within(await within(log).findByRole('table')).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    const pendingCells = within(rows[0]!).getAllByRole('cell').map((cell) => cell.textContent);
    expect(pendingCells[1]).toBe('Pending');
    expect(pendingCells[2]).toBe('2');
    expect(pendingCells[3]).toBe('—');
    expect(pendingCells[4]).toBe('timed out after 5 s');
    expect(pendingCells[5]).toMatch(/2026/);
    expect(within(rows[1]!).getByText('204')).toBeTruthy();
    // Only a failed delivery can be retried.
    expect(within(rows[0]!).queryByRole('button')).toBeNull();
    expect(within(rows[1]!).queryByRole('button')).toBeNull();
    expect(within(rows[2]!).getByRole('button', { name: /^Retry delivery of order.created/ })).toBeTruthy();
    fireEvent.change(within(log).getByLabelText('Delivery status'), { target: { value: 'failed' } });
    await waitFor(() => expect(requests.some((r) => r.path === '/webhooks/w1/deliveries?status=failed')).toBe(true));
    await waitFor(() => expect(within(log).getAllByRole('row')).toHaveLength(2));
  });

  it('retries a failed delivery, and shows a refusal beside its button', async () => {
    let refuse = false;
    const { requests } = asStaff(({ method, path }) => {
      if (method === 'POST' && path.endsWith('/retry'))
        return refuse ? problem(409, { title: 'Conflict', detail: 'Only a failed delivery can be retried.' }) : json(202, { ...failedDelivery, status: 'pending' });
      if (path.startsWith('/webhooks/w1/deliveries')) return json(200, { items: [failedDelivery, { ...failedDelivery, id: 'd9' }], next_cursor: null });
      if (path.startsWith('/webhooks')) return json(200, { items: [hook], next_cursor: null });
      return undefined;
    });
    const c = await card();
    fireEvent.click(within(c).getByRole('button', { name: 'Show deliveries' }));
    const buttons = await within(c).findAllByRole('button', { name: /^Retry delivery/ });
    fireEvent.click(buttons[0]!);
    await waitFor(() => expect(requests.find((r) => r.method === 'POST')?.path).toBe('/webhooks/w1/deliveries/d1/retry'));
    refuse = true;
    const second = within(c).getAllByRole('row').find((row) => row.getAttribute('data-delivery-id') === 'd9') as HTMLElement;
    fireEvent.click(within(second).getByRole('button', { name: /^Retry delivery/ }));
    expect((await within(second).findByRole('alert')).textContent).toContain('Only a failed delivery');
  });
});
