import type { ClickHouseWarehouse } from '../../engine/clickhouse/clickhouse-warehouse.js';
import { STALE_STAGING_MS } from '../../engine/clickhouse/append-atomically.js';
import { runningCopies } from '../../engine/clickhouse/copy-ingest-to-clickhouse.js';

/**
 * How many times a change to a cluster's rows that an ingest copy running
 * beside it could undo (an erase's delete, a retention purge, a key
 * rotation's re-encryption) is made, the first included: a mutation does not
 * reach the parts a copy attaches after it was made, so what it was meant to
 * change is counted again after each round and changed again while some is
 * left — up to this many rounds.
 */
export const CLUSTER_ROUNDS = 4;

/**
 * Waits for the ingest copies marked running now to end (up to
 * `waitSeconds`): rows they staged before a change (not data yet, not
 * changed) land when they attach. A copy marked running for more than an
 * hour (`STALE_STAGING_MS`, the bound on a staging table's life) is one that
 * stopped: it attaches nothing more, and the next ingest discards it.
 * Returns whether any copy was waited for and those still running at the end.
 */
export async function waitForRunningCopies(cluster: ClickHouseWarehouse, waitSeconds: number): Promise<{ waited: boolean; stillRunning: number[] }> {
  const started = Date.now();
  let open = (await runningCopies(cluster)).filter((copy) => started - copy.since.getTime() <= STALE_STAGING_MS).map((copy) => copy.ingestId);
  if (open.length === 0) return { waited: false, stillRunning: [] };
  while (open.length > 0 && Date.now() - started < waitSeconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const running = new Set((await runningCopies(cluster)).map((copy) => copy.ingestId));
    open = open.filter((id) => running.has(id));
  }
  return { waited: true, stillRunning: open };
}

export interface RoundsBesideCopies<T> {
  /** what is left to change, counted on the cluster (null: nothing); `afterWait` once running copies were waited for */
  readonly left: (afterWait: boolean) => Promise<T | null>;
  /** one round of the change, given what `left` found (null: the first round of `always`, made without a count) */
  readonly change: (left: T | null) => Promise<void>;
  /** make the first round whatever is left (it reports every table it looked at, as the DuckDB path does) */
  readonly always?: boolean;
  /** how long to wait for ingest copies running once nothing is left (seconds) */
  readonly waitSeconds: number;
  /** at most this many rounds (default `CLUSTER_ROUNDS`) */
  readonly rounds?: number;
}

export interface RoundsOutcome<T> {
  /** what was still left after the last round (null: nothing) */
  readonly left: T | null;
  /** rounds of the change made */
  readonly rounds: number;
  /** ingest copies still running after the wait: what they staged may land after the change */
  readonly stillRunning: readonly number[];
}

/**
 * Makes a change on a cluster safe against the ingest copies running beside
 * it: counts what is left to change (`left`), changes it (`change`) and
 * counts again — whatever `ingest_copies` says, a copy may have attached and
 * ended meanwhile — until nothing is left; then waits for the copies marked
 * running (their rows were staged before the change) and counts and changes
 * what they attached. At most `rounds` changes: what is left then is
 * returned, as are the copies still running after the wait; the caller
 * audits what it changed and fails with one line.
 */
export async function changeBesideCopies<T>(cluster: ClickHouseWarehouse, spec: RoundsBesideCopies<T>): Promise<RoundsOutcome<T>> {
  const limit = spec.rounds ?? CLUSTER_ROUNDS;
  let rounds = 0;
  let stillRunning: number[] = [];
  if (spec.always) {
    rounds += 1;
    await spec.change(null);
  }
  for (let waited = false; ; ) {
    const left = await spec.left(waited);
    if (left !== null) {
      if (rounds === limit) return { left, rounds, stillRunning };
      rounds += 1;
      await spec.change(left);
      continue;
    }
    if (waited) break;
    waited = true;
    const wait = await waitForRunningCopies(cluster, spec.waitSeconds);
    stillRunning = wait.stillRunning;
    if (!wait.waited) break;
  }
  return { left: null, rounds, stillRunning };
}

/** `{ t: 1 }`, 'of these customers' → "1 row of these customers is still in t"; `{ t: 2, u: 3 }` → "5 rows … are still in t (2), u (3)" */
export function countsLeft(perTable: Readonly<Record<string, number>>, what: string): string {
  const tables = Object.entries(perTable).filter(([, rows]) => rows > 0);
  const n = tables.reduce((sum, [, rows]) => sum + rows, 0);
  const where = tables.length === 1 ? tables[0]![0] : tables.map(([table, rows]) => `${table} (${rows})`).join(', ');
  return `${n} row${n === 1 ? '' : 's'} ${what} ${n === 1 ? 'is' : 'are'} still in ${where}`;
}
