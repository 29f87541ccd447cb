/**
 * The column names of a source file, read cheaply, to decide its kind before
 * it is staged: the first line of a delimited file (split on the most
 * frequent of `,` `;` tab `|`, else a header's `:` `#` `~` or `^`), the keys of the first JSON Lines object, the
 * schema of a Parquet file. Files without names (whitespace-separated, XLSX)
 * give none (read as transactions).
 */
import type { Warehouse } from '../engine/warehouse.js';
import { commonestDelimiter, undetectedHeaderDelimiter } from './commonest-delimiter.js';
import type { SourceInspection } from './inspect-source.js';

function splitHeader(line: string, lines: readonly string[]): string[] {
  const delimiter = commonestDelimiter(line) ?? undetectedHeaderDelimiter(lines) ?? ',';
  return line.split(delimiter).map((name) => name.trim().replace(/^"(.*)"$/, '$1'));
}

export async function peekSourceColumns(warehouse: Warehouse, source: SourceInspection): Promise<string[]> {
  const first = source.sampleLines.find((line) => line.trim() !== '') ?? '';
  switch (source.format) {
    case 'csv':
      return splitHeader(first, source.sampleLines);
    case 'jsonl':
      try {
        const value: unknown = JSON.parse(first);
        return value !== null && typeof value === 'object' ? Object.keys(value) : [];
      } catch {
        return [];
      }
    case 'parquet':
      return (await warehouse.query(`DESCRIBE SELECT * FROM read_parquet(${warehouse.dialect.literal(source.path)})`)).map((row) => String(row.column_name));
    default:
      return [];
  }
}
