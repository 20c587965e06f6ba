/**
 * A record's own entry for a key, never one inherited from `Object.prototype`: keys such as
 * `constructor` or `toString` come from users (suite names, review commit ids) and must look up
 * nothing when the record has no such entry.
 */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
