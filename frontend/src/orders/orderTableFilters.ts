import type { OrderFilters } from '../api/orders';
import type { OrderStatus } from '../api/model';

/** The staff list's filters as they sit in the address bar: dates as YYYY-MM-DD, the day included. */
export interface FilterForm {
  status: OrderStatus | '';
  from: string;
  to: string;
  q: string;
}

const STATUSES: readonly string[] = ['confirmed', 'cancelled', 'fulfilled'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function readFilterForm(params: URLSearchParams): FilterForm {
  const status = params.get('status') ?? '';
  return {
    status: (STATUSES.includes(status) ? status : '') as FilterForm['status'],
    from: DAY.test(params.get('from') ?? '') ? (params.get('from') as string) : '',
    to: DAY.test(params.get('to') ?? '') ? (params.get('to') as string) : '',
    q: params.get('q') ?? '',
  };
}

export function filterParams(form: FilterForm): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(form)) if (value.trim()) params[key] = value.trim();
  return params;
}

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** Days are UTC days, as in the API; "to" includes its whole day. */
export function toApiFilters(form: FilterForm): OrderFilters {
  return {
    status: form.status,
    from: form.from ? `${form.from}T00:00:00Z` : '',
    to: form.to ? `${nextDay(form.to)}T00:00:00Z` : '',
    q: form.q.trim(),
  };
}

/** A range that ends before it starts is told in the browser, before any request. */
export function checkFilterForm(form: FilterForm): Partial<Record<'to', string>> {
  if (form.from && form.to && form.to < form.from) return { to: 'The end date is before the start date.' };
  return {};
}
