import type { OrderStatus } from '../api/model';

const LABELS: Record<OrderStatus, string> = {
  confirmed: 'Confirmed',
  cancelled: 'Cancelled',
  fulfilled: 'Fulfilled',
};

export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  return <span className={`badge badge-${status}`}>{LABELS[status] ?? status}</span>;
}
