/**
 * Regression: `clvkit validate --engine clickhouse` needs the transactions only, and read the cluster's customer
 * profiles too — the honest tournament's features took channel, country and region from `customers` where the
 * transactions had none (four statements, one per cut-off). A file validated on DuckDB is read into memory without
 * profiles, so the same transactions validated on a cluster that also holds profiles gave another tournament. The
 * validation now reads `transactions` alone on both engines (`profiles: false`).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouseWarehouse, type ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { openDuckDbWarehouse } from '../../../src/engine/duckdb-warehouse.js';
import { ingestFiles } from '../../../src/ingest/ingest-files.js';
import { generateShop } from '../../../src/synth/generate-shop.js';
import { validateModels, type ValidateModelsResult } from '../../../src/pipeline/validate-models.js';
import { cli } from '../../helpers/cli.js';
import { scratchDir } from '../../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, differences, dropScratchDatabase } from '../../helpers/clickhouse.js';

describe.skipIf(!CLICKHOUSE_URL)(`validate on a cluster reads its transactions only${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const dir = scratchDir('clvkit-validate-reads-');
  const keyFile = join(dir, 'shop.key');
  const options = { calibrationEnd: '2023-06-30', timeUnit: 'week' as const, grain: 'day' as const, learned: true, candidates: ['linear-poisson' as const], seed: 1 };
  let created: ClickHouseWarehouse;
  let onCluster: ValidateModelsResult;
  let onDuck: ValidateModelsResult;
  const statements: string[] = [];

  beforeAll(async () => {
    // profiles with a channel, country and region per customer; the transactions carry the country only
    await generateShop({ outDir: join(dir, 'shop'), customers: 300, seed: 3301 });
    expect((await cli(['keys', 'init', '--key-file', keyFile])).code).toBe(0);
    created = await clickhouseWarehouse('validate_reads');
    const on = ['--engine', 'clickhouse', '--clickhouse-url', CLICKHOUSE_URL, '--clickhouse-database', created.database, '--key-file', keyFile];
    for (const [file, kind] of [['transactions', 'transactions'], ['customers', 'customers'], ['events', 'events']]) {
      const ingested = await cli(['ingest', join(dir, 'shop', `${file}.csv`), '--kind', kind!, ...on]);
      expect(ingested.code, ingested.stderr).toBe(0);
    }
    const [held] = await created.query('SELECT count(acquisition_channel) AS n FROM customers');
    expect(Number(held!.n)).toBeGreaterThan(250);
    // validate's own statements, logged
    const cluster = await openClickHouseWarehouse(CLICKHOUSE_URL, { database: created.database, cluster: created.cluster, onStatement: (entry) => statements.push(entry.sql) });
    try {
      onCluster = await validateModels(cluster, options);
    } finally {
      await cluster.close();
    }
    const duck = await openDuckDbWarehouse(':memory:');
    try {
      await ingestFiles(duck, [join(dir, 'shop', 'transactions.csv')], { now: new Date('2024-06-01T00:00:00Z') });
      onDuck = await validateModels(duck, options);
    } finally {
      await duck.close();
    }
  }, 600_000);
  afterAll(() => dropScratchDatabase(created));

  it('no statement reads customers or events; the transactions are read', () => {
    const reads = (table: string) => statements.filter((sql) => new RegExp(`\\b(FROM|JOIN)\\s+(${created.database}\\.)?${table}\\b`, 'i').test(sql)).length;
    expect(statements.length).toBeGreaterThan(3);
    expect({ customers: reads('customers'), events: reads('events') }).toEqual({ customers: 0, events: 0 });
    expect(reads('transactions')).toBeGreaterThan(3);
  });

  it("the same honest tournament as DuckDB's validate of the transactions file", () => {
    expect(onDuck.honest && 'skipped' in onDuck.honest ? onDuck.honest.skipped : 'ran').toBe('ran');
    const withoutTimings = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(withoutTimings)
        : value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).filter(([key]) => !/timings?Ms|elapsedMs/.test(key)).map(([key, v]) => [key, withoutTimings(v)]))
          : value;
    expect(differences(withoutTimings(onCluster.honest), withoutTimings(onDuck.honest))).toEqual([]);
    expect(onCluster.selection.chosen).toBe(onDuck.selection.chosen);
  });
});
