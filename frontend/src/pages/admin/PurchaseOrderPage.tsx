import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ConfirmAction } from '../../components/ConfirmAction';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { formatDateTime } from '../../dates';
import { shortId } from '../../ids';
import { PurchaseOrderStatusBadge } from '../../restock/PurchaseOrderStatusBadge';
import { ReceiveForm } from '../../restock/ReceiveForm';
import { useCancelPurchaseOrder, usePurchaseOrder } from '../../restock/useRestock';
import { usePageTitle } from '../../usePageTitle';

/** One purchase order: its lines, a receive form while it is open, and cancel. */
export function PurchaseOrderPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const order = usePurchaseOrder(id);
  const cancel = useCancelPurchaseOrder(id);
  usePageTitle(order.data ? `Purchase order ${shortId(order.data.id)}` : 'Purchase order');
  // "Purchase order created." is read once from the history entry, so a reload does not repeat it.
  const [created] = useState(() => (location.state as { created?: boolean } | null)?.created === true);
  useEffect(() => {
    if ((location.state as { created?: boolean } | null)?.created)
      navigate(location.pathname, { replace: true, state: null });
  }, [location.state, location.pathname, navigate]);

  const back = (
    <p>
      <Link to="/admin/purchase-orders">← Purchase orders</Link>
    </p>
  );
  if (order.isPending) return <Loading label="Loading purchase order…" />;
  if (order.isError) {
    return (
      <>
        {back}
        <h1>Purchase order not found</h1>
        <ErrorNotice error={order.error} />
      </>
    );
  }
  const po = order.data;
  const handle = shortId(po.id);
  return (
    <>
      {back}
      <div className="page-head">
        <h1>
          Purchase order <code>{handle}</code>
        </h1>
        <PurchaseOrderStatusBadge status={po.status} />
      </div>
      {created && po.status === 'open' && (
        <p className="notice notice-ok" role="status">
          Purchase order created. Its quantities now count as incoming.
        </p>
      )}
      <p className="muted">
        From <strong data-testid="supplier">{po.supplier}</strong> · created {formatDateTime(po.created_at)} · last
        change {formatDateTime(po.updated_at)}
      </p>
      {po.status === 'cancelled' && (
        <p className="notice" role="status">
          This purchase order was cancelled; what was not received no longer counts as incoming.
        </p>
      )}
      {po.status === 'received' && (
        <p className="notice notice-ok" role="status">
          Every line has been received.
        </p>
      )}
      <section className="card" aria-labelledby="po-lines-heading">
        <h2 id="po-lines-heading">{po.status === 'open' ? 'Lines and receiving' : 'Lines'}</h2>
        <ReceiveForm order={po} />
      </section>
      {po.status === 'open' && (
        <ConfirmAction
          label={`Cancel purchase order ${handle}`}
          question={`Cancel purchase order ${handle}? What was not received stops counting as incoming; this cannot be undone.`}
          confirmLabel="Yes, cancel it"
          keepLabel="Keep it"
          pending={cancel.isPending}
          pendingLabel="Cancelling…"
          error={cancel.error}
          danger
          onConfirm={() => cancel.mutate()}
          onKeep={() => cancel.reset()}
        />
      )}
    </>
  );
}
