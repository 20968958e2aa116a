import { apiRequest, queryString } from './client';
import type { Page } from './model';
import type * as api from './types';

export const WEBHOOK_EVENTS = [
  'order.created',
  'order.cancelled',
  'order.fulfilled',
  'product.low_stock',
  'purchase_order.received',
] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export type WebhookEndpoint = api.Endpoint;

/** Only the answer to `POST /webhooks` carries the signing secret. */
export type CreatedWebhookEndpoint = api.CreatedEndpoint;

/** The document types `status` as a string; these are its values. */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export type WebhookDelivery = Omit<api.Delivery, 'status'> & { status: DeliveryStatus };

const endpointPath = (id: string) => `/webhooks/${encodeURIComponent(id)}`;

export const listWebhooks = (cursor?: string | null) =>
  apiRequest<Page<WebhookEndpoint>>(`/webhooks${queryString({ limit: 100, cursor })}`);

export const createWebhook = (url: string, events: string[]) =>
  apiRequest<CreatedWebhookEndpoint>('/webhooks', { method: 'POST', body: { url, events } });

export const updateWebhook = (id: string, change: { events?: string[]; active?: boolean }) =>
  apiRequest<WebhookEndpoint>(endpointPath(id), { method: 'PATCH', body: change });

export const deleteWebhook = (id: string) => apiRequest<void>(endpointPath(id), { method: 'DELETE' });

export const listDeliveries = (id: string, status: DeliveryStatus | '', cursor?: string | null) =>
  apiRequest<Page<WebhookDelivery>>(`${endpointPath(id)}/deliveries${queryString({ status, cursor })}`);

export const retryDelivery = (id: string, deliveryId: string) =>
  apiRequest<unknown>(`${endpointPath(id)}/deliveries/${encodeURIComponent(deliveryId)}/retry`, { method: 'POST' });
