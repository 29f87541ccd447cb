/**
 * Exact copies of earlier lines of a transaction file that has order values but no order ids. With an order id a
 * repeated line is an export's repeat; without one, a line repeated word for word may as well be a second purchase of
 * the same thing at the same time (CDNOW's sample has 21 such lines, 411.08 of its 244,092 in spend). The duplicate
 * rule quarantines them all the same (the default is kept: an export that repeats lines is the commoner case); the
 * ingest says so with their count and spend, and how to keep them, and `analyze` repeats it among the run's warnings
 * (its summary had said "21 quarantined" and no more).
 */
import type { Warehouse } from '../engine/warehouse.js';
import { hasOrderValue, type ColumnMapping } from './column-roles.js';
import { CLEAN_TABLE } from './judge-rows.js';
import type { CopiesWithoutOrderId } from './ingest-report.js';
import { formatAmount } from '../report/format-number.js';

/** The copies of a file with the warning the ingest report gives about them. */
export interface CopiesWithoutOrderIdWarning extends CopiesWithoutOrderId {
  readonly warning: string;
}

/** How many lines were quarantined as exact copies, the lead of both warnings below: `3 lines are exact copies of an earlier line of the file (every column the same), quarantined as duplicates`. */
function copiesQuarantined(lines: number): string {
  const one = lines === 1;
  return `${lines.toLocaleString('en-US')} line${one ? ' is an exact copy' : 's are exact copies'} of an earlier line of the file (every column the same), quarantined as ${one ? 'a duplicate' : 'duplicates'}`;
}

/**
 * The warning for `copies`, and how to keep them.
 *
 * Example: `describeCopiesWithoutOrderId({ lines: 1, amount: 10 })` → `1 line is an exact copy of an earlier line of the file (every column the same), quarantined as a duplicate with 10.00 of spend: …`
 */
export function describeCopiesWithoutOrderId(copies: CopiesWithoutOrderId): string {
  const one = copies.lines === 1;
  return (
    `${copiesQuarantined(copies.lines)} with ${formatAmount(copies.amount)} of spend: the file has no order ids, so identical lines cannot be told apart from repeat purchases of the same thing at the same time; ` +
    `if ${one ? 'it is a real purchase' : 'they are real purchases'}, read the file with --keep-duplicates (which keeps every exact copy, also of lines held from other files; a file held already: clvkit ingest FILE --keep-duplicates --replace --role admin)`
  );
}

/**
 * The copies of earlier lines of the file just judged (CLEAN_TABLE: rows quarantined as `duplicate` with the line
 * they copy as detail), with their warning; null when the file has order ids or no order values, or no line repeats
 * an earlier one of the file (copies of rows the warehouse held before are a re-ingest's overlap, not this).
 */
export async function copiesWithoutOrderIdWarning(warehouse: Warehouse, mapping: ColumnMapping, duplicates: number): Promise<CopiesWithoutOrderIdWarning | null> {
  if (duplicates === 0 || mapping.order_id !== undefined || !hasOrderValue(mapping)) return null;
  const [row] = await warehouse.query(`SELECT count(*) AS n, COALESCE(${warehouse.dialect.orderFreeSum('amount')}, 0) AS amount FROM ${CLEAN_TABLE} WHERE reason = 'duplicate' AND detail IS NOT NULL`);
  const copies = { lines: Number(row!.n), amount: Number(row!.amount) };
  return copies.lines === 0 ? null : { ...copies, warning: describeCopiesWithoutOrderId(copies) };
}

/**
 * The warning for `lines` exact copies of earlier lines of a file with no order ids and no order values (customer ids
 * and dates, a product maybe): such a copy changes no purchase day, which the models count. A QA pass: a shop's lines
 * cut to customer id and date lost 1,124 of 1,914 lines (59%) as duplicates, and the ingest said nothing.
 *
 * Example: `describeCopiesOfPurchaseDays(1)` → `1 line is an exact copy of an earlier line of the file (every column the same), quarantined as a duplicate: the file has no order ids and no order values, …`
 */
export function describeCopiesOfPurchaseDays(lines: number): string {
  return (
    `${copiesQuarantined(lines)}: the file has no order ids and no order values, so a copy is the same customer buying at the same time as a line kept; ` +
    "it changes no purchase day, and the models count purchase days (a customer's lines of one day count once)"
  );
}

/**
 * The warning for the copies of earlier lines of the file just judged (as `copiesWithoutOrderIdWarning`) when it has
 * neither order ids nor order values; null otherwise, or when no line repeats an earlier one of the file.
 */
export async function copiesOfPurchaseDaysWarning(warehouse: Warehouse, mapping: ColumnMapping, duplicates: number): Promise<string | null> {
  if (duplicates === 0 || mapping.order_id !== undefined || hasOrderValue(mapping)) return null;
  const [row] = await warehouse.query(`SELECT count(*) AS n FROM ${CLEAN_TABLE} WHERE reason = 'duplicate' AND detail IS NOT NULL`);
  const lines = Number(row!.n);
  return lines === 0 ? null : describeCopiesOfPurchaseDays(lines);
}
