import { Link, useLocation, useParams } from 'react-router';
import type { Order } from '../api/model';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { OrderStatusBadge } from '../components/OrderStatusBadge';
import { formatDateTime } from '../dates';
import { shortId } from '../ids';
import { AddressBlock } from '../orders/AddressBlock';
import { OrderActions } from '../orders/OrderActions';
import { OrderLinesTable } from '../orders/OrderLinesTable';
import { useOrder } from '../orders/useOrder';
import { usePageTitle } from '../usePageTitle';

/** What the order's current state means for the customer: one notice, always about now. */
function StateNotice({ order, justPlaced }: { order: Order; justPlaced: boolean }) {
  switch (order.status) {
    case 'confirmed':
      return justPlaced ? (
        <div className="notice notice-ok" role="status">
          Thank you! Order <code>{shortId(order.id)}</code> is confirmed. We will ship it to the address below.
        </div>
      ) : null;
    case 'cancelled':
      return (
        <div className="notice" role="status">
          This order was cancelled on {formatDateTime(order.updated_at)}. Nothing will be shipped.
        </div>
      );
    case 'fulfilled':
      return (
        <div className="notice notice-ok" role="status">
          This order was sent on {formatDateTime(order.updated_at)}.
        </div>
      );
  }
}

export function OrderPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const justPlaced = (location.state as { placed?: boolean } | null)?.placed === true;
  const order = useOrder(id);
  usePageTitle(order.data ? `Order ${shortId(order.data.id)}` : 'Order');

  const back = (
    <p>
      <Link to="/orders">← My orders</Link>
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
      {back}
      <div className="page-head">
        <h1>
          Order <code>{shortId(o.id)}</code>
        </h1>
        <OrderStatusBadge status={o.status} />
      </div>
      <StateNotice order={o} justPlaced={justPlaced} />
      <p className="muted">Placed {formatDateTime(o.created_at)}</p>
      <div className="two-columns">
        <section className="card" aria-labelledby="lines-heading">
          <h2 id="lines-heading">What you ordered</h2>
          <OrderLinesTable order={o} />
        </section>
        <div className="stack">
          <section className="card" aria-labelledby="ship-heading">
            <h2 id="ship-heading">Shipping to</h2>
            <AddressBlock shipping={o.shipping} />
            {o.note && (
              <>
                <h3>Your note</h3>
                <p className="note">{o.note}</p>
              </>
            )}
          </section>
          <OrderActions order={o} canFulfil={false} />
        </div>
      </div>
    </>
  );
}
