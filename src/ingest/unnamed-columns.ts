import type { Warehouse } from '../engine/warehouse.js';

/** The name of an unnamed column (an empty header cell, a worksheet's cells beyond its header) at 1-based `position`. */
export function unnamedColumnName(position: number): string {
  return `column${position}`;
}

/**
 * The column names of a delimited file with a header, its empty header cells named by their 1-based position
 * (column2 for the second column) — the reader names them from 0 (column1 there), while a file without a header
 * names its columns from 1 and --map counts positions from 1 — or null when the header has no empty cell. `columns`
 * are the reader's names; `readArgs` the reader's arguments (delimiter, quote, encoding, …), with which the header
 * line is read as data once to see which cells are empty (only when a name looks like the reader's: column<n>).
 * A name an empty cell would take that the header holds already gets `_2`, `_3`, ….
 */
export async function emptyHeaderCellsNamedFromOne(warehouse: Warehouse, file: string, readArgs: readonly string[], columns: readonly string[]): Promise<string[] | null> {
  if (!columns.some((name) => /^column\d+$/.test(name))) return null;
  const args = [...readArgs.filter((a) => !/^(store_rejects|rejects_table|rejects_scan|header) =/.test(a)), 'header = false', 'ignore_errors = true'];
  const [first] = await warehouse.query(`SELECT * FROM read_csv(${file}, ${args.join(', ')}) LIMIT 1`);
  const cells = first ? Object.values(first) : [];
  if (cells.length !== columns.length) return null;
  const empty = cells.map((cell) => cell === null || cell === undefined || String(cell).trim() === '');
  if (!empty.includes(true)) return null;
  const names: string[] = columns.map((name, i) => (empty[i] ? '' : name));
  for (let i = 0; i < names.length; i++) {
    if (!empty[i]) continue;
    names[i] = uniqueName(names, unnamedColumnName(i + 1));
  }
  return names;
}

/** `name`, or `name_2`, `name_3`, … when the header has it already. */
export function uniqueName(header: readonly string[], name: string): string {
  let unique = name;
  for (let n = 2; header.includes(unique); n++) unique = `${name}_${n}`;
  return unique;
}

/** The spreadsheet letter of a 0-based column index (0 → A, 26 → AA). */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}
