import { describe, expect, it } from 'vitest';
import { centsToInput, formatMoney, parseMoneyToCents } from './money';

describe('formatMoney', () => {
  it('formats integer cents as currency', () => {
    expect(formatMoney(1250)).toBe('$12.50');
    expect(formatMoney(0)).toBe('$0.00');
    expect(formatMoney(5)).toBe('$0.05');
    expect(formatMoney(123456789)).toBe('$1,234,567.89');
  });

  it('keeps cents exact where floating point would not', () => {
    expect(formatMoney(29)).toBe('$0.29');
    expect(formatMoney(100000000)).toBe('$1,000,000.00');
  });

  it('formats negative amounts and shows a dash for nonsense', () => {
    expect(formatMoney(-150)).toBe('-$1.50');
    expect(formatMoney(Number.NaN)).toBe('—');
  });

  it('uses the currency asked for', () => {
    expect(formatMoney(1000, 'EUR')).toBe('€10.00');
  });
});

describe('parseMoneyToCents', () => {
  it('reads prices as typed', () => {
    expect(parseMoneyToCents('12')).toBe(1200);
    expect(parseMoneyToCents('12.5')).toBe(1250);
    expect(parseMoneyToCents('0.29')).toBe(29);
    expect(parseMoneyToCents(' 1,234.56 ')).toBe(123456);
    expect(parseMoneyToCents('$3.10')).toBe(310);
  });

  it('refuses what is not a price', () => {
    for (const text of ['', 'abc', '1.234', '-1', '1.2.3']) expect(parseMoneyToCents(text)).toBeNull();
  });

  it('round-trips with centsToInput', () => {
    expect(centsToInput(1205)).toBe('12.05');
    expect(parseMoneyToCents(centsToInput(99))).toBe(99);
  });
});
