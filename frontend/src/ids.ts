/**
 * A short, readable handle for a UUID. The IDs are time-ordered (UUIDv7), so their first
 * characters are alike for everything made in the same minute; the last ones are random.
 */
export function shortId(id: string): string {
  return id.replace(/-/g, '').slice(-8);
}
