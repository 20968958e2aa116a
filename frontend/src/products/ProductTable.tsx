import { Link } from 'react-router';
import type { Product } from '../api/model';
import { formatMoney } from '../money';

export function ProductTable({ products, caption }: { products: readonly Product[]; caption: string }) {
  return (
    <div className="table-scroll">
      <table className="data">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col" className="hide-narrow">
              SKU
            </th>
            <th scope="col" className="num">
              Price
            </th>
            <th scope="col" className="num">
              Stock
            </th>
            <th scope="col" className="num">
              Incoming
            </th>
            <th scope="col" className="num hide-narrow">
              Threshold
            </th>
            <th scope="col">
              <span className="visually-hidden">Manage</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {products.map((product) => (
            <tr key={product.id} data-sku={product.sku}>
              <td>{product.name}</td>
              <td className="hide-narrow">
                <code>{product.sku}</code>
              </td>
              <td className="num">{formatMoney(product.price_cents)}</td>
              <td className="num">
                {product.stock} {product.low_stock && <span className="badge badge-low">low</span>}
              </td>
              <td className="num" data-testid="incoming">
                {product.incoming ?? 0}
              </td>
              <td className="num hide-narrow">{product.low_stock_threshold}</td>
              <td>
                <Link to={`/admin/products/${product.id}`}>
                  Manage<span className="visually-hidden"> {product.name}</span>
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
