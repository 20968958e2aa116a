import { describe, expect, it } from 'vitest';
import { ApiError, toProblem } from './problem';
import { readShortStock } from './shortStock';

const conflict = (body: unknown) => new ApiError(toProblem(409, 'Conflict', body));

describe('readShortStock', () => {
  it('reads the short member', () => {
    const error = conflict({
      detail: 'Not enough stock.',
      short: [
        { product_id: 'a', requested: 5, available: 2 },
        { product_id: 'b', requested: 1, available: 0 },
      ],
    });
    expect(readShortStock(error)).toEqual([
      { productId: 'a', requested: 5, available: 2 },
      { productId: 'b', requested: 1, available: 0 },
    ]);
  });

  it('skips malformed entries and tolerates missing numbers', () => {
    const error = conflict({ short: [null, 'x', { product_id: 7 }, { product_id: 'c', available: '3' }] });
    expect(readShortStock(error)).toEqual([{ productId: 'c', requested: null, available: null }]);
  });

  it('finds the list under another member name', () => {
    expect(readShortStock(conflict({ items: [{ product_id: 'd', requested: 2, available: 1 }] }))).toEqual([
      { productId: 'd', requested: 2, available: 1 },
    ]);
  });

  it('yields nothing for other errors and unreadable bodies', () => {
    expect(readShortStock(conflict(null))).toEqual([]);
    expect(readShortStock(conflict({ short: 'none' }))).toEqual([]);
    expect(readShortStock(new ApiError(toProblem(422, 'x', { short: [{ product_id: 'a' }] })))).toEqual([]);
    expect(readShortStock(new Error('x'))).toEqual([]);
  });
});
