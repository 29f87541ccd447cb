import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { analyze, type RunSummary } from '../../../src/pipeline/analyze.js';
import { analyzeOnClickHouse, clickhouseAnalyzeOptions } from '../../../src/pipeline/analyze-on-clickhouse.js';
import { keyringFromKey } from '../../../src/privacy/keys/keyring.js';
import { generateShop } from '../../../src/synth/generate-shop.js';
import { compareCustomersCsv, fileDifference } from '../../../scripts/compare-customers-csv.js';
import { scratchDir } from '../../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, differences, dropScratchDatabase } from '../../helpers/clickhouse.js';

// Issue 18 item 3: analyze --engine clickhouse with --customers (profile) files gives DuckDB's answers: prospects among
// the lifecycle stages, KPIs per acquisition channel.
describe.skipIf(!CLICKHOUSE_URL)(`analyze with customer profiles gives the same answers on DuckDB and ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse;
  let duck: RunSummary;
  let onCluster: RunSummary;
  const dir = scratchDir();
  const keyring = keyringFromKey(Buffer.alloc(32, 19), { source: 'memory' });

  beforeAll(async () => {
    // no events file: nothing reads it (the transactions and profiles are the same bytes with or without)
    await generateShop({ outDir: dir, customers: 500, seed: 1820, events: false });
    // a profile without a sign-up date (sign-up unknown) is a prospect too
    appendFileSync(join(dir, 'customers.csv'), '900001,,organic,0.00,Europe,United Kingdom,female,1980,Ann Example,ann@example.com,+44 7700 900001\n');
    const files = [join(dir, 'transactions.csv')];
    const customerFiles = [join(dir, 'customers.csv')];
    // no report, no cross-sell and no churn warning: none of them is what this file compares (cross-sell reads the
    // transactions alone; report and cross-sell are compared in same-answers.test.ts, the churn warning with profiles
    // held in events-analyze-two-engines.test.ts)
    const skip = { skipReport: true, skipPatterns: true, skipChurn: true };
    duck = await analyze({ ...clickhouseAnalyzeOptions({ db: ':memory:', outDir: join(dir, 'duckdb'), ...skip }), files, customerFiles, keyring });
    cluster = await clickhouseWarehouse('profiles');
    onCluster = (await analyzeOnClickHouse(cluster, { db: 'clickhouse', outDir: join(dir, 'clickhouse'), files, customerFiles, keyring, ...skip })).run;
  }, 900_000);
  afterAll(() => dropScratchDatabase(cluster));

  it('ingests the profiles on the cluster as on DuckDB', () => {
    expect(onCluster.ingest.files.map((f) => f.kind ?? 'transactions')).toEqual(duck.ingest.files.map((f) => f.kind ?? 'transactions'));
    expect(onCluster.ingest.accepted).toBe(duck.ingest.accepted);
  });

  it('customers.csv, lifecycle stages (with prospects) and KPIs per acquisition channel are the same', () => {
    const comparison = compareCustomersCsv(readFileSync(duck.outputs.customersCsv, 'utf8'), readFileSync(onCluster.outputs.customersCsv, 'utf8'));
    expect(comparison.customers).toBeGreaterThan(400);
    expect(comparison.differences.slice(0, 10)).toEqual([]);
    // and the same bytes (regression: DuckDB wrote 2.0 and 9e-06 where ClickHouse wrote 2 and 0.000009)
    expect(fileDifference(duck.outputs.customersCsv, onCluster.outputs.customersCsv)).toBeNull();
    expect(duck.segments?.stages.stages.find((s) => s.stage === 'prospect')?.customers ?? 0).toBeGreaterThan(0);
    expect(duck.segments?.kpis.byAcquisitionChannel.length).toBeGreaterThan(1);
    const strip = (value: unknown): unknown =>
      Array.isArray(value) ? value.map(strip) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'timingsMs').map(([k, v]) => [k, strip(v)])) : value;
    expect(differences(strip(onCluster.segments), strip(duck.segments))).toEqual([]);
  });

  it('customers.csv has a row with stage prospect for every profile that never bought, scored alike on both engines (no events)', () => {
    const prospectRows = (run: RunSummary) => readFileSync(run.outputs.customersCsv, 'utf8').split('\n').filter((line) => line.includes(',prospect,')).length;
    const listed = duck.segments?.stages.stages.find((s) => s.stage === 'prospect')?.customers ?? 0;
    expect(listed).toBeGreaterThan(0);
    expect(prospectRows(duck)).toBe(listed);
    expect(prospectRows(onCluster)).toBe(listed);
    expect(duck.prospects?.basis).toBe('profiles');
    // the calibration's held-out people too (regression: each engine's own hash of the token held out others)
    expect(differences(onCluster.prospects, duck.prospects)).toEqual([]);
  });
});
