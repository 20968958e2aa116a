import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { listStockMovements } from '../api/products';
import { queryKeys } from '../api/queryKeys';
import { ErrorNotice } from '../components/ErrorNotice';
import { LoadMore } from '../components/LoadMore';
import { Loading } from '../components/Loading';
import { formatDateTime } from '../dates';
import { shortId } from '../ids';

export function MovementHistory({ productId }: { productId: string }) {
  const pages = useInfiniteQuery({
    queryKey: queryKeys.movements(productId),
    queryFn: ({ pageParam }) => listStockMovements(productId, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
  const movements = pages.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section className="card" aria-labelledby="movements-heading">
      <h2 id="movements-heading">Stock movements</h2>
      {pages.isPending && <Loading label="Loading movements…" />}
      {pages.isError && <ErrorNotice error={pages.error} />}
      {pages.isSuccess && movements.length === 0 && <p className="empty">No movements yet.</p>}
      {movements.length > 0 && (
        <div className="table-scroll">
          <table className="data movements">
            <caption className="visually-hidden">Stock movements, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col" className="num">
                  Change
                </th>
                <th scope="col" className="num">
                  Stock after
                </th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {movements.map((movement) => (
                <tr key={movement.id}>
                  <td>{formatDateTime(movement.created_at)}</td>
                  <td className={`num ${movement.delta > 0 ? 'up' : 'down'}`}>
                    {movement.delta > 0 ? `+${movement.delta}` : movement.delta}
                  </td>
                  <td className="num">{movement.stock_after}</td>
                  <td>
                    {movement.reason}
                    {movement.order_id && (
                      <span className="muted">
                        {' '}
                        (order <code>{shortId(movement.order_id)}</code>)
                      </span>
                    )}
                    {movement.purchase_order_id && (
                      <span className="muted">
                        {' '}
                        (
                        <Link to={`/admin/purchase-orders/${movement.purchase_order_id}`}>
                          purchase order <code>{shortId(movement.purchase_order_id)}</code>
                        </Link>
                        )
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore {...pages} label="Older movements" />
    </section>
  );
}
