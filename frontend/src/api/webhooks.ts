import { apiRequest, queryString } from './client';
import type { Page } from './types';

export const WEBHOOK_EVENTS = [
  'order.created',
  'order.cancelled',
  'order.fulfilled',
  'product.low_stock',
  'purchase_order.received',
] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  created_at: string;
}

/** Only the answer to `POST /webhooks` carries the signing secret. */
export interface CreatedWebhookEndpoint extends WebhookEndpoint {
  secret: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: string;
  event_id: string;
  type: string;
  status: DeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
}

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
