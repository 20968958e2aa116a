import { Link, useSearchParams } from 'react-router';
import type { PurchaseOrder, PurchaseOrderStatus } from '../../api/restock';
import { ErrorNotice } from '../../components/ErrorNotice';
import { LoadMore } from '../../components/LoadMore';
import { Loading } from '../../components/Loading';
import { formatDateTime } from '../../dates';
import { shortId } from '../../ids';
import { PurchaseOrderStatusBadge } from '../../restock/PurchaseOrderStatusBadge';
import { usePurchaseOrderPages } from '../../restock/useRestock';
import { usePageTitle } from '../../usePageTitle';

const STATUSES: readonly PurchaseOrderStatus[] = ['open', 'received', 'cancelled'];

function readStatus(value: string | null): PurchaseOrderStatus | '' {
  return STATUSES.includes(value as PurchaseOrderStatus) ? (value as PurchaseOrderStatus) : '';
}

const sum = (order: PurchaseOrder, pick: (line: PurchaseOrder['lines'][number]) => number) =>
  order.lines.reduce((total, line) => total + pick(line), 0);

/** Purchase orders newest first, filtered by status (kept in the URL), page by page. */
export function PurchaseOrdersPage() {
  usePageTitle('Purchase orders');
  const [params, setParams] = useSearchParams();
  const status = readStatus(params.get('status'));
  const pages = usePurchaseOrderPages(status);
  return (
    <>
      <div className="page-head">
        <h1>Purchase orders</h1>
        <Link to="/admin/restock">Restock suggestions</Link>
      </div>
      <div className="row" role="search" aria-label="Filter purchase orders">
        <label>
          Status
          <select
            value={status}
            onChange={(e) => setParams(e.target.value ? { status: e.target.value } : {}, { replace: true })}
          >
            <option value="">Any</option>
            <option value="open">Open</option>
            <option value="received">Received</option>
            <option value="cancelled">Cancelled</option>
          </select>
        </label>
      </div>
      {pages.isPending && <Loading label="Loading purchase orders…" />}
      {pages.isError && <ErrorNotice error={pages.error} />}
      {pages.isSuccess && pages.orders.length === 0 && <p className="empty">No purchase order matches.</p>}
      {pages.orders.length > 0 && (
        <div className="table-scroll">
          <table className="data">
            <caption className="visually-hidden">Purchase orders, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Supplier</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Lines
                </th>
                <th scope="col" className="num">
                  Received / ordered
                </th>
                <th scope="col" className="hide-narrow">
                  Created
                </th>
              </tr>
            </thead>
            <tbody>
              {pages.orders.map((order) => (
                <tr key={order.id} data-purchase-order-id={order.id}>
                  <th scope="row">
                    <Link to={`/admin/purchase-orders/${order.id}`} aria-label={`Purchase order ${shortId(order.id)}`}>
                      <code>{shortId(order.id)}</code>
                    </Link>
                  </th>
                  <td>{order.supplier}</td>
                  <td>
                    <PurchaseOrderStatusBadge status={order.status} />
                  </td>
                  <td className="num">{order.lines.length}</td>
                  <td className="num">
                    {sum(order, (line) => line.received)} / {sum(order, (line) => line.quantity)}
                  </td>
                  <td className="hide-narrow">{formatDateTime(order.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore {...pages} label="Older purchase orders" />
    </>
  );
}
