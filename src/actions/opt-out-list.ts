import { UserError } from '../core/errors/user-error.js';
import type { Warehouse } from '../engine/warehouse.js';
import { idColumnIndex, readActionFileText, splitCsvLine } from './action-file-text.js';
import { OPT_OUT_TABLE } from './suppression-condition.js';

/** The ids of an opt-out file, as written (not yet tokens), and the column they came from. */
export interface OptOutList {
  readonly ids: readonly string[];
  /** the header's name of the id column; null for a plain list of ids */
  readonly column: string | null;
}

const HINT = 'pass a file with one customer id per line (as in the input data), or a CSV whose header names a customer_id column';

const unquote = (field: string) => field.trim().replace(/^"(.*)"$/, '$1').replace(/""/g, '"').trim();

/**
 * Reads an opt-out file: one customer id per line, with or without a
 * `customer_id` header, or a CSV/TSV/`;` file whose header names the id
 * column (`customer_id`, `CustomerID`, `id`…) beside others (e-mail, date).
 * A `.gz` file is decompressed. Blank lines are skipped.
 *
 * A file read wrongly would suppress nobody and say nothing — the opted-out
 * customers contacted — so what cannot be read as ids is refused in one
 * line: binary content, a zip or Parquet file, several columns without an id
 * column.
 *
 * Example: `readOptOutFile('optout.csv').ids` → `['12346', '12347']` for `customer_id,email\n12346,a@x.com\n12347,b@x.com`
 */
export function readOptOutFile(path: string): OptOutList {
  const text = readActionFileText(path, '--opt-out', 'a list of ids', HINT);
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const first = lines[0] ?? '';
  const delimiter = ['\t', ';', ','].find((d) => first.includes(d));
  if (delimiter === undefined) {
    const header = idColumnIndex([unquote(first)]) === 0;
    return { ids: (header ? lines.slice(1) : lines).map(unquote), column: header ? unquote(first) : null };
  }
  const names = splitCsvLine(first, delimiter);
  const at = idColumnIndex(names);
  if (at < 0) {
    throw new UserError(`--opt-out ${path} has ${names.length} columns (${names.slice(0, 4).join(', ')}${names.length > 4 ? ', …' : ''}) and none is named customer_id: its lines would match no customer and nobody would be left out`, HINT);
  }
  return { ids: lines.slice(1).map((line) => splitCsvLine(line, delimiter)[at] ?? '').filter((id) => id !== ''), column: names[at]! };
}

/**
 * How many ids of the opt-out list (tokens, in `OPT_OUT_TABLE`) are
 * customers of the warehouse: a list of which none is — e-mail addresses,
 * ids of another system — leaves nobody out, which is worth a warning.
 *
 * Example: `await optOutMatchNote(warehouse, 300)` → `'opt-out list: 300 ids, 120 of them customers of the warehouse'`
 */
export async function optOutMatchNote(warehouse: Warehouse, listed: number): Promise<string> {
  const [row] = await warehouse.query(`SELECT count(DISTINCT o.customer_id) AS n FROM ${OPT_OUT_TABLE} o WHERE o.customer_id IN (SELECT customer_id FROM customer_summary)`);
  const known = Number(row!.n);
  const ids = `${listed.toLocaleString('en-US')} id${listed === 1 ? '' : 's'}`;
  if (listed > 0 && known === 0) {
    return `warning: none of the opt-out list's ${ids} is a customer of the warehouse, so it leaves nobody out: the list must hold customer ids as in the input data (not e-mail addresses or another system's ids)`;
  }
  return `opt-out list: ${ids}, ${known.toLocaleString('en-US')} of them customers of the warehouse`;
}
