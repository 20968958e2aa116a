import { Link, useLocation } from 'react-router';
import { OrderList } from '../components/OrderList';
import { shortId } from '../ids';

export function MyOrdersPage() {
  const location = useLocation();
  const placedOrderId = (location.state as { placedOrderId?: string } | null)?.placedOrderId;

  return (
    <>
      <h1>My orders</h1>
      {placedOrderId && (
        <div className="notice notice-ok" role="status">
          Thank you! Order <code>{shortId(placedOrderId)}</code> is confirmed.
        </div>
      )}
      <OrderList
        scope="mine"
        emptyText={
          <>
            No orders yet. <Link to="/products">Browse the catalogue</Link>.
          </>
        }
      />
    </>
  );
}
