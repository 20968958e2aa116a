import { useState, type FormEvent } from 'react';
import type { Product } from '../api/model';
import { Availability } from './Availability';
import { addToCart, useCart } from '../cart/cartStore';
import { formatMoney } from '../money';

export function ProductTile({ product }: { product: Product }) {
  const cart = useCart();
  const [quantity, setQuantity] = useState('1');
  const [added, setAdded] = useState<string | null>(null);
  const inCart = cart.find((line) => line.productId === product.id)?.quantity ?? 0;
  const quantityId = `qty-${product.id}`;
  const soldOut = product.stock <= 0;

  function add(event: FormEvent) {
    event.preventDefault();
    const count = Number(quantity);
    if (!Number.isInteger(count) || count < 1) {
      setAdded('Enter a whole number of at least 1.');
      return;
    }
    addToCart({ productId: product.id, sku: product.sku, name: product.name, priceCents: product.price_cents }, count);
    setAdded(`Added ${count} to your cart.`);
  }

  return (
    <li className="card product" data-sku={product.sku}>
      <h3>{product.name}</h3>
      <p className="muted sku">SKU {product.sku}</p>
      {product.description && <p className="description">{product.description}</p>}
      <p className="price">{formatMoney(product.price_cents)}</p>
      <Availability product={product} />
      <form className="add-to-cart" onSubmit={add}>
        <label htmlFor={quantityId}>
          Quantity<span className="visually-hidden"> of {product.name}</span>
        </label>
        <div className="row">
          <input
            id={quantityId}
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
            disabled={soldOut}
          />
          <button type="submit" disabled={soldOut}>
            Add to cart
          </button>
        </div>
      </form>
      <p className="muted" aria-live="polite">
        {added}
        {inCart > 0 && ` In cart: ${inCart}.`}
      </p>
    </li>
  );
}
