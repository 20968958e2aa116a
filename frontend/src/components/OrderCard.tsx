import type { ReactNode } from 'react';
import type { Order } from '../api/types';
import { formatDateTime } from '../dates';
import { formatMoney } from '../money';
import { OrderStatusBadge } from './OrderStatusBadge';
import { SummaryView } from './SummaryView';
import { shortId } from '../ids';

interface OrderCardProps {
  order: Order;
  /** Buttons for what the viewer may do with this order. */
  actions?: ReactNode;
  showCustomer?: boolean;
}

export function OrderCard({ order, actions, showCustomer = false }: OrderCardProps) {
  const headingId = `order-${order.id}`;
  return (
    <article className="card order" aria-labelledby={headingId} data-order-id={order.id}>
      <header className="order-header">
        <h3 id={headingId}>
          Order <code>{shortId(order.id)}</code>
        </h3>
        <OrderStatusBadge status={order.status} />
      </header>
      <p className="muted">
        Placed {formatDateTime(order.created_at)}
        {showCustomer && (
          <>
            {' '}
            by customer <code>{shortId(order.user_id)}</code>
          </>
        )}
      </p>
      <div className="table-scroll">
        <table className="lines">
          <caption className="visually-hidden">Lines of order {order.id}</caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" className="num">
                Price
              </th>
              <th scope="col" className="num">
                Qty
              </th>
              <th scope="col" className="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {order.items.map((line) => (
              <tr key={line.product_id}>
                <td>
                  {line.name} <span className="muted">({line.sku})</span>
                </td>
                <td className="num">{formatMoney(line.unit_price_cents)}</td>
                <td className="num">{line.quantity}</td>
                <td className="num">{formatMoney(line.line_total_cents)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3}>
                Order total
              </th>
              <td className="num total" data-testid="order-total">
                {formatMoney(order.total_cents)}
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
      {order.summary && <SummaryView summary={order.summary} />}
      {actions && <div className="actions">{actions}</div>}
    </article>
  );
}
