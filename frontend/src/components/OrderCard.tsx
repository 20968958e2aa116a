import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Order } from '../api/model';
import { formatDateTime } from '../dates';
import { OrderLinesTable } from '../orders/OrderLinesTable';
import { OrderStatusBadge } from './OrderStatusBadge';
import { shortId } from '../ids';

interface OrderCardProps {
  order: Order;
  /** Buttons for what the viewer may do with this order. */
  actions?: ReactNode;
  /** The order's own page. */
  link: string;
}

export function OrderCard({ order, actions, link }: OrderCardProps) {
  const headingId = `order-${order.id}`;
  return (
    <article className="card order" aria-labelledby={headingId} data-order-id={order.id}>
      <header className="order-header">
        <h3 id={headingId}>
          <Link to={link}>
            Order <code>{shortId(order.id)}</code>
          </Link>
        </h3>
        <OrderStatusBadge status={order.status} />
      </header>
      <p className="muted">Placed {formatDateTime(order.created_at)}</p>
      <OrderLinesTable order={order} />
      {/* No summary here: it is staff information, shown only on the staff order page. */}
      {actions && <div className="actions">{actions}</div>}
    </article>
  );
}
