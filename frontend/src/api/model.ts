// The app's names for the shapes of the HTTP contract (API.md). Each is taken from types.ts,
// generated from /openapi.json (`npm run gen:types`); written by hand here is only what that
// document does not say: one generic page instead of a Page_X per item, and the values of
// a field it types as a plain string (a summary's risk). Money is integer cents, times
// RFC 3339 strings.
import type * as api from './types';

export type Role = api.Role;

/** The signed-in account (`GET /auth/me`). */
export type User = api.UserView;

export type LoginResult = api.AccessToken;

/** Every list answer: `{items, next_cursor}`. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export type Product = api.Product;
export type NewProduct = api.NewProduct;
export type ProductPatch = api.ProductPatch;
export type StockMovement = api.StockMovement;

export type OrderStatus = api.OrderStatus;
export type SummaryStatus = api.SummaryStatus;
export type SummaryRisk = 'low' | 'medium' | 'high';

/** A fact about the order computed by the shop, not by the model. */
export type SummaryFlag = api.Flag;

export type OrderSummary = Omit<api.Summary, 'risk'> & { risk?: SummaryRisk | null };

export type OrderLine = api.OrderLine;
export type Shipping = api.Shipping;

export type Order = Omit<api.Order, 'summary'> & {
  /** Staff information: `null` for the customer who owns the order. */
  summary?: OrderSummary | null;
};

export type OrderItemInput = api.NewOrderLine;
export type NewOrderExtras = Partial<Pick<api.NewOrder, 'shipping' | 'note'>>;

export type OrderEvent = Omit<api.OrderEvent, 'data'> & {
  /** The document gives no shape for it; e.g. `{"by": "staff"}` on `cancelled`. */
  data: Record<string, unknown>;
};
