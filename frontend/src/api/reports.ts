import { apiRequest, queryString } from './client';
import type * as api from './types';

export type SalesDay = api.SalesDay;
export type TopProduct = api.TopProduct;
export type SalesReport = api.SalesReport;

/** `ai` is the UTC day's AI spend against `AI_DAILY_BUDGET_USD`. */
export type StockReport = api.StockReport;
export type AiSpend = api.AiSpend;

export const getSalesReport = (days: number) => apiRequest<SalesReport>(`/reports/sales${queryString({ days })}`);

export const getStockReport = () => apiRequest<StockReport>('/reports/stock');
