import type { Order } from '../api/model';
import { formatMoney } from '../money';

export function OrderLinesTable({ order }: { order: Order }) {
  return (
    <div className="table-scroll">
      <table className="lines">
        <caption className="visually-hidden">Lines of order {order.id}</caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col" className="num">
              Price
            </th>
            <th scope="col" className="num">
              Qty
            </th>
            <th scope="col" className="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {order.items.map((line) => (
            <tr key={line.product_id}>
              <td>
                {line.name} <span className="muted">({line.sku})</span>
              </td>
              <td className="num">{formatMoney(line.unit_price_cents)}</td>
              <td className="num">{line.quantity}</td>
              <td className="num">{formatMoney(line.line_total_cents)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              Order total
            </th>
            <td className="num total" data-testid="order-total">
              {formatMoney(order.total_cents)}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
