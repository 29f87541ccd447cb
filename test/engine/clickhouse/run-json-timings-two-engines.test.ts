import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { analyze, type RunSummary } from '../../../src/pipeline/analyze.js';
import { analyzeOnClickHouse } from '../../../src/pipeline/analyze-on-clickhouse.js';
import { keyringFromKey } from '../../../src/privacy/keys/keyring.js';
import { scratchDir } from '../../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';

const TINY_SHOP = join(__dirname, '../../fixtures/shop/tiny-shop.csv');

// run.json's timingsMs names the same stages on both engines: on ClickHouse the files are ingested before the run and
// the report written after it, and their times were missing (no `ingest`, no `report`).
describe.skipIf(!CLICKHOUSE_URL)(`run.json's timingsMs has the same keys on DuckDB and ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse | undefined;
  let duck: RunSummary;
  let onCluster: RunSummary;
  const dir = scratchDir();
  const keyring = keyringFromKey(Buffer.alloc(32, 23), { source: 'memory' });

  beforeAll(async () => {
    const options = { files: [TINY_SHOP], keyring, skipPatterns: true, skipChurn: true };
    duck = await analyze({ db: ':memory:', outDir: join(dir, 'duckdb'), ...options });
    cluster = await clickhouseWarehouse('timings');
    onCluster = (await analyzeOnClickHouse(cluster, { db: 'clickhouse', outDir: join(dir, 'clickhouse'), ...options })).run;
  }, 600_000);
  afterAll(() => dropScratchDatabase(cluster));

  it('run.json on ClickHouse times the ingest and the report, as on DuckDB', () => {
    const keys = (run: RunSummary) => Object.keys(JSON.parse(readFileSync(run.outputs.runJson, 'utf8')).timingsMs).sort();
    expect(keys(duck)).toContain('ingest');
    expect(keys(duck)).toContain('report');
    expect(keys(onCluster)).toEqual(keys(duck));
    expect(Object.keys(onCluster.timingsMs).sort()).toEqual(keys(duck));
    expect(onCluster.timingsMs.ingest).toEqual(expect.any(Number));
    expect(onCluster.timingsMs.report).toEqual(expect.any(Number));
  });
});
