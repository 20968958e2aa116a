import { Link } from 'react-router';
import type { RestockSuggestion } from '../api/restock';
import { formatCover, formatDailySales } from './format';

interface SuggestionsTableProps {
  items: readonly RestockSuggestion[];
  selected: ReadonlySet<string>;
  onToggle: (productId: string) => void;
}

/** What to order, most urgent first; a product already covered by incoming cannot be chosen. */
export function SuggestionsTable({ items, selected, onToggle }: SuggestionsTableProps) {
  return (
    <div className="table-scroll">
      <table className="data suggestions">
        <caption className="visually-hidden">Restock suggestions, most urgent first</caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Order</span>
            </th>
            <th scope="col">Product</th>
            <th scope="col" className="num">
              Stock
            </th>
            <th scope="col" className="num">
              Incoming
            </th>
            <th scope="col" className="num">
              Daily sales
            </th>
            <th scope="col" className="num">
              Days of cover
            </th>
            <th scope="col" className="num">
              Suggested
            </th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.product_id} data-suggestion={item.product_id} data-sku={item.sku}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Order ${item.name}`}
                  checked={selected.has(item.product_id)}
                  disabled={item.suggested_quantity <= 0}
                  onChange={() => onToggle(item.product_id)}
                />
              </td>
              <td>
                <Link to={`/admin/products/${item.product_id}`}>{item.name}</Link>{' '}
                <code className="muted">{item.sku}</code>
              </td>
              <td className="num">{item.stock}</td>
              <td className="num">{item.incoming}</td>
              <td className="num">{formatDailySales(item.daily_sales)}</td>
              <td className="num">{formatCover(item.days_of_cover ?? null)}</td>
              <td className="num" data-testid="suggested">
                {item.suggested_quantity}
              </td>
              <td>{item.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
