import { apiRequest, queryString } from './client';
import type { NewOrderExtras, Order, OrderEvent, OrderItemInput, OrderStatus, Page } from './model';

export type OrderScope = 'mine' | 'all';

/** The staff list's filters; empty strings mean "any". */
export interface OrderFilters {
  status: OrderStatus | '';
  /** RFC 3339 bounds: from inclusive, to exclusive. */
  from: string;
  to: string;
  q: string;
}

export const noOrderFilters: OrderFilters = { status: '', from: '', to: '', q: '' };

export const createOrder = (items: OrderItemInput[], idempotencyKey: string, extras: NewOrderExtras = {}) =>
  apiRequest<Order>('/orders', {
    method: 'POST',
    body: { items, ...extras },
    headers: { 'Idempotency-Key': idempotencyKey },
  });

export const listOrders = (
  scope: OrderScope,
  cursor?: string | null,
  filters: OrderFilters = noOrderFilters,
  limit?: number,
) =>
  apiRequest<Page<Order>>(
    `/orders${queryString({ scope: scope === 'all' ? 'all' : undefined, ...filters, limit, cursor })}`,
  );

export const listOrderEvents = (id: string) =>
  apiRequest<{ items: OrderEvent[] }>(`/orders/${encodeURIComponent(id)}/events`);

export const getOrder = (id: string) => apiRequest<Order>(`/orders/${encodeURIComponent(id)}`);

export const cancelOrder = (id: string) =>
  apiRequest<Order>(`/orders/${encodeURIComponent(id)}/cancel`, { method: 'POST' });

export const fulfilOrder = (id: string) =>
  apiRequest<Order>(`/orders/${encodeURIComponent(id)}/fulfil`, { method: 'POST' });

/** Staff ask for the summary again: `202` with the order, its summary back at `pending`. */
export const requestSummary = (id: string) =>
  apiRequest<Order>(`/orders/${encodeURIComponent(id)}/summary`, { method: 'POST' });
