import type { Order } from '../api/model';
import { formatDateTime } from '../dates';
import { shortId } from '../ids';
import { SHOP_NAME } from '../usePageTitle';
import { AddressBlock } from './AddressBlock';

/**
 * The sheet that goes in the parcel: hidden on screen, the only thing printed from the staff
 * order page (see `@media print`). No prices: the parcel may be a gift.
 */
export function PackingSlip({ order }: { order: Order }) {
  return (
    <section className="packing-slip" aria-label="Packing slip">
      <h2>
        {SHOP_NAME} — packing slip
      </h2>
      <p>
        Order <strong>{shortId(order.id)}</strong> · {formatDateTime(order.created_at)}
        <br />
        <span className="slip-id">{order.id}</span>
      </p>
      <h3>Ship to</h3>
      <AddressBlock shipping={order.shipping} />
      <table className="slip-lines">
        <thead>
          <tr>
            <th scope="col">SKU</th>
            <th scope="col">Product</th>
            <th scope="col" className="num">
              Qty
            </th>
            <th scope="col">Packed</th>
          </tr>
        </thead>
        <tbody>
          {order.items.map((line) => (
            <tr key={line.product_id}>
              <td>{line.sku}</td>
              <td>{line.name}</td>
              <td className="num">{line.quantity}</td>
              <td className="tick-box" aria-hidden="true" />
            </tr>
          ))}
        </tbody>
      </table>
      {order.note && (
        <>
          <h3>Customer's note</h3>
          <p>{order.note}</p>
        </>
      )}
    </section>
  );
}
