/**
 * customers.csv of two runs (DuckDB and ClickHouse) compared cell by cell,
 * keyed by customer_id: the same columns and customers, integers and text
 * exact, other numbers within `tolerance` relative (issue 18 item 4: 1e-9);
 * and byte for byte (`fileDifference`): each engine writes its numbers
 * in the one form of `Warehouse.exportCsv`, so the files of equal answers
 * are the same bytes. Used by the two-engine tests
 * (test/engine/clickhouse/same-answers.test.ts, …) and
 * scripts/compare-engines.ts.
 */
import { readFileSync } from 'node:fs';

/** Rows of a CSV text (RFC 4180 quotes), the header first. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else if (ch !== '\r') field += ch;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  return rows;
}

function sameCell(a: string, b: string, tolerance: number): boolean {
  if (a === b) return true;
  const [x, y] = [Number(a), Number(b)];
  if (a === '' || b === '' || !Number.isFinite(x) || !Number.isFinite(y)) return false;
  if (Number.isInteger(x) && Number.isInteger(y) && !a.includes('.') && !b.includes('.')) return false; // integers exact
  return Math.abs(x - y) <= tolerance * Math.max(Math.abs(x), Math.abs(y));
}

export interface CsvComparison {
  readonly customers: number;
  readonly columns: readonly string[];
  /** every difference, `customer column: a vs b` (or a missing customer / column) */
  readonly differences: readonly string[];
}

export function compareCustomersCsv(a: string, b: string, tolerance = 1e-9): CsvComparison {
  const [headA = [], ...rowsA] = parseCsv(a);
  const [headB = [], ...rowsB] = parseCsv(b);
  const differences: string[] = [];
  if (headA.join(',') !== headB.join(',')) differences.push(`columns: ${headA.join(',')} vs ${headB.join(',')}`);
  const key = headA.indexOf('customer_id');
  if (key < 0) return { customers: rowsA.length, columns: headA, differences: [...differences, 'no customer_id column'] };
  const byId = new Map(rowsB.map((row) => [row[headB.indexOf('customer_id')]!, row]));
  for (const row of rowsA) {
    const other = byId.get(row[key]!);
    if (!other) {
      differences.push(`${row[key]}: only in the first`);
      continue;
    }
    byId.delete(row[key]!);
    headA.forEach((column, i) => {
      const j = headB.indexOf(column);
      if (j >= 0 && !sameCell(row[i] ?? '', other[j] ?? '', tolerance)) differences.push(`${row[key]} ${column}: ${row[i]} vs ${other[j]}`);
    });
  }
  for (const id of byId.keys()) differences.push(`${id}: only in the second`);
  return { customers: rowsA.length, columns: headA, differences };
}

/**
 * Where two texts first differ, as `line N: <first> vs <second>` (1-based; a missing line is `(none)`), or null when
 * they are the same bytes. Example: `firstDifferingLine('a\n1.0\n', 'a\n1\n')` → `'line 2: 1.0 vs 1'`
 */
export function firstDifferingLine(a: string, b: string): string | null {
  if (a === b) return null;
  const [linesA, linesB] = [a.split('\n'), b.split('\n')];
  const at = linesA.findIndex((line, i) => line !== linesB[i]);
  const i = at < 0 ? linesA.length : at;
  return `line ${i + 1}: ${linesA[i] ?? '(none)'} vs ${linesB[i] ?? '(none)'}`;
}

/** Where two files first differ (`firstDifferingLine` of their texts), or null when they are the same bytes. */
export function fileDifference(pathA: string, pathB: string): string | null {
  const [a, b] = [readFileSync(pathA), readFileSync(pathB)];
  if (a.equals(b)) return null;
  return firstDifferingLine(a.toString('utf8'), b.toString('utf8')) ?? 'the same text in other bytes';
}
