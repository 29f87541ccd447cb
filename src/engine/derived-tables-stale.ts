/**
 * The mark that the derived tables (summary, scores, segments, stages… of
 * the last analysis) describe data that has changed since: an ingest dropped
 * (`dropIngest`) took rows they still count. Kept in `warehouse_meta` (one
 * row, JSON) on either engine; set only where an analysis wrote derived
 * tables; cleared by the next analysis that rewrites them (`runAnalysis`,
 * `scoreWarehouse`). Read by what draws on them — `audience create`,
 * `playbook` (a note, as for purchases ingested after the analysis:
 * `staleScoresNote`) and the server's pages (a warning on the run shown).
 */
import { readWarehouseMeta, writeWarehouseMeta } from '../privacy/keys/warehouse-key.js';
import { heldWithPrefix } from './staged-derived-tables.js';
import type { Warehouse } from './warehouse.js';

/** The `warehouse_meta` name. */
export const DERIVED_STALE_META = 'derived.stale';

/** One change of the data the derived tables were written from. */
export interface DataChange {
  readonly action: 'drop_ingest';
  readonly ingestId: number;
  /** the file's name */
  readonly source: string;
  /** ISO time */
  readonly at: string;
}

/** The changes since the derived tables were written, oldest first. */
export interface DerivedTablesStale {
  readonly changes: readonly DataChange[];
}

/**
 * Marks the derived tables as describing data from before `change` (added to the changes marked before); nothing when
 * the warehouse holds none. Returns whether it marked them.
 */
export async function markDerivedTablesStale(warehouse: Warehouse, change: DataChange): Promise<boolean> {
  if ((await heldWithPrefix(warehouse, '')).length === 0) return false; // no analysis wrote into it
  const before = await readDerivedTablesStale(warehouse);
  const stale: DerivedTablesStale = { changes: [...(before?.changes ?? []), change] };
  await writeWarehouseMeta(warehouse, DERIVED_STALE_META, JSON.stringify(stale));
  return true;
}

/** The changes since the derived tables were written, or null when none is marked (or the mark is unreadable). */
export async function readDerivedTablesStale(warehouse: Warehouse): Promise<DerivedTablesStale | null> {
  const text = await readWarehouseMeta(warehouse, DERIVED_STALE_META);
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<DerivedTablesStale>;
    return Array.isArray(value.changes) && value.changes.length > 0 ? { changes: value.changes } : null;
  } catch {
    return null;
  }
}

/** Clears the mark: the derived tables were written again from the data as it is. */
export async function clearDerivedTablesStale(warehouse: Warehouse): Promise<void> {
  if ((await readWarehouseMeta(warehouse, DERIVED_STALE_META)) === null) return; // no delete (a mutation on a cluster) when there is nothing to clear
  await warehouse.execute(`DELETE FROM warehouse_meta WHERE name = ${warehouse.dialect.literal(DERIVED_STALE_META)}`);
}

/**
 * What a reader of the derived tables is told: which ingests were dropped since and what to run (`again`: the flags
 * that name the warehouse, e.g. `--db shop.duckdb`).
 *
 * Example: `derivedStaleNote({ changes: [{ action: 'drop_ingest', ingestId: 2, source: 'orders.csv', at: '2024-05-02T10:00:00.000Z' }] }, '--db shop.duckdb')`
 * → `'the scores, segments and stages describe the data before ingest 2 (orders.csv) was dropped on 2024-05-02: they still count its rows; run clvkit analyze --db shop.duckdb to rebuild them'`
 */
export function derivedStaleNote(stale: DerivedTablesStale, again: string, api = false): string {
  const ingests = stale.changes.map((c) => `${c.ingestId} (${c.source})`);
  const first = stale.changes[0]!.at.slice(0, 10);
  const what = ingests.length === 1 ? `ingest ${ingests[0]} was dropped on ${first}: they still count its rows` : `ingests ${ingests.slice(0, -1).join(', ')} and ${ingests.at(-1)} were dropped (from ${first}): they still count their rows`;
  return `the scores, segments and stages describe the data before ${what}; ${api ? 'start an analysis (POST /api/runs)' : `run clvkit analyze ${again}`} to rebuild them`;
}
