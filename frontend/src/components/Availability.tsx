import type { Product } from '../api/model';

/** Stock as a customer needs it: in stock, a few left, or none. */
export function Availability({ product }: { product: Pick<Product, 'stock' | 'low_stock'> }) {
  if (product.stock <= 0) return <span className="availability out">Out of stock</span>;
  if (product.low_stock) return <span className="availability low">Only {product.stock} left</span>;
  return <span className="availability in">In stock ({product.stock})</span>;
}
