/**
 * The checks `Warehouse.append` makes on both engines before a row is sent:
 * every column the same length, every column one the table declares (a
 * column the table does not hold would otherwise be dropped without a word),
 * and every NOT NULL column given (ClickHouse would fill it with '' or 0).
 */
import type { AppendColumns } from './warehouse.js';

/** A column the target table declares. */
export interface DeclaredColumn {
  readonly name: string;
  readonly nullable: boolean;
}

/** The rows `columns` hold (0 for no columns); throws when they differ in length, name a column `declared` lacks, or leave out a NOT NULL one. */
export function checkAppendColumns(table: string, columns: AppendColumns, declared: readonly DeclaredColumn[]): number {
  const names = Object.keys(columns);
  if (names.length === 0) return 0;
  const length = columns[names[0]!]!.length;
  for (const name of names) {
    if (columns[name]!.length !== length) throw new Error(`append to ${table}: column ${name} has ${columns[name]!.length} values, expected ${length}`);
  }
  const list = (few: readonly string[]) => `column${few.length > 1 ? 's' : ''} ${few.join(', ')}`;
  const known = new Set(declared.map((c) => c.name));
  const undeclared = names.filter((name) => !known.has(name));
  if (undeclared.length > 0) {
    throw new Error(`append to ${table}: ${list(undeclared)} not declared by the table (it declares ${declared.map((c) => c.name).join(', ')})`);
  }
  const missing = declared.filter((c) => !c.nullable && columns[c.name] === undefined).map((c) => c.name);
  if (missing.length > 0) throw new Error(`append to ${table}: NOT NULL ${list(missing)} not given`);
  return length;
}

/** What an append stores as NULL, on both engines: null, undefined and NaN. */
export function isAppendedNull(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value));
}

/**
 * A value appended to a numeric column, read alike on both engines: null,
 * undefined and NaN are NULL; booleans 1 / 0; numeric text its number; any
 * other value fails, and so does a fraction for a whole-number column (it
 * was rounded on DuckDB and refused on ClickHouse).
 */
export function appendedNumber(table: string, column: string, value: unknown, whole: boolean): number | null {
  if (isAppendedNull(value)) return null;
  const x = typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (Number.isNaN(x)) throw new Error(`append to ${table}: column ${column} holds numbers, got ${JSON.stringify(value)}`);
  if (whole && !Number.isInteger(x)) throw new Error(`append to ${table}: column ${column} holds whole numbers, got ${x}`);
  return x;
}
