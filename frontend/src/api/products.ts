import { apiRequest, queryString } from './client';
import type { NewProduct, Page, Product, ProductPatch, StockMovement } from './model';

export interface ProductQuery {
  q?: string;
  lowStock?: boolean;
  cursor?: string | null;
  limit?: number;
}

export const listProducts = ({ q, lowStock, cursor, limit }: ProductQuery) =>
  apiRequest<Page<Product>>(`/products${queryString({ q, low_stock: lowStock, cursor, limit })}`);

export const getProduct = (id: string) => apiRequest<Product>(`/products/${encodeURIComponent(id)}`);

export const createProduct = (product: NewProduct) =>
  apiRequest<Product>('/products', { method: 'POST', body: product });

export const updateProduct = (id: string, patch: ProductPatch) =>
  apiRequest<Product>(`/products/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch });

export const archiveProduct = (id: string) =>
  apiRequest<void>(`/products/${encodeURIComponent(id)}`, { method: 'DELETE' });

export const adjustStock = (id: string, adjustment: { delta: number; reason: string }) =>
  apiRequest<Product>(`/products/${encodeURIComponent(id)}/stock-adjustments`, {
    method: 'POST',
    body: adjustment,
  });

export const listStockMovements = (id: string, cursor?: string | null) =>
  apiRequest<Page<StockMovement>>(
    `/products/${encodeURIComponent(id)}/stock-movements${queryString({ cursor })}`,
  );
