/**
 * One CSV cell as clvkit's own CSV files write it (plan.csv, recommendations.csv): null empty, text quoted (quotes
 * doubled) when it holds a quote, comma, line feed or carriage return (a bare CR ends a row for RFC 4180 readers),
 * anything else as `String` writes it.
 *
 * Not for a file the two engines must write as the same bytes: that is DuckDB COPY's form (`csvField`,
 * engine/clickhouse/tsv-result.ts), which also quotes an empty text (to tell it from NULL), and takes its fields from TabSeparated text.
 *
 * Example: `csvCell('say "hi", all')` → `'"say ""hi"", all"'`; `csvCell(null)` → `''`; `csvCell(2.5)` → `'2.5'`
 */
export function csvCell(value: unknown): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
