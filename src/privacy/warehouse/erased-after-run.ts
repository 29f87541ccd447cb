/**
 * Customers erased after a run. An erasure (`eraseCustomers`, on ClickHouse
 * `eraseCustomersOnClickHouse`) deletes a customer's rows from every table at
 * once, so every per-customer answer loses them; but the aggregates a finished
 * run stored (its summary: the headline's customers and value, the segment,
 * tier, stage and cluster counts, the predicted total) were computed with
 * them and still count them until the next analysis. Whoever reads those
 * figures (the server's pages) is told so: how many customers and when —
 * never who.
 *
 * Counted: the tokens recorded in `erased_customers` first at or after the
 * run finished (a token erased before it, then again, was not counted by it;
 * a readmitted one is no longer recorded) whose `erase` audit entries show
 * rows deleted (an id the warehouse never held is recorded too, so that a
 * later ingest of it is refused, but no run counted it).
 */
import { ERASED_CUSTOMERS } from '../../engine/erased-customers.js';
import { literalLists } from '../../engine/literal-lists.js';
import type { Warehouse } from '../../engine/warehouse.js';

/** The customers erased after a run: how many, and the first and last day (UTC, YYYY-MM-DD) they were erased on. */
export interface ErasedAfterRun {
  readonly customers: number;
  readonly from: string;
  readonly to: string;
}

/**
 * The customers erased at or after `finishedAt` (ISO: when the run finished) that held rows (see the file header), or
 * null when there is none. One look at the record of erasures while it holds nothing newer.
 *
 * Example: `await erasedAfterRun(wh, '2024-05-01T10:00:00.000Z')` → `{ customers: 1, from: '2024-05-03', to: '2024-05-03' }`
 */
export async function erasedAfterRun(warehouse: Warehouse, finishedAt: string): Promise<ErasedAfterRun | null> {
  const d = warehouse.dialect;
  const recorded = await warehouse.query(`SELECT token, min(erased_at) AS at FROM ${ERASED_CUSTOMERS} GROUP BY token HAVING min(erased_at) >= ${d.timestamp(finishedAt)}`);
  if (recorded.length === 0) return null;
  const firstAt = new Map(recorded.map((row) => [String(row.token), row.at instanceof Date ? row.at.toISOString() : String(row.at)]));
  const held = new Set<string>();
  for (const list of literalLists(d, [...firstAt.keys()].map((token) => `customer:${token}`))) {
    for (const row of await warehouse.query(`SELECT target, row_counts FROM audit_log WHERE action = 'erase' AND target IN (${list})`)) {
      if (deletedRows(String(row.row_counts)) > 0) held.add(String(row.target).slice('customer:'.length));
    }
  }
  if (held.size === 0) return null;
  const days = [...held].map((token) => firstAt.get(token)!.slice(0, 10)).sort();
  return { customers: held.size, from: days[0]!, to: days.at(-1)! };
}

/** The rows an audit entry's `row_counts` (JSON text) counts; 0 when unreadable. */
function deletedRows(text: string): number {
  try {
    const counts = JSON.parse(text) as Record<string, unknown>;
    return Object.values(counts).reduce<number>((sum, n) => sum + (typeof n === 'number' ? n : 0), 0);
  } catch {
    return 0;
  }
}

/**
 * What a reader of the run's figures on the server is told, in the API's words (the route that starts an analysis).
 *
 * Example: `erasedAfterRunNote({ customers: 2, from: '2024-05-03', to: '2024-05-04' }, '2024-05-01T10:00:00.000Z')`
 * → `'these figures are from the run of 2024-05-01; 2 customers were erased after it (2024-05-03 to 2024-05-04): their rows are gone from every per-customer answer, but the totals here still count them until the next analysis; start an analysis (POST /api/runs) to recompute them'`
 */
export function erasedAfterRunNote(erased: ErasedAfterRun, finishedAt: string): string {
  const who = erased.customers === 1 ? '1 customer was' : `${erased.customers.toLocaleString('en-US')} customers were`;
  const when = erased.from === erased.to ? erased.from : `${erased.from} to ${erased.to}`;
  return `these figures are from the run of ${finishedAt.slice(0, 10)}; ${who} erased after it (${when}): their rows are gone from every per-customer answer, but the totals here still count them until the next analysis; start an analysis (POST /api/runs) to recompute them`;
}
