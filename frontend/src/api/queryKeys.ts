import type { OrderFilters, OrderScope } from './orders';
import type { PurchaseOrderStatus } from './restock';
import type { DeliveryStatus } from './webhooks';
import type { UserFilters } from './users';

// Every cache key in one place so that invalidations cannot drift from the queries.
export const queryKeys = {
  me: (token: string | null) => ['me', token] as const,
  products: ['products'] as const,
  productList: (q: string, lowStock: boolean) => ['products', 'list', { q, lowStock }] as const,
  product: (id: string) => ['products', 'one', id] as const,
  movements: (id: string) => ['products', 'movements', id] as const,
  orders: ['orders'] as const,
  orderList: (scope: OrderScope) => ['orders', 'list', scope] as const,
  orderTable: (filters: OrderFilters, cursor: string | null) => ['orders', 'table', filters, cursor] as const,
  order: (id: string) => ['orders', 'one', id] as const,
  orderEvents: (id: string) => ['orders', 'events', id] as const,
  users: ['users'] as const,
  userList: (filters: UserFilters) => ['users', 'list', filters] as const,
  salesReport: (days: number) => ['reports', 'sales', days] as const,
  stockReport: ['reports', 'stock'] as const,
  // Restock: suggestions and purchase orders change together (an order counts as incoming).
  restock: ['restock'] as const,
  suggestions: ['restock', 'suggestions'] as const,
  purchaseOrderList: (status: PurchaseOrderStatus | '') => ['restock', 'purchase-orders', 'list', status] as const,
  purchaseOrder: (id: string) => ['restock', 'purchase-orders', 'one', id] as const,
  webhooks: ['webhooks'] as const,
  webhookList: ['webhooks', 'list'] as const,
  endpointDeliveries: (endpointId: string) => ['webhooks', 'deliveries', endpointId] as const,
  deliveries: (endpointId: string, status: DeliveryStatus | '') =>
    ['webhooks', 'deliveries', endpointId, status] as const,
};
