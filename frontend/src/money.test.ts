import { describe, expect, it } from 'vitest';
import { centsToInput, formatMoney, parseMoneyToCents, readMoney } from './money';

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
    for (const text of ['', 'abc', '1.234', '-1', '1.2.3', '1,23,456.00', '12,5,0'])
      expect(parseMoneyToCents(text), text).toBeNull();
  });

  it('reads a decimal comma as the decimal mark, never as a thousands separator', () => {
    expect(parseMoneyToCents('12,50')).toBe(1250);
    expect(parseMoneyToCents('12,5')).toBe(1250);
    expect(parseMoneyToCents('1.234,56')).toBe(123456);
    expect(parseMoneyToCents('€ 0,29')).toBe(29);
    expect(parseMoneyToCents('1,234')).toBe(123400);
  });

  it('says in plain words why a price is refused', () => {
    expect(readMoney('1.234')).toEqual({ problem: 'Use at most two digits after the decimal mark, such as 12.50.' });
    expect(readMoney('-3')).toEqual({ problem: 'A price cannot be negative.' });
    expect(readMoney('')).toEqual({ problem: 'Enter a price, such as 12.50.' });
  });

  it('round-trips with centsToInput', () => {
    expect(centsToInput(1205)).toBe('12.05');
    expect(parseMoneyToCents(centsToInput(99))).toBe(99);
  });
});
