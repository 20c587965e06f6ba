/**
 * The one order capgate sorts text in: by UTF-16 code units, as `Array.prototype.sort` does by
 * default. Unlike `localeCompare` it is the same on every machine whatever its locale (a record
 * replays byte-identically anywhere) and costs a comparison, not a collation.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
