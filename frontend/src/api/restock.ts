import { apiRequest, queryString } from './client';
import type { Page } from './types';

export type PurchaseOrderStatus = 'open' | 'received' | 'cancelled';

export interface PurchaseOrderLine {
  product_id: string;
  sku: string;
  name: string;
  quantity: number;
  received: number;
  unit_cost_cents: number | null;
}

export interface PurchaseOrder {
  id: string;
  supplier: string;
  status: PurchaseOrderStatus;
  lines: PurchaseOrderLine[];
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface RestockSuggestion {
  product_id: string;
  sku: string;
  name: string;
  stock: number;
  incoming: number;
  /** Units a day over the last 28 days. */
  daily_sales: number;
  /** (stock + incoming) / daily sales; null without sales. */
  days_of_cover: number | null;
  suggested_quantity: number;
  reason: string;
}

/** The latest AI-written restock note. */
export interface RestockAdvice {
  status: string;
  text: string | null;
  generated_at: string;
}

export interface RestockSuggestions {
  items: RestockSuggestion[];
  advice: RestockAdvice | null;
}

/** One line of a receipt: how many of a product arrived now. */
export interface ReceiptLine {
  product_id: string;
  quantity: number;
}

const poPath = (id: string) => `/purchase-orders/${encodeURIComponent(id)}`;

export const getRestockSuggestions = () => apiRequest<RestockSuggestions>('/restock/suggestions');

export const orderSuggestions = (supplier: string, productIds: string[]) =>
  apiRequest<PurchaseOrder>('/restock/purchase-orders', {
    method: 'POST',
    body: { supplier, product_ids: productIds },
  });

export const listPurchaseOrders = (status: PurchaseOrderStatus | '', cursor?: string | null) =>
  apiRequest<Page<PurchaseOrder>>(`/purchase-orders${queryString({ status, cursor })}`);

export const getPurchaseOrder = (id: string) => apiRequest<PurchaseOrder>(poPath(id));

export const receivePurchaseOrder = (id: string, lines: ReceiptLine[]) =>
  apiRequest<PurchaseOrder>(`${poPath(id)}/receive`, { method: 'POST', body: { lines } });

export const cancelPurchaseOrder = (id: string) =>
  apiRequest<PurchaseOrder>(`${poPath(id)}/cancel`, { method: 'POST' });
