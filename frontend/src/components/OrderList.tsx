import type { ReactNode } from 'react';
import type { OrderScope } from '../api/orders';
import type { Order } from '../api/types';
import { useOrderAction, useOrderPages } from '../useOrderPages';
import { ErrorNotice } from './ErrorNotice';
import { LoadMore } from './LoadMore';
import { Loading } from './Loading';
import { OrderCard } from './OrderCard';
import { shortId } from '../ids';

interface OrderListProps {
  scope: OrderScope;
  canFulfil?: boolean;
  emptyText: ReactNode;
}

/** Orders with the actions the viewer may take; cancel for anyone who sees the order, fulfil for staff. */
export function OrderList({ scope, canFulfil = false, emptyText }: OrderListProps) {
  const pages = useOrderPages(scope);
  const cancel = useOrderAction('cancel');
  const fulfil = useOrderAction('fulfil');
  const busy = cancel.isPending || fulfil.isPending;

  function actionsFor(order: Order) {
    if (order.status !== 'confirmed') return undefined;
    return (
      <>
        {canFulfil && (
          <button type="button" onClick={() => fulfil.mutate(order.id)} disabled={busy}>
            Fulfil order {shortId(order.id)}
          </button>
        )}
        <button type="button" className="danger" onClick={() => cancel.mutate(order.id)} disabled={busy}>
          Cancel order {shortId(order.id)}
        </button>
      </>
    );
  }

  if (pages.isPending) return <Loading label="Loading orders…" />;
  return (
    <>
      {pages.isError && <ErrorNotice error={pages.error} />}
      <ErrorNotice error={cancel.error ?? fulfil.error} />
      {pages.orders.length === 0 && pages.isSuccess && <p className="empty">{emptyText}</p>}
      <div className="order-list">
        {pages.orders.map((order) => (
          <OrderCard key={order.id} order={order} actions={actionsFor(order)} showCustomer={scope === 'all'} />
        ))}
      </div>
      <LoadMore {...pages} label="Older orders" />
    </>
  );
}
