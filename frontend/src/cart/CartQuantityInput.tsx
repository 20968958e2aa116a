import { useEffect, useState } from 'react';
import { setCartQuantity } from './cartStore';

interface CartQuantityInputProps {
  productId: string;
  name: string;
  quantity: number;
  errorId?: string;
  invalid: boolean;
}

/**
 * Keeps the text being typed apart from the stored quantity, so the field can be emptied to type
 * a new number; each whole number of at least 1 goes straight to the cart, anything else is
 * dropped when the field loses focus.
 */
export function CartQuantityInput({ productId, name, quantity, errorId, invalid }: CartQuantityInputProps) {
  const [text, setText] = useState(String(quantity));
  useEffect(() => setText(String(quantity)), [quantity]);
  const inputId = `cart-qty-${productId}`;

  return (
    <>
      <label htmlFor={inputId}>
        Quantity<span className="visually-hidden"> of {name}</span>
      </label>
      <input
        id={inputId}
        type="number"
        inputMode="numeric"
        min={1}
        max={1000}
        step={1}
        value={text}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? errorId : undefined}
        onChange={(e) => {
          setText(e.target.value);
          const next = Number(e.target.value);
          if (e.target.value !== '' && Number.isInteger(next) && next >= 1) setCartQuantity(productId, next);
        }}
        onBlur={() => setText(String(quantity))}
      />
    </>
  );
}
