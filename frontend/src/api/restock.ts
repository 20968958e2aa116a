import { apiRequest, queryString } from './client';
import type { Page } from './model';
import type * as api from './types';

export type PurchaseOrderStatus = api.PurchaseOrderStatus;
export type PurchaseOrderLine = api.PurchaseOrderLine;
export type PurchaseOrder = api.PurchaseOrder;
export type RestockSuggestion = api.Suggestion;
/** The latest AI-written restock note. */
export type RestockAdvice = api.Advice;
export type RestockSuggestions = api.Suggestions;
/** One line of a receipt: how many of a product arrived now. */
export type ReceiptLine = api.ReceiptLine;

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
