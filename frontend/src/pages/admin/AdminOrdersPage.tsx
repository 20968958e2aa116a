import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { listOrders } from '../../api/orders';
import { queryKeys } from '../../api/queryKeys';
import type { Order } from '../../api/model';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { Loading } from '../../components/Loading';
import { OrderStatusBadge } from '../../components/OrderStatusBadge';
import { formatDateTime } from '../../dates';
import { shortId } from '../../ids';
import { formatMoney } from '../../money';
import { usePageTitle } from '../../usePageTitle';
import { checkFilterForm, filterParams, readFilterForm, toApiFilters, type FilterForm } from '../../orders/orderTableFilters';

export const ORDERS_PER_PAGE = 25;

function units(order: Order): number {
  return order.items.reduce((sum, line) => sum + line.quantity, 0);
}

function OrderRow({ order }: { order: Order }) {
  return (
    <tr data-order-id={order.id}>
      <th scope="row">
        <Link to={`/admin/orders/${order.id}`} aria-label={`Order ${shortId(order.id)}`}>
          <code>{shortId(order.id)}</code>
        </Link>
      </th>
      <td>{formatDateTime(order.created_at)}</td>
      <td className="email">{order.customer_email}</td>
      <td>{order.shipping ? `${order.shipping.city}, ${order.shipping.country}` : <span className="muted">—</span>}</td>
      <td className="num">{units(order)}</td>
      <td className="num">{formatMoney(order.total_cents)}</td>
      <td>
        <OrderStatusBadge status={order.status} />
      </td>
      <td>{order.summary?.status ?? '—'}</td>
    </tr>
  );
}

/** Everyone's orders as a dense table: filter by status and day range, search by id or email, page by page. */
export function AdminOrdersPage() {
  usePageTitle('All orders');
  const [params, setParams] = useSearchParams();
  const applied = readFilterForm(params);
  const [form, setForm] = useState<FilterForm>(applied);
  const [formErrors, setFormErrors] = useState<Partial<Record<'to', string>>>({});
  // Keyset paging: the cursors that led to each page shown so far, so "Newer" can go back.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const filters = toApiFilters(applied);

  const page = useQuery({
    queryKey: queryKeys.orderTable(filters, cursor),
    queryFn: () => listOrders('all', cursor, filters, ORDERS_PER_PAGE),
    placeholderData: keepPreviousData,
  });

  function apply(event: FormEvent) {
    event.preventDefault();
    const errors = checkFilterForm(form);
    setFormErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setCursors([null]);
    setParams(filterParams(form));
  }

  function clear() {
    const empty: FilterForm = { status: '', from: '', to: '', q: '' };
    setForm(empty);
    setFormErrors({});
    setCursors([null]);
    setParams({});
  }

  const set = (key: keyof FilterForm) => (event: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [key]: event.target.value }));

  const items = page.data?.items ?? [];
  const first = (cursors.length - 1) * ORDERS_PER_PAGE + 1;
  const filtered = Object.keys(filterParams(applied)).length > 0;

  return (
    <>
      <h1>All orders</h1>
      <form className="filters card" onSubmit={apply} role="search" aria-label="Filter orders" noValidate>
        <div className="field">
          <label htmlFor="order-status">Status</label>
          <select id="order-status" value={form.status} onChange={set('status')}>
            <option value="">Any status</option>
            <option value="confirmed">Confirmed (to ship)</option>
            <option value="fulfilled">Fulfilled</option>
            <option value="cancelled">Cancelled</option>
          </select>
        </div>
        <Field label="From (day)" type="date" value={form.from} onChange={set('from')} />
        <Field label="To (day, included)" type="date" value={form.to} onChange={set('to')} errors={formErrors.to ? [formErrors.to] : []} />
        <Field
          label="Search"
          type="search"
          hint="Order id (start or the short id) or customer email."
          value={form.q}
          onChange={set('q')}
        />
        <div className="row filter-buttons">
          <button type="submit">Apply</button>
          {filtered && (
            <button type="button" className="secondary" onClick={clear}>
              Clear filters
            </button>
          )}
        </div>
      </form>

      {page.isError && <ErrorNotice error={page.error} />}
      {page.isPending ? (
        <Loading label="Loading orders…" />
      ) : (
        <>
          <p className="table-count" role="status" aria-live="polite">
            {items.length === 0
              ? filtered
                ? 'No orders match these filters.'
                : 'No orders yet.'
              : `Orders ${first}–${first + items.length - 1}${page.data?.next_cursor ? ', more older ones follow' : ''}${filtered ? ' (filtered)' : ''}`}
          </p>
          {items.length > 0 && (
            <div className="table-scroll">
              <table className="dense orders-table" aria-busy={page.isFetching}>
                <caption className="visually-hidden">Orders, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Order</th>
                    <th scope="col">Placed</th>
                    <th scope="col">Customer</th>
                    <th scope="col">Ship to</th>
                    <th scope="col" className="num">
                      Units
                    </th>
                    <th scope="col" className="num">
                      Total
                    </th>
                    <th scope="col">Status</th>
                    <th scope="col">Summary</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((order) => (
                    <OrderRow key={order.id} order={order} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <nav className="pager row" aria-label="Pages of orders">
            <button
              type="button"
              className="secondary"
              disabled={cursors.length === 1}
              onClick={() => setCursors((stack) => stack.slice(0, -1))}
            >
              ← Newer
            </button>
            <span className="muted">Page {cursors.length}</span>
            <button
              type="button"
              className="secondary"
              disabled={!page.data?.next_cursor || page.isPlaceholderData}
              onClick={() => setCursors((stack) => [...stack, page.data?.next_cursor ?? null])}
            >
              Older →
            </button>
          </nav>
        </>
      )}
    </>
  );
}
