import { dayOfValue, parseDay } from '../../core/calendar-days.js';
import { UserError } from '../../core/errors/user-error.js';
import type { Warehouse } from '../../engine/warehouse.js';
import { warehouseFlags } from '../../engine/warehouse-flags.js';

/**
 * The window end a command reads the purchases to: `asOf` (a day, checked)
 * or, when absent, the last purchase day. Refused when the data hold no
 * purchase, or when `asOf` falls before the first one — an answer of zeros
 * (tables, a summary of 0 customers) would read as an empty customer base.
 * `flag` names the option in the message (`--as-of`, `--calibration-end`).
 */
export async function resolveAsOf(warehouse: Warehouse, asOf: string | undefined, flag = '--as-of'): Promise<string> {
  return (await resolveWindow(warehouse, asOf, flag)).end;
}

/**
 * `resolveAsOf`'s window end with the last purchase day it read, for a command that also says how far a given end lies
 * past the data (one query for both).
 */
export async function resolveWindow(warehouse: Warehouse, asOf: string | undefined, flag = '--as-of'): Promise<{ readonly end: string; readonly lastPurchase: string }> {
  const day = asOf ? parseDay(asOf, flag) : undefined;
  // portable SQL (DuckDB and the cluster): no FILTER clause
  const [row] = await warehouse.query('SELECT min(CASE WHEN NOT is_return THEN ts END) AS first, max(CASE WHEN NOT is_return THEN ts END) AS last, count(*) AS n FROM transactions');
  if (!row || row.last === null) {
    const held = Number(row?.n ?? 0);
    if (held > 0) {
      throw new UserError(
        `the data holds no purchases: its ${held.toLocaleString('en-US')} accepted rows are all returns (negative quantity or amount, or a cancelled invoice)`,
        'returns net the revenue of orders: ingest the orders too (if the file holds purchases written with a minus sign, export it again with positive quantities)',
      );
    }
    throw new UserError('the data holds no purchases (every row was quarantined, or nothing was ingested)', `check the ingest report: clvkit ingest <file> ${warehouse.dialect.name === 'clickhouse' ? `${warehouseFlags(warehouse)} ` : ''}--json`);
  }
  const first = dayOfValue(row.first)!;
  if (day !== undefined && day < first) throw new UserError(`no purchase on or before ${day}: the data starts on ${first}`, `pass an ${flag} on or after ${first}`);
  const lastPurchase = dayOfValue(row.last)!;
  return { end: day ?? lastPurchase, lastPurchase };
}
