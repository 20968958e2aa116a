import { OrderList } from '../../components/OrderList';

export function AdminOrdersPage() {
  return (
    <>
      <h1>All orders</h1>
      <OrderList scope="all" canFulfil emptyText="No orders yet." />
    </>
  );
}
