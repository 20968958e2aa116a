import type { OrderScope } from './orders';

// Every cache key in one place so that invalidations cannot drift from the queries.
export const queryKeys = {
  me: (token: string | null) => ['me', token] as const,
  products: ['products'] as const,
  productList: (q: string, lowStock: boolean) => ['products', 'list', { q, lowStock }] as const,
  product: (id: string) => ['products', 'one', id] as const,
  movements: (id: string) => ['products', 'movements', id] as const,
  orders: ['orders'] as const,
  orderList: (scope: OrderScope) => ['orders', 'list', scope] as const,
};
