import type { Warehouse } from '../engine/warehouse.js';
import type { ColumnMapping } from './column-roles.js';
import { CANDIDATE_DATE_FORMATS, dateFormatSql } from './detect-date-format.js';

/**
 * For files without a header: guess roles from the values of a sample.
 * The date is the column most values of which read as dates; the amount the
 * right-most numeric column with decimals; the quantity a whole-number column
 * with small values; the customer the left-most remaining column.
 * The ingest report says which roles were guessed, so a wrong guess is seen
 * and fixed with --map.
 */
/** Non-empty values of each column the guess looks at. */
export const ROLE_GUESS_SAMPLE_ROWS = 5000;

export async function guessColumnRoles(warehouse: Warehouse, table: string, columns: readonly string[], sampleSize = ROLE_GUESS_SAMPLE_ROWS): Promise<ColumnMapping> {
  const d = warehouse.dialect;
  const stats = await Promise.all(
    columns.map(async (column) => {
      const v = `trim(${d.identifier(column)})`;
      const dateAny = `COALESCE(${CANDIDATE_DATE_FORMATS.filter((f) => !f.startsWith('epoch')).map((f) => dateFormatSql(d, 'v', f)).join(', ')})`;
      const [row] = await warehouse.query(`
        SELECT count(*) AS n,
          count(*) FILTER (WHERE ${dateAny} IS NOT NULL) AS dates,
          count(*) FILTER (WHERE ${d.tryNumber('v')} IS NOT NULL) AS numbers,
          count(*) FILTER (WHERE ${d.fullMatch('v', '-?[0-9]+')}) AS integers,
          count(*) FILTER (WHERE ${d.fullMatch('v', '-?[0-9]*[.,][0-9]+')}) AS decimals,
          max(abs(${d.tryNumber('v')})) AS max_abs
        FROM (SELECT ${v} AS v FROM ${table} WHERE ${v} <> '' LIMIT ${sampleSize}) s`);
      const n = Math.max(1, Number(row!.n));
      return {
        column,
        dates: Number(row!.dates) / n,
        numbers: Number(row!.numbers) / n,
        integers: Number(row!.integers) / n,
        decimals: Number(row!.decimals) / n,
        maxAbs: Number(row!.max_abs),
      };
    }),
  );
  const guess: ColumnMapping = {};
  const taken = new Set<string>();
  const date = [...stats].filter((s) => s.dates >= 0.9).sort((a, b) => b.dates - a.dates)[0];
  if (date) {
    guess.date = date.column;
    taken.add(date.column);
  }
  const amount = [...stats].reverse().find((s) => !taken.has(s.column) && s.numbers >= 0.95 && s.decimals > 0.2);
  if (amount) {
    guess.amount = amount.column;
    taken.add(amount.column);
  }
  const quantity = [...stats].reverse().find((s) => !taken.has(s.column) && s.integers >= 0.95 && s.maxAbs <= 10_000 && stats.indexOf(s) > 0);
  if (quantity && amount) {
    guess.quantity = quantity.column;
    taken.add(quantity.column);
  }
  const customer = stats.find((s) => !taken.has(s.column));
  if (customer) guess.customer_id = customer.column;
  return guess;
}
