import { useSyncExternalStore } from 'react';

// The cart is the browser session's: it survives reloads in this tab and nothing more.
const CART_KEY = 'shop.cart';

export interface CartLine {
  productId: string;
  sku: string;
  name: string;
  priceCents: number;
  quantity: number;
}

const listeners = new Set<() => void>();
const EMPTY: CartLine[] = [];
// useSyncExternalStore needs a stable snapshot: reuse the parsed lines while the stored text is unchanged.
let cached: { raw: string | null; lines: CartLine[] } = { raw: null, lines: EMPTY };

function isCartLine(value: unknown): value is CartLine {
  if (typeof value !== 'object' || value === null) return false;
  const line = value as Record<string, unknown>;
  return (
    typeof line.productId === 'string' &&
    typeof line.sku === 'string' &&
    typeof line.name === 'string' &&
    typeof line.priceCents === 'number' &&
    typeof line.quantity === 'number' &&
    line.quantity > 0
  );
}

export function getCart(): CartLine[] {
  let raw: string | null = null;
  try {
    raw = sessionStorage.getItem(CART_KEY);
  } catch {
    return EMPTY;
  }
  if (raw === cached.raw) return cached.lines;
  let lines: CartLine[] = EMPTY;
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    lines = Array.isArray(parsed) ? parsed.filter(isCartLine) : EMPTY;
  } catch {
    lines = EMPTY;
  }
  cached = { raw, lines };
  return lines;
}

function saveCart(lines: CartLine[]): void {
  if (lines.length === 0) sessionStorage.removeItem(CART_KEY);
  else sessionStorage.setItem(CART_KEY, JSON.stringify(lines));
  for (const listener of listeners) listener();
}

export function addToCart(item: Omit<CartLine, 'quantity'>, quantity: number): void {
  const lines = getCart();
  const existing = lines.find((line) => line.productId === item.productId);
  if (existing) {
    saveCart(lines.map((line) => (line === existing ? { ...line, ...item, quantity: line.quantity + quantity } : line)));
  } else {
    saveCart([...lines, { ...item, quantity }]);
  }
}

/** Sets a line's quantity; zero or less removes the line. */
export function setCartQuantity(productId: string, quantity: number): void {
  const lines = getCart();
  saveCart(
    quantity > 0
      ? lines.map((line) => (line.productId === productId ? { ...line, quantity } : line))
      : lines.filter((line) => line.productId !== productId),
  );
}

export function removeFromCart(productId: string): void {
  setCartQuantity(productId, 0);
}

export function clearCart(): void {
  saveCart([]);
}

export function cartTotalCents(lines: readonly CartLine[]): number {
  return lines.reduce((total, line) => total + line.priceCents * line.quantity, 0);
}

export function cartCount(lines: readonly CartLine[]): number {
  return lines.reduce((count, line) => count + line.quantity, 0);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useCart(): CartLine[] {
  return useSyncExternalStore(subscribe, getCart, () => EMPTY);
}
