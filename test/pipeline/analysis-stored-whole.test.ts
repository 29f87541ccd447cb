/**
 * An analysis is stored whole or not at all (src/pipeline/staged-analysis.ts):
 * a run that stops in a late stage — an error, a cancelled server run, Ctrl-C —
 * leaves the warehouse's previous analysis as it was: every derived table,
 * the model record behind customer_scores.p_alive and the analysis record,
 * all as of the same day. Before, the stages replaced the derived tables one
 * by one: a run stopped after the lifecycle stage left customer_summary,
 * customer_scores, customer_stages … as of its own date beside the previous
 * run's leftovers, and warehouse_meta naming the new date.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/core/calendar-days.js';
import { DERIVED_TABLES } from '../../src/engine/derived-tables.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { tableExists } from '../../src/features/table-exists.js';
import { runAnalysis, type AnalyzeOptions } from '../../src/pipeline/analyze.js';
import { readScoresModel } from '../../src/pipeline/scores-model-meta.js';
import { readStoredAnalysis, type StorageEvent } from '../../src/pipeline/stored-analysis.js';
import { keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { serialiseWarehouse } from '../../src/server/serialised-warehouse.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { scratchDir } from '../helpers/warehouse.js';

const keyring = keyringFromKey(Buffer.alloc(32, 7), { source: 'memory' });

/** Every derived table the warehouse holds, rows in token order (the whole analysis, to compare before and after). */
async function derivedTables(warehouse: Warehouse): Promise<Record<string, unknown[]>> {
  const held: Record<string, unknown[]> = {};
  for (const { name } of DERIVED_TABLES) {
    if (await tableExists(warehouse, name)) held[name] = await warehouse.query(`SELECT * FROM ${name} ORDER BY customer_id`);
  }
  return held;
}

const stagedLeft = async (warehouse: Warehouse) => (await warehouse.query("SELECT table_name FROM information_schema.tables WHERE substr(table_name, 1, 11) = 'clv_staged_'")).map((r) => r.table_name);

describe('an analysis stopped in a late stage', () => {
  const dir = scratchDir();
  let warehouse: Warehouse;
  let asOf: string;
  const run = (name: string, extra: Partial<AnalyzeOptions> = {}) => runAnalysis(warehouse, { db: 'shop.duckdb', outDir: join(dir, name), keyring, skipPatterns: true, ...extra });

  beforeAll(async () => {
    await generateShop({ outDir: dir, customers: 300, seed: 4242, products: 60 });
    // serialised as the server shares its connection: a reader's query runs between the run's statements
    warehouse = serialiseWarehouse(await openDuckDbWarehouse(':memory:', { threads: 2 }));
    for (const name of ['first', 'stopped', 'earlier', 'no-models', 'failed-summary']) mkdirSync(join(dir, name));
    const first = await run('first', { files: [join(dir, 'transactions.csv')], skipReport: true });
    asOf = first.parameters.asOf;
  }, 300_000);
  afterAll(async () => {
    await warehouse?.close();
  });

  it('leaves the previous analysis whole: tables, the scores record and the analysis record, as of one day; a reader during the run saw it too', async () => {
    const before = await derivedTables(warehouse);
    expect(Object.keys(before).sort()).toEqual(DERIVED_TABLES.map((t) => t.name).sort());
    expect((await readScoresModel(warehouse))?.asOf).toBe(asOf);
    const stored = await readStoredAnalysis(warehouse);

    const earlier = addDays(asOf, -90);
    const seen: string[] = [];
    const storage: StorageEvent[] = [];
    const stopped = run('stopped', {
      asOf: earlier,
      onStorage: (event) => storage.push(event),
      onProgress: (event) => {
        // the lifecycle stage has written its tables: a reader beside the run (the server's routes) still reads the previous analysis
        if (event.step === 'lifecycle' && event.phase === 'end') {
          void warehouse.query('SELECT max(last_purchase) AS last, count(*) AS n FROM customer_summary').then(([row]) => seen.push(`${(row!.last as Date).toISOString().slice(0, 10)} ${row!.n}`));
        }
        if (event.step === 'report' && event.phase === 'start') throw new Error('injected: stopped before the report');
      },
    });
    await expect(stopped).rejects.toThrow('injected: stopped before the report');
    const lastDay = (rows: unknown[]) => rows.map((r) => ((r as { last_purchase: Date }).last_purchase).toISOString().slice(0, 10)).sort().at(-1);
    expect(seen).toEqual([`${lastDay(before.customer_summary!)} ${before.customer_summary!.length}`]);
    expect(lastDay(before.customer_summary!)! > earlier).toBe(true);
    expect(await derivedTables(warehouse)).toEqual(before);
    expect((await readScoresModel(warehouse))?.asOf).toBe(asOf);
    expect(stored).toMatchObject({ asOf, tables: DERIVED_TABLES.map((t) => t.name) });
    expect(await readStoredAnalysis(warehouse)).toEqual(stored);
    expect(storage).toEqual([{ phase: 'staged', previous: stored }]);
    expect(await stagedLeft(warehouse)).toEqual([]);
  }, 300_000);

  it('a run that finishes replaces the whole analysis: every table, the scores record and the analysis record as of its day', async () => {
    const earlier = addDays(asOf, -90);
    const storage: StorageEvent[] = [];
    await run('earlier', { asOf: earlier, skipReport: true, onStorage: (event) => storage.push(event) });
    expect(storage.map((e) => e.phase)).toEqual(['staged', 'stored']);
    expect(await readStoredAnalysis(warehouse)).toMatchObject({ asOf: earlier, tables: DERIVED_TABLES.map((t) => t.name) });
    expect((await readScoresModel(warehouse))?.asOf).toBe(earlier);
    const [summary] = await warehouse.query(`SELECT max(last_purchase) AS last FROM customer_summary`);
    expect((summary!.last as Date).toISOString().slice(0, 10) <= earlier).toBe(true);
    // every per-customer table describes the customers of that day's summary, none of a later one
    for (const table of ['customer_scores', 'customer_rfm', 'customer_value_tiers', 'customer_clusters', 'customer_stages', 'customer_cohorts', 'customer_churn']) {
      const [row] = await warehouse.query(`SELECT count(*) AS n FROM ${table} t WHERE customer_id NOT IN (SELECT customer_id FROM customer_summary)`);
      expect(Number(row!.n), table).toBe(0);
    }
    expect(await stagedLeft(warehouse)).toEqual([]);
  }, 300_000);

  it('a run without value models leaves no scores of an earlier run beside its summary, nor their record', async () => {
    await run('no-models', { skipModels: true, skipReport: true });
    expect(await tableExists(warehouse, 'customer_scores')).toBe(false);
    expect(await tableExists(warehouse, 'customer_churn')).toBe(false);
    expect(await readScoresModel(warehouse)).toBeNull();
    expect(await readStoredAnalysis(warehouse)).toMatchObject({ asOf, tables: ['customer_summary', 'customer_rfm', 'customer_value_tiers', 'customer_clusters', 'customer_stages', 'customer_cohorts', 'customer_behaviour', 'customer_prospects'] });
  }, 300_000);

  it('a run refused in its summary stage ("nothing was written") writes nothing indeed', async () => {
    const before = await derivedTables(warehouse);
    await expect(run('failed-summary', { asOf: addDays(asOf, -30), minGroupSize: 100_000, skipReport: true })).rejects.toThrow(/fewer than the minimum group size/);
    expect(await derivedTables(warehouse)).toEqual(before);
    expect(await stagedLeft(warehouse)).toEqual([]);
  }, 300_000);
});
