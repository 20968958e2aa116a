import { apiRequest, queryString } from './client';
import type { Order, OrderItemInput, Page } from './types';

export type OrderScope = 'mine' | 'all';

export const createOrder = (items: OrderItemInput[], idempotencyKey: string) =>
  apiRequest<Order>('/orders', {
    method: 'POST',
    body: { items },
    headers: { 'Idempotency-Key': idempotencyKey },
  });

export const listOrders = (scope: OrderScope, cursor?: string | null) =>
  apiRequest<Page<Order>>(`/orders${queryString({ scope: scope === 'all' ? 'all' : undefined, cursor })}`);

export const getOrder = (id: string) => apiRequest<Order>(`/orders/${encodeURIComponent(id)}`);

export const cancelOrder = (id: string) =>
  apiRequest<Order>(`/orders/${encodeURIComponent(id)}/cancel`, { method: 'POST' });

export const fulfilOrder = (id: string) =>
  apiRequest<Order>(`/orders/${encodeURIComponent(id)}/fulfil`, { method: 'POST' });
