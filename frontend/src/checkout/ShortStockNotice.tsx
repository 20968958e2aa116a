import { describeError } from '../api/problem';
import { readShortStock } from '../api/shortStock';
import { setCartQuantity, type CartLine } from '../cart/cartStore';

interface ShortStockNoticeProps {
  error: unknown;
  cart: readonly CartLine[];
}

/** A 409 from checkout, line by line, with a way to bring each line down to what is available. */
export function ShortStockNotice({ error, cart }: ShortStockNoticeProps) {
  const lines = readShortStock(error);
  if (lines.length === 0) {
    return (
      <div className="notice notice-error" role="alert">
        <p>{describeError(error)}</p>
        <p>Some items are not available in the quantity you asked for. Nothing was ordered; check your cart and try again.</p>
      </div>
    );
  }

  const nameOf = (productId: string) => cart.find((line) => line.productId === productId)?.name ?? productId;
  const quantityOf = (productId: string) => cart.find((line) => line.productId === productId)?.quantity ?? 0;
  const isFixed = (productId: string, available: number | null) =>
    available !== null && quantityOf(productId) <= available;
  const unfixed = lines.filter((line) => line.available !== null && !isFixed(line.productId, line.available));

  function fixAll() {
    for (const line of unfixed) setCartQuantity(line.productId, line.available ?? 0);
  }

  return (
    <div className="notice notice-error short-stock" role="alert">
      <p>
        <strong>Not enough stock.</strong> Nothing was ordered. Change these lines and place the order again:
      </p>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" className="num">
                Asked for
              </th>
              <th scope="col" className="num">
                Available
              </th>
              <th scope="col" className="num">
                In cart
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr key={line.productId} data-short-product={line.productId}>
                <td>{nameOf(line.productId)}</td>
                <td className="num">{line.requested ?? 'unknown'}</td>
                <td className="num">{line.available ?? 'unknown'}</td>
                <td className="num">
                  {quantityOf(line.productId)}
                  {isFixed(line.productId, line.available) && <span className="ok"> ✓ fixed</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {unfixed.length > 0 && (
        <div className="actions">
          {unfixed.map((line) =>
            (line.available ?? 0) > 0 ? (
              <button
                key={line.productId}
                type="button"
                className="secondary"
                onClick={() => setCartQuantity(line.productId, line.available ?? 0)}
              >
                Change {nameOf(line.productId)} to {line.available}
              </button>
            ) : (
              <button
                key={line.productId}
                type="button"
                className="secondary"
                onClick={() => setCartQuantity(line.productId, 0)}
              >
                Remove {nameOf(line.productId)}
              </button>
            ),
          )}
          {unfixed.length > 1 && (
            <button type="button" onClick={fixAll}>
              Take what is available for every line
            </button>
          )}
        </div>
      )}
    </div>
  );
}
