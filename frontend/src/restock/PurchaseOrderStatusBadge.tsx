import type { PurchaseOrderStatus } from '../api/restock';

const LABELS: Record<PurchaseOrderStatus, string> = {
  open: 'Open',
  received: 'Received',
  cancelled: 'Cancelled',
};

export function PurchaseOrderStatusBadge({ status }: { status: PurchaseOrderStatus }) {
  return <span className={`badge badge-po-${status}`}>{LABELS[status] ?? status}</span>;
}
