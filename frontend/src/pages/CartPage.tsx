import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { ApiError, fieldErrors } from '../api/problem';
import { readShortStock } from '../api/shortStock';
import { useSession } from '../auth';
import { cartTotalCents, clearCart, removeFromCart, useCart } from '../cart/cartStore';
import { CartQuantityInput } from '../cart/CartQuantityInput';
import { ShippingForm } from '../checkout/ShippingForm';
import { checkShipping, clearNote, toOrderExtras, useShipping, type ShippingField } from '../checkout/shippingForm';
import { ShortStockNotice } from '../checkout/ShortStockNotice';
import { useCheckout } from '../checkout/useCheckout';
import { ErrorNotice } from '../components/ErrorNotice';
import { focusFirstInvalid } from '../components/Field';
import { usePageTitle } from '../usePageTitle';
import { formatMoney } from '../money';

export function CartPage() {
  usePageTitle('Your cart');
  const cart = useCart();
  const { token } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const shipping = useShipping();
  const [localErrors, setLocalErrors] = useState<Partial<Record<ShippingField, string>>>({});
  const checkout = useCheckout((order) => {
    clearCart();
    clearNote();
    navigate(`/orders/${order.id}`, { state: { placed: true } });
  });

  const error = checkout.error;
  const isShortStock = error instanceof ApiError && error.status === 409;
  const shortLines = readShortStock(error);
  // Field errors name lines by their position in the request, which is the cart's order.
  const claimedFields = [
    ...cart.flatMap((_, i) => [`items[${i}].quantity`, `items[${i}].product_id`, `items[${i}]`]),
    ...['name', 'line1', 'line2', 'city', 'postal_code', 'country'].map((field) => `shipping.${field}`),
    'note',
  ];

  function lineErrors(index: number, productId: string): string[] {
    const messages = [
      ...fieldErrors(error, `items[${index}]`),
      ...fieldErrors(error, `items[${index}].product_id`),
      ...fieldErrors(error, `items[${index}].quantity`),
    ];
    const short = shortLines.find((line) => line.productId === productId);
    const quantity = cart[index]?.quantity ?? 0;
    if (short && short.available !== null && quantity > short.available) {
      messages.push(`Only ${short.available} available.`);
    }
    return messages;
  }

  function placeOrder(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = checkShipping(shipping);
    setLocalErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirstInvalid(event.currentTarget);
      return;
    }
    checkout.mutate({
      items: cart.map((line) => ({ product_id: line.productId, quantity: line.quantity })),
      extras: toOrderExtras(shipping),
    });
  }

  if (cart.length === 0) {
    return (
      <>
        <h1>Your cart</h1>
        <p className="empty">
          Your cart is empty. <Link to="/products">Browse the catalogue</Link>.
        </p>
      </>
    );
  }

  return (
    <>
      <h1>Your cart</h1>
      {isShortStock ? <ShortStockNotice error={error} cart={cart} /> : <ErrorNotice error={error} claimedFields={claimedFields} />}
      <ul className="cart-lines" aria-label="Cart lines">
        {cart.map((line, index) => {
          const errors = lineErrors(index, line.productId);
          const errorId = `cart-qty-${line.productId}-error`;
          return (
            <li key={line.productId} className="card cart-line" data-cart-product={line.productId}>
              <div className="cart-line-main">
                <h2 className="cart-line-name">{line.name}</h2>
                <p className="muted">
                  SKU {line.sku} · {formatMoney(line.priceCents)} each
                </p>
              </div>
              <div className="cart-line-controls">
                <CartQuantityInput
                  productId={line.productId}
                  name={line.name}
                  quantity={line.quantity}
                  invalid={errors.length > 0}
                  errorId={errorId}
                />
                <button type="button" className="link-button" onClick={() => removeFromCart(line.productId)}>
                  Remove {line.name}
                </button>
                {errors.length > 0 && (
                  <p className="field-error" id={errorId}>
                    {errors.join(' ')}
                  </p>
                )}
              </div>
              <p className="cart-line-total num">{formatMoney(line.priceCents * line.quantity)}</p>
            </li>
          );
        })}
      </ul>
      <form className="checkout card form" onSubmit={placeOrder} noValidate aria-labelledby="checkout-heading">
        <h2 id="checkout-heading">Checkout</h2>
        {Object.keys(localErrors).length > 0 && (
          <p className="notice notice-error" role="alert">
            Please correct the {Object.keys(localErrors).length === 1 ? 'field' : 'fields'} marked below.
          </p>
        )}
        <ShippingForm
          values={shipping}
          localErrors={localErrors}
          error={error}
          onEdit={(field) =>
            setLocalErrors((current) => {
              const { [field]: _fixed, ...rest } = current;
              return rest;
            })
          }
        />
        <p className="cart-total">
          Total <strong>{formatMoney(cartTotalCents(cart))}</strong>
        </p>
        {token ? (
          <button type="submit" disabled={checkout.isPending}>
            {checkout.isPending ? 'Placing order…' : 'Place order'}
          </button>
        ) : (
          <p>
            <Link to="/" state={{ from: location.pathname }}>
              Sign in
            </Link>{' '}
            to place your order; your cart and address are kept.
          </p>
        )}
      </form>
    </>
  );
}
