import { ApiError } from './problem';

export interface ShortLine {
  productId: string;
  requested: number | null;
  available: number | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readCount(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : null;
}

function readLines(value: unknown): ShortLine[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    if (!isRecord(entry) || typeof entry.product_id !== 'string') return [];
    return [{ productId: entry.product_id, requested: readCount(entry.requested), available: readCount(entry.available) }];
  });
}

/**
 * The short lines of a 409 from POST /orders. The contract names the list `short`; any other
 * array of `{product_id, ...}` entries is accepted too, and an unreadable body yields [] so the
 * caller falls back to the problem's detail instead of failing.
 */
export function readShortStock(error: unknown): ShortLine[] {
  if (!(error instanceof ApiError) || error.status !== 409) return [];
  const body = error.problem.body;
  const fromShort = readLines(body.short);
  if (fromShort.length > 0) return fromShort;
  for (const value of Object.values(body)) {
    const lines = readLines(value);
    if (lines.length > 0) return lines;
  }
  return [];
}
