// The shapes of the HTTP contract (API.md). Money is integer cents, times RFC 3339 strings.

export type Role = 'customer' | 'admin';

export interface User {
  id: string;
  email: string;
  role: Role;
  created_at: string;
}

export interface LoginResult {
  access_token: string;
  token_type: string;
  expires_in: number;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Product {
  id: string;
  sku: string;
  name: string;
  description: string | null;
  price_cents: number;
  stock: number;
  low_stock_threshold: number;
  low_stock: boolean;
  /** What staff usually order at once; 0 means not set. */
  reorder_quantity: number;
  /** Ordered on open purchase orders and not yet received. */
  incoming: number;
  created_at: string;
  updated_at: string;
}

export interface NewProduct {
  sku: string;
  name: string;
  description?: string;
  price_cents: number;
  stock?: number;
  low_stock_threshold?: number;
}

export interface ProductPatch {
  name?: string;
  description?: string;
  price_cents?: number;
  low_stock_threshold?: number;
}

export interface StockMovement {
  id: string;
  delta: number;
  reason: string;
  order_id: string | null;
  purchase_order_id: string | null;
  actor_id: string | null;
  stock_after: number;
  created_at: string;
}

export type OrderStatus = 'confirmed' | 'cancelled' | 'fulfilled';
export type SummaryStatus = 'pending' | 'ready' | 'failed' | 'disabled' | 'skipped';

export type SummaryRisk = 'low' | 'medium' | 'high';

/** A fact about the order computed by the shop, not by the model. */
export interface SummaryFlag {
  code: string;
  detail: string;
}

export interface OrderLine {
  product_id: string;
  sku: string;
  name: string;
  unit_price_cents: number;
  quantity: number;
  line_total_cents: number;
}

export interface OrderSummary {
  status: SummaryStatus;
  text: string | null;
  risk: SummaryRisk | null;
  flags: SummaryFlag[];
  model: string | null;
  updated_at: string | null;
}

export interface Shipping {
  name: string;
  line1: string;
  line2?: string | null;
  city: string;
  postal_code: string;
  /** ISO 3166-1 alpha-2, e.g. GB. */
  country: string;
}

export interface Order {
  id: string;
  user_id: string;
  status: OrderStatus;
  items: OrderLine[];
  total_cents: number;
  customer_email: string;
  shipping: Shipping | null;
  note: string | null;
  /** Staff information: `null` for the customer who owns the order. */
  summary: OrderSummary | null;
  created_at: string;
  updated_at: string;
}

export interface OrderItemInput {
  product_id: string;
  quantity: number;
}

export interface NewOrderExtras {
  shipping?: Shipping;
  note?: string;
}

export interface OrderEvent {
  type: string;
  actor_id: string | null;
  data: Record<string, unknown>;
  created_at: string;
}
