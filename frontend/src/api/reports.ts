import { apiRequest, queryString } from './client';

export interface SalesDay {
  date: string;
  orders: number;
  units: number;
  revenue_cents: number;
  cancelled: number;
}

export interface TopProduct {
  product_id: string;
  sku: string;
  name: string;
  units: number;
  revenue_cents: number;
}

export interface SalesReport {
  days: SalesDay[];
  top_products: TopProduct[];
}

export interface StockReport {
  products: number;
  low_stock: number;
  out_of_stock: number;
  stock_value_cents: number;
  incoming_units: number;
  summaries: { pending: number; ready: number; failed: number; skipped: number; disabled: number };
  /** The UTC day's AI spend; absent from an API that does not report it. */
  ai?: AiSpend;
}

export interface AiSpend {
  spent_today_usd: number;
  /** `AI_DAILY_BUDGET_USD`; null when there is no budget. */
  daily_budget_usd: number | null;
}

export const getSalesReport = (days: number) => apiRequest<SalesReport>(`/reports/sales${queryString({ days })}`);

export const getStockReport = () => apiRequest<StockReport>('/reports/stock');
