import { describe, expect, it } from 'vitest';
import { addToCart, cartCount, cartTotalCents, getCart, setCartQuantity } from './cartStore';

const mug = { productId: 'p1', sku: 'MUG', name: 'Mug', priceCents: 1250 };
const pen = { productId: 'p2', sku: 'PEN', name: 'Pen', priceCents: 199 };

describe('cart', () => {
  it('adds, merges and totals lines in the session', () => {
    addToCart(mug, 1);
    addToCart(pen, 3);
    addToCart(mug, 2);
    expect(getCart().map((l) => [l.productId, l.quantity])).toEqual([
      ['p1', 3],
      ['p2', 3],
    ]);
    expect(cartTotalCents(getCart())).toBe(3 * 1250 + 3 * 199);
    expect(cartCount(getCart())).toBe(6);
    expect(JSON.parse(sessionStorage.getItem('shop.cart') ?? '[]')).toHaveLength(2);
  });

  it('removes a line set to zero', () => {
    addToCart(mug, 1);
    setCartQuantity('p1', 0);
    expect(getCart()).toEqual([]);
  });

  it('ignores a corrupt stored cart', () => {
    sessionStorage.setItem('shop.cart', '{not json');
    expect(getCart()).toEqual([]);
    sessionStorage.setItem('shop.cart', JSON.stringify([{ productId: 'x' }, { ...mug, quantity: 2 }]));
    expect(getCart()).toEqual([{ ...mug, quantity: 2 }]);
  });
});
