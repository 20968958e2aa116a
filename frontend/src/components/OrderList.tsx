import type { ReactNode } from 'react';
import type { OrderScope } from '../api/orders';
import { OrderActions } from '../orders/OrderActions';
import { useOrderPages } from '../api/useOrderPages';
import { ErrorNotice } from './ErrorNotice';
import { LoadMore } from './LoadMore';
import { Loading } from './Loading';
import { OrderCard } from './OrderCard';

interface OrderListProps {
  scope: OrderScope;
  canFulfil?: boolean;
  emptyText: ReactNode;
}

/** Orders with the actions the viewer may take, each confirmed in place; fulfil is for staff. */
export function OrderList({ scope, canFulfil = false, emptyText }: OrderListProps) {
  const pages = useOrderPages(scope);

  if (pages.isPending) return <Loading label="Loading orders…" />;
  return (
    <>
      {pages.isError && <ErrorNotice error={pages.error} />}
      {pages.orders.length === 0 && pages.isSuccess && <p className="empty">{emptyText}</p>}
      <div className="order-list">
        {pages.orders.map((order) => (
          <OrderCard
            key={order.id}
            order={order}
            actions={order.status === 'confirmed' ? <OrderActions order={order} canFulfil={canFulfil} /> : undefined}
            link={scope === 'all' ? `/admin/orders/${order.id}` : `/orders/${order.id}`}
          />
        ))}
      </div>
      <LoadMore {...pages} label="Older orders" />
    </>
  );
}
