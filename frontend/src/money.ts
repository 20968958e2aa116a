import { CURRENCY } from './config';

const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(currency: string): Intl.NumberFormat {
  let formatter = formatters.get(currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    formatters.set(currency, formatter);
  }
  return formatter;
}

/** Integer cents → "$12.34". Non-integers are a bug upstream; show them rather than hide them. */
export function formatMoney(cents: number, currency: string = CURRENCY): string {
  if (!Number.isFinite(cents)) return '—';
  return formatterFor(currency).format(cents / 100);
}

/**
 * "12", "12.5", "1,234.56" → cents, using string arithmetic so that no
 * floating-point rounding can turn 0.29 into 28 cents. Returns null for anything else.
 */
export function parseMoneyToCents(input: string): number | null {
  const text = input.trim().replace(/,/g, '').replace(/^\$/, '');
  const match = /^(\d+)(?:\.(\d{0,2}))?$/.exec(text);
  if (!match) return null;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(2, '0'));
  const cents = whole * 100 + fraction;
  return Number.isSafeInteger(cents) ? cents : null;
}

/** Cents → "12.34" for pre-filling an editable price field. */
export function centsToInput(cents: number): string {
  const whole = Math.trunc(cents / 100);
  const fraction = String(Math.abs(cents % 100)).padStart(2, '0');
  return `${whole}.${fraction}`;
}
