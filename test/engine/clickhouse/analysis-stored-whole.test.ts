/**
 * On ClickHouse too an analysis is stored whole or not at all
 * (staged-derived-tables.ts: staged tables, one RENAME TABLE statement at the
 * end): a run stopped in a late stage leaves the previous analysis' tables and
 * records as they were, and nothing of its own; a run that finishes replaces
 * every derived table, drops the one it did not write and leaves no staged or
 * moved-aside table behind.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../../src/core/calendar-days.js';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { DERIVED_TABLES } from '../../../src/engine/derived-tables.js';
import { tableExists } from '../../../src/features/table-exists.js';
import { analyzeOnClickHouse } from '../../../src/pipeline/analyze-on-clickhouse.js';
import type { AnalyzeOptions } from '../../../src/pipeline/analyze.js';
import { readScoresModel } from '../../../src/pipeline/scores-model-meta.js';
import { readStoredAnalysis } from '../../../src/pipeline/stored-analysis.js';
import { keyringFromKey } from '../../../src/privacy/keys/keyring.js';
import { generateShop } from '../../../src/synth/generate-shop.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';
import { scratchDir } from '../../helpers/warehouse.js';

describe.skipIf(!CLICKHOUSE_URL)(`an analysis on ClickHouse is stored whole or not at all${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse;
  const dir = scratchDir();
  const keyring = keyringFromKey(Buffer.alloc(32, 43), { source: 'memory' });
  let asOf: string;
  const run = (name: string, extra: Partial<AnalyzeOptions> = {}) => {
    mkdirSync(join(dir, name), { recursive: true });
    return analyzeOnClickHouse(cluster, { db: 'clickhouse', outDir: join(dir, name), files: [], keyring, skipChurn: true, skipPatterns: true, skipReport: true, ...extra });
  };
  const derived = async () => {
    const held: Record<string, unknown[]> = {};
    for (const { name } of DERIVED_TABLES) if (await tableExists(cluster, name)) held[name] = await cluster.query(`SELECT * FROM ${name} ORDER BY customer_id`);
    return held;
  };
  const leftOver = async () => (await cluster.query("SELECT table_name FROM information_schema.tables WHERE substr(table_name, 1, 11) = 'clv_staged_' OR substr(table_name, 1, 13) = 'clv_replaced_'")).map((r) => r.table_name);

  beforeAll(async () => {
    await generateShop({ outDir: dir, customers: 200, seed: 1919, products: 40 });
    cluster = await clickhouseWarehouse('stored_whole');
    asOf = (await run('first', { files: [join(dir, 'transactions.csv')] })).run.parameters.asOf;
  }, 300_000);
  afterAll(() => dropScratchDatabase(cluster));

  it('a run stopped before it publishes leaves the previous tables and records, and none of its own', async () => {
    const before = await derived();
    expect(Object.keys(before)).toContain('customer_stages');
    const stored = await readStoredAnalysis(cluster);
    const stopped = run('stopped', {
      asOf: addDays(asOf, -60),
      onProgress: (event) => {
        if (event.step === 'publish' && event.phase === 'start') throw new Error('injected: stopped before publishing');
      },
    });
    await expect(stopped).rejects.toThrow('injected: stopped before publishing');
    expect(await derived()).toEqual(before);
    expect((await readScoresModel(cluster))?.asOf).toBe(asOf);
    expect(await readStoredAnalysis(cluster)).toEqual(stored);
    expect(stored?.asOf).toBe(asOf);
    expect(await leftOver()).toEqual([]);
  }, 300_000);

  it('a run that finishes swaps in all its tables as of its day, drops the one it did not write, leaves nothing aside', async () => {
    const earlier = addDays(asOf, -60);
    await run('earlier', { asOf: earlier, skipSegments: true });
    expect(await readStoredAnalysis(cluster)).toMatchObject({ asOf: earlier, tables: ['customer_summary', 'customer_scores', 'customer_behaviour', 'customer_prospects'] });
    expect((await readScoresModel(cluster))?.asOf).toBe(earlier);
    expect(await tableExists(cluster, 'customer_stages')).toBe(false);
    const [last] = await cluster.query('SELECT max(last_purchase) AS last FROM customer_summary');
    expect((last!.last as Date).toISOString().slice(0, 10) <= earlier).toBe(true);
    expect(await leftOver()).toEqual([]);
  }, 300_000);
});
