/**
 * The analysis a warehouse holds — the run whose derived tables it stored
 * last (staged-analysis.ts) — as recorded in `warehouse_meta` (`analysis`:
 * its as-of date, when it was stored, its tables).
 */
import type { Warehouse } from '../engine/warehouse.js';
import { tableExists } from '../features/table-exists.js';
import { readWarehouseMeta } from '../privacy/keys/warehouse-key.js';
import { readScoresModel } from './scores-model-meta.js';

/** the `warehouse_meta` name of the stored analysis */
const ANALYSIS_META = 'analysis';

/** The analysis a warehouse holds: the run whose derived tables it stored last. */
export interface StoredAnalysis {
  /** the last day of its window, YYYY-MM-DD (null: stored before clvkit kept it, and without value models) */
  readonly asOf: string | null;
  /** when it was swapped in (ISO time; null when not recorded) */
  readonly storedAt: string | null;
  /** its derived tables */
  readonly tables: readonly string[];
}

/** Where a run's analysis stands: `staged` when its stages start (with what the warehouse held then), `stored` once it is swapped in. */
export type StorageEvent = { readonly phase: 'staged'; readonly previous: StoredAnalysis | null } | { readonly phase: 'stored'; readonly analysis: StoredAnalysis };

/** The analysis the warehouse holds, or null when it holds none (no customer_summary). */
export async function readStoredAnalysis(warehouse: Warehouse): Promise<StoredAnalysis | null> {
  if (!(await tableExists(warehouse, 'customer_summary'))) return null;
  const text = await readWarehouseMeta(warehouse, ANALYSIS_META);
  if (text !== null) {
    try {
      const v = JSON.parse(text) as Partial<StoredAnalysis>;
      if (Array.isArray(v.tables)) return { asOf: typeof v.asOf === 'string' ? v.asOf : null, storedAt: typeof v.storedAt === 'string' ? v.storedAt : null, tables: v.tables.map(String) };
    } catch {
      // unreadable: as if not recorded
    }
  }
  // stored before the record was kept: the value stage's record dates it when the models ran
  return { asOf: (await readScoresModel(warehouse))?.asOf ?? null, storedAt: null, tables: [] };
}

/** The `warehouse_meta` name and value recording it (replacing the last record), written with others at once (`writeWarehouseMetaValues`). */
export function storedAnalysisMeta(analysis: StoredAnalysis): readonly [string, string] {
  return [ANALYSIS_META, JSON.stringify(analysis)];
}
