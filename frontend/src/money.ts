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

export type MoneyReading = { cents: number } | { problem: string };

const EXAMPLE = 'such as 12.50';

/**
 * Reads a price as a person types it, in cents, with string arithmetic so that no floating-point
 * rounding can turn 0.29 into 28 cents. Both decimal marks are understood: "12.50" and "12,50"
 * are 1250 cents; a group separator must group by threes ("1,234.56", "1.234,56"). Anything
 * else is refused with a sentence saying what to type instead — never silently reinterpreted.
 */
export function readMoney(input: string): MoneyReading {
  const text = input.trim().replace(/^[$€£]\s*/, '');
  if (text === '') return { problem: `Enter a price, ${EXAMPLE}.` };
  if (text.startsWith('-')) return { problem: 'A price cannot be negative.' };
  if (!/^[\d.,]+$/.test(text)) return { problem: `Enter the price as a number, ${EXAMPLE}.` };

  const lastPoint = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  let whole = text;
  let fraction = '';
  const decimalAt = Math.max(lastPoint, lastComma);
  if (decimalAt >= 0) {
    const mark = text.charAt(decimalAt);
    const after = text.slice(decimalAt + 1);
    const other = mark === '.' ? ',' : '.';
    // A single mark followed by exactly three digits, with nothing else, reads as a group
    // separator only for the comma ("1,234" is 1234); "1.234" is refused as ambiguous.
    const onlyMark = !text.includes(other) && text.indexOf(mark) === decimalAt;
    if (mark === ',' && onlyMark && after.length === 3) {
      whole = text;
    } else if (after.length > 2) {
      return { problem: `Use at most two digits after the decimal mark, ${EXAMPLE}.` };
    } else {
      whole = text.slice(0, decimalAt);
      fraction = after;
      if (whole.includes(mark)) return { problem: `Use one decimal mark only, ${EXAMPLE}.` };
    }
  }
  // What is left of the decimal mark may group thousands with the other mark, by threes.
  const groups = whole.split(/[.,]/);
  if (groups.length > 1 && !((groups[0] ?? '').length >= 1 && (groups[0] ?? '').length <= 3 && groups.slice(1).every((g) => g.length === 3)))
    return { problem: `Group thousands by three digits, or leave the separator out, ${EXAMPLE}.` };
  const digits = groups.join('');
  if (digits === '') return { problem: `Enter the price as a number, ${EXAMPLE}.` };
  const cents = Number(digits) * 100 + Number(fraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(cents)) return { problem: 'That price is too large.' };
  return { cents };
}

/** Cents for a price as typed, or null when it is not one (see {@link readMoney} for why). */
export function parseMoneyToCents(input: string): number | null {
  const reading = readMoney(input);
  return 'cents' in reading ? reading.cents : null;
}

/** Cents → "12.34" for pre-filling an editable price field. */
export function centsToInput(cents: number): string {
  const whole = Math.trunc(cents / 100);
  const fraction = String(Math.abs(cents % 100)).padStart(2, '0');
  return `${whole}.${fraction}`;
}
