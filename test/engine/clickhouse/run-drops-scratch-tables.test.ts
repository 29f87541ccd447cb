/**
 * A run on the cluster leaves only declared tables behind: the value step's
 * scratch tables (`clv_tuple_scores`, `clv_spend_scores`, `clv_intervals` —
 * TEMP on DuckDB, ordinary tables on ClickHouse; `clv_intervals` holds
 * customer tokens) and the export's `clv_export_customers` view are dropped
 * at the end of the run, also when the run fails; and whatever a TEMP
 * statement made is dropped when the warehouse is closed.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openClickHouseWarehouse, type ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { analyzeOnClickHouse } from '../../../src/pipeline/analyze-on-clickhouse.js';
import { WAREHOUSE_CLASSIFICATION } from '../../../src/privacy/access/classification.js';
import { keyringFromKey } from '../../../src/privacy/keys/keyring.js';
import { generateShop } from '../../../src/synth/generate-shop.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';
import { scratchDir } from '../../helpers/warehouse.js';

const SCRATCH = ['clv_intervals', 'clv_spend_scores', 'clv_tuple_scores'];
/** the churn model and cross-sell left out (time): a whole run over the cluster leaving no undeclared table is serve-on-clickhouse-same-answers' privacy case */
const CHEAP = { skipChurn: true, skipPatterns: true } as const;

describe.skipIf(!CLICKHOUSE_URL)(`a run on ClickHouse drops its scratch tables${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse;
  const dir = scratchDir();
  const keyring = keyringFromKey(Buffer.alloc(32, 42), { source: 'memory' });
  const tables = async () => (await cluster.query('SELECT table_name FROM information_schema.tables ORDER BY table_name')).map((row) => String(row.table_name));
  const undeclared = async () => (await tables()).filter((table) => !Object.hasOwn(WAREHOUSE_CLASSIFICATION, table));

  beforeAll(async () => {
    await generateShop({ outDir: dir, customers: 200, seed: 1818 });
    cluster = await clickhouseWarehouse('scratch_tables');
  }, 120_000);
  afterAll(() => dropScratchDatabase(cluster));

  it('a run that fails after the value step leaves none of its scratch tables (they were made, then dropped)', async () => {
    // made: the run sent the statements that create them; dropped: none is left (the drop skips the shards, which never held them)
    const sent = vi.spyOn(cluster, 'execute');
    const failing = analyzeOnClickHouse(cluster, {
      db: 'clickhouse',
      outDir: join(dir, 'failed'),
      files: [join(dir, 'transactions.csv')],
      keyring,
      ...CHEAP,
      skipReport: true,
      onProgress: (event) => {
        if (event.step === 'segments' && event.phase === 'start') throw new Error('injected failure after the value step');
      },
    });
    await expect(failing).rejects.toThrow(/injected failure after the value step/);
    const made = sent.mock.calls.map(([sql]) => /^\s*CREATE\s+OR\s+REPLACE\s+TEMP\s+TABLE\s+(\w+)/i.exec(sql)?.[1]).filter(Boolean);
    expect(made).toEqual(expect.arrayContaining(SCRATCH));
    sent.mockRestore();
    expect((await tables()).filter((table) => table.startsWith('clv_'))).toEqual([]);
    expect(await undeclared()).toEqual([]);
  }, 300_000);

  it('a run drops only the TEMP tables it made; closing the warehouse drops the rest, as DuckDB ends them with its session', async () => {
    const other = await openClickHouseWarehouse(CLICKHOUSE_URL, { database: cluster.database, ...(process.env.CLVKIT_CLICKHOUSE_CLUSTER ? { cluster: process.env.CLVKIT_CLICKHOUSE_CLUSTER } : {}) });
    await other.execute('CREATE OR REPLACE TEMP TABLE scratch_probe (customer_id VARCHAR, x DOUBLE)');
    await other.execute('CREATE OR REPLACE TEMP VIEW scratch_probe_view AS SELECT customer_id FROM scratch_probe');
    await other.execute('CREATE OR REPLACE TABLE kept_probe AS SELECT 1 AS x');
    // a run drops what it made, not the scratch table a request made beside it meanwhile
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const run = other.dropTemporaryTablesAfter(async () => {
      await other.execute('CREATE OR REPLACE TEMP TABLE run_probe (x DOUBLE)');
      await gate;
    });
    await other.execute('CREATE OR REPLACE TEMP TABLE beside_probe (x DOUBLE)');
    release();
    await run;
    expect((await tables()).filter((t) => t.includes('probe'))).toEqual(['beside_probe', 'kept_probe', 'scratch_probe', 'scratch_probe_view']);
    await other.close();
    expect((await tables()).filter((t) => t.includes('probe'))).toEqual(['kept_probe']);
    expect(await cluster.queryOnEachShard(`SELECT count() FROM system.tables WHERE database = '${cluster.database}' AND name = 'scratch_probe_local'`)).toEqual(['0', '0']);
    await cluster.execute('DROP TABLE kept_probe');
  }, 60_000);

  it('after a finished run (with its report) every table on the cluster is a declared one', async () => {
    const { run } = await analyzeOnClickHouse(cluster, { db: 'clickhouse', outDir: join(dir, 'finished'), files: [], keyring, ...CHEAP });
    expect(run.outputs.reportHtml).not.toBeNull();
    expect(await undeclared()).toEqual([]);
    // the run's results are still there: only scratch tables went
    expect(await tables()).toEqual(expect.arrayContaining(['customer_scores', 'customer_summary', 'transactions']));
    const [scores] = await cluster.query('SELECT count(*) AS n FROM customer_scores');
    expect(Number(scores!.n)).toBeGreaterThan(100);
  }, 300_000);
});
