/**
 * Reads a timestamp column the way each database driver returns it (a Date from pg, epoch milliseconds or text from
 * SQLite) and returns ISO 8601 in UTC.
 *
 * @public
 */
export function timestampToIso(value: Date | string | number): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  if (/^\d+$/.test(value)) return new Date(Number(value)).toISOString();
  // SQLite hands back 'YYYY-MM-DD HH:MM:SS' (UTC) for values the database wrote itself.
  const text =
    /^\d{4}-\d{2}-\d{2} \d/.test(value) && !/[zZ]|[+-]\d\d:?\d\d$/.test(value)
      ? `${value.replace(' ', 'T')}Z`
      : value;
  return new Date(text).toISOString();
}
