import { Link } from 'react-router';
import { OrderList } from '../components/OrderList';
import { usePageTitle } from '../usePageTitle';

export function MyOrdersPage() {
  usePageTitle('My orders');
  return (
    <>
      <h1>My orders</h1>
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
