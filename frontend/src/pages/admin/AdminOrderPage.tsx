import { Link, useParams } from 'react-router';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { OrderStatusBadge } from '../../components/OrderStatusBadge';
import { formatDateTime } from '../../dates';
import { shortId } from '../../ids';
import { AddressBlock } from '../../orders/AddressBlock';
import { OrderActions } from '../../orders/OrderActions';
import { OrderLinesTable } from '../../orders/OrderLinesTable';
import { OrderTimeline } from '../../orders/OrderTimeline';
import { PackingSlip } from '../../orders/PackingSlip';
import { SummaryPanel } from '../../orders/SummaryPanel';
import { useOrder } from '../../orders/useOrder';
import { usePageTitle } from '../../usePageTitle';

/** Everything staff need to ship one order, and the packing slip to print for it. */
export function AdminOrderPage() {
  const { id = '' } = useParams();
  const order = useOrder(id);
  usePageTitle(order.data ? `Order ${shortId(order.data.id)} (staff)` : 'Order (staff)');

  const back = (
    <p className="no-print">
      <Link to="/admin/orders">← All orders</Link>
    </p>
  );
  if (order.isPending) return <Loading label="Loading order…" />;
  if (order.isError) {
    return (
      <>
        {back}
        <h1>Order not found</h1>
        <ErrorNotice error={order.error} />
      </>
    );
  }
  const o = order.data;
  return (
    <>
      <div className="no-print">
        {back}
        <div className="page-head">
          <h1>
            Order <code>{shortId(o.id)}</code>
          </h1>
          <OrderStatusBadge status={o.status} />
          <button type="button" className="secondary" onClick={() => window.print()}>
            Print packing slip
          </button>
        </div>
        <p className="muted">
          Placed {formatDateTime(o.created_at)} · last change {formatDateTime(o.updated_at)} · <code>{o.id}</code>
        </p>
        <OrderActions order={o} canFulfil />
        <div className="two-columns">
          <div className="stack">
            <section className="card" aria-labelledby="customer-heading">
              <h2 id="customer-heading">Customer</h2>
              <p>
                <a href={`mailto:${o.customer_email}`} data-testid="customer-email">
                  {o.customer_email}
                </a>
              </p>
              <h3>Ship to</h3>
              <AddressBlock shipping={o.shipping} />
              <h3>Customer's note</h3>
              {o.note ? <p className="note">{o.note}</p> : <p className="muted">No note.</p>}
            </section>
            <section className="card" aria-labelledby="lines-heading">
              <h2 id="lines-heading">Lines</h2>
              <OrderLinesTable order={o} />
            </section>
          </div>
          <div className="stack">
            <SummaryPanel order={o} />
            <section className="card" aria-labelledby="timeline-heading">
              <h2 id="timeline-heading">Timeline</h2>
              <OrderTimeline orderId={o.id} />
            </section>
          </div>
        </div>
      </div>
      <PackingSlip order={o} />
    </>
  );
}
