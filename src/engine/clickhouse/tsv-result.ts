/**
 * Reading a ClickHouse result in `TabSeparatedWithNamesAndTypes`: the header
 * (names and ClickHouse types), the raw field rows, a row of typed values, and
 * a field as CSV text (for `exportCsv`).
 *
 * Example: `splitTsv('n\tname\nUInt64\tString\n1\tA\n')` → `{ header: { names: ['n', 'name'], types: ['UInt64', 'String'] }, rows: [['1', 'A']] }`
 */
import type { Row } from '../warehouse.js';
import { isNumericType, parseClickHouseValue, unescapeTsv } from './parse-clickhouse-value.js';

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

export function csvField(field: string, type: string): string {
  if (field === '\\N') return '';
  if (isNumericType(type)) return field;
  const text = unescapeTsv(field);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
