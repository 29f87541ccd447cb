/**
 * A time as the warehouses keep a record's own timestamps (`audiences.created_at`: when an audience was drawn): to the
 * whole second, ISO. A ClickHouse `DateTime` holds whole seconds (the cluster's 18.16 has no `DateTime64`), so a
 * time written with its milliseconds kept them on DuckDB and lost them on the cluster, and the same record printed
 * two values; both engines keep (and print) this one.
 *
 * Example: `wholeSecondsIso(new Date('2026-03-04T10:20:30.456Z'))` → `'2026-03-04T10:20:30.000Z'`
 */
export function wholeSecondsIso(time: Date = new Date()): string {
  return `${time.toISOString().slice(0, 19)}.000Z`;
}

/** `wholeSecondsIso` of a timestamp a warehouse returned (a Date; text as it is). */
export function storedSecondsIso(value: unknown): string {
  return value instanceof Date ? wholeSecondsIso(value) : String(value);
}
