/**
 * Reading a ClickHouse result in `TabSeparatedWithNamesAndTypes`: the header
 * (names and ClickHouse types), the raw field rows, a row of typed values, and
 * a field as CSV text (for `exportCsv`).
 *
 * Example: `splitTsv('n\tname\nUInt64\tString\n1\tA\n')` → `{ header: { names: ['n', 'name'], types: ['UInt64', 'String'] }, rows: [['1', 'A']] }`
 */
import type { Row } from '../warehouse.js';
import { doubleCsvText } from '../csv-number-text.js';
import { baseType, isNumericType, parseClickHouseValue, unescapeTsv } from './parse-clickhouse-value.js';

export interface Header {
  readonly names: string[];
  readonly types: string[];
}

/** Split a TabSeparatedWithNamesAndTypes body into its header and raw field rows. */
export function splitTsv(text: string): { header: Header; rows: string[][] } {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const names = (lines[0] ?? '').split('\t').map(unescapeTsv);
  const types = (lines[1] ?? '').split('\t');
  return { header: { names, types }, rows: lines.slice(2).map((line) => line.split('\t')) };
}

export function toRow(fields: readonly string[], header: Header): Row {
  const row: Row = {};
  header.names.forEach((name, i) => (row[name] = parseClickHouseValue(fields[i]!, header.types[i]!)));
  return row;
}

/**
 * One TabSeparated field as DuckDB's COPY writes the same value, so that the
 * two engines' CSV files are the same bytes: NULL empty, an empty text `""`
 * (told apart from NULL), text quoted when it holds a quote, comma or line
 * break, floats in `doubleCsvText`'s form (ClickHouse prints `1`,
 * `0.000009`, `1e21`; DuckDB `1.0`, `9e-06`, `1e+21`), the epoch as a date
 * (18.16 prints it as zeros), integers as they are.
 *
 * Example: `csvField('0.000009', 'Float64')` → `'9e-06'`; `csvField('', 'String')` → `'""'`
 */
export function csvField(field: string, type: string): string {
  if (field === '\\N') return '';
  const base = baseType(type);
  if (base === 'Float64' || base === 'Float32') return doubleCsvText(parseClickHouseValue(field, base) as number);
  if (isNumericType(base)) return field;
  if (base === 'Date' || base.startsWith('DateTime')) return field.startsWith('0000-00-00') ? `1970-01-01${field.slice(10)}` : field;
  const text = unescapeTsv(field);
  return text === '' || /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
