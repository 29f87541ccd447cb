import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { buildCompressedSummarySql, buildCustomerSummarySql } from '../../../src/features/customer-summary.js';
import { buildCustomerBaseSql } from '../../../src/features/customer-base.js';
import { buildRfmScoresSql } from '../../../src/segments/build-rfm-scores-sql.js';
import { assignRfmSegments } from '../../../src/segments/assign-rfm-segments.js';
import { assignValueTiers } from '../../../src/segments/assign-value-tiers.js';
import { computeKpis } from '../../../src/features/kpis.js';
import { computeCohorts } from '../../../src/features/cohorts.js';
import { ingestFiles } from '../../../src/ingest/ingest-files.js';
import { generateShop } from '../../../src/synth/generate-shop.js';
import { FIXTURES, scratchDir } from '../../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, differences, expectSameRows, useTwoEngines } from '../../helpers/clickhouse.js';

// One SQL, two engines: every builder runs on DuckDB and on the ClickHouse cluster over the same
// transactions (ingested once into DuckDB, copied row for row into a sharded ClickHouse table).
describe.skipIf(!CLICKHOUSE_URL)(`the SQL builders give the same rows on DuckDB and ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const engines = useTwoEngines('builders', {
    fill: async (duck) => {
      const dir = scratchDir();
      await generateShop({ outDir: dir, customers: 300, seed: 18 });
      await ingestFiles(duck, [`${FIXTURES}shop/tiny-shop.csv`, join(dir, 'transactions.csv')], { now: new Date('2024-06-01T00:00:00Z') });
    },
    copy: ['transactions', 'customers'],
    timeout: 120_000,
  });
  const d = () => engines.duck.dialect;
  const c = () => engines.clickhouse.dialect;
  beforeAll(async () => {
    const [held] = await engines.clickhouse.query('SELECT count(*) AS n FROM transactions');
    expect(Number(held!.n)).toBe(engines.copied.transactions);
  });

  it('spread the transactions over every shard by customer', async () => {
    const perShard = await engines.clickhouse.rowsPerShard('transactions');
    expect(perShard.length).toBe(engines.clickhouse.shardUrls.length);
    expect(perShard.every((n) => n > 0)).toBe(true);
    const [customers] = await engines.clickhouse.query('SELECT count(DISTINCT customer_id) AS n FROM transactions');
    const local = await engines.clickhouse.customersPerShard('transactions');
    expect(local.reduce((a, b) => a + b, 0)).toBe(Number(customers!.n)); // no customer on two shards
  });

  const summaries = [
    { name: 'by day, in weeks', options: { asOf: '2023-06-30', timeUnit: 'week' as const } },
    { name: 'by order, in days', options: { asOf: '2023-06-30', timeUnit: 'day' as const, grain: 'order' as const } },
    { name: 'with a holdout, in months', options: { asOf: '2023-03-31', timeUnit: 'month' as const, holdoutEnd: '2023-12-31' } },
    { name: 'by calendar week', options: { asOf: '2023-06-30', timeUnit: 'week' as const, period: 'calendar-week' as const } },
    { name: 'by calendar month, with a holdout', options: { asOf: '2023-03-31', timeUnit: 'month' as const, period: 'calendar-month' as const, holdoutEnd: '2023-12-31' } },
    { name: 'in hours', options: { asOf: '2023-06-30', timeUnit: 'hour' as const } },
  ];
  for (const { name, options } of summaries) {
    it(`customer summary ${name}`, async () => {
      const duckRows = await engines.duck.query(buildCustomerSummarySql(d(), options));
      expect(duckRows.length).toBeGreaterThan(100);
      expectSameRows(duckRows, await engines.clickhouse.query(buildCustomerSummarySql(c(), options)), ['customer_id']);
    });
    it(`compressed tuples ${name}`, async () => {
      const duckRows = await engines.duck.query(buildCompressedSummarySql(buildCustomerSummarySql(d(), options)));
      expect(duckRows.length).toBeGreaterThan(10);
      expectSameRows(duckRows, await engines.clickhouse.query(buildCompressedSummarySql(buildCustomerSummarySql(c(), options))), ['frequency', 'recency', 'T']);
    });
  }

  it('customer base', async () => {
    const duckRows = await engines.duck.query(buildCustomerBaseSql(d(), { asOf: '2023-09-30' }));
    expectSameRows(duckRows, await engines.clickhouse.query(buildCustomerBaseSql(c(), { asOf: '2023-09-30' })), ['customer_id']);
  });

  it('KPIs, overall', async () => {
    const options = { asOf: '2023-09-30', periodDays: 90 };
    const [duckKpis, clickhouseKpis] = [await computeKpis(engines.duck, options), await computeKpis(engines.clickhouse, options)];
    expect(duckKpis[0]!.customers).toBeGreaterThan(100);
    expectSameRows(duckKpis as never, clickhouseKpis as never, ['group']);
  });

  it('cohorts by first-purchase month, and tenure buckets', async () => {
    const options = { asOf: '2023-09-30' };
    const [duckCohorts, clickhouseCohorts] = [await computeCohorts(engines.duck, options), await computeCohorts(engines.clickhouse, options)];
    expect(duckCohorts.cohorts.length).toBeGreaterThan(6);
    expect(differences(duckCohorts, clickhouseCohorts)).toEqual([]);
  });

  for (const monetary of ['total', 'average', 'none'] as const) {
    it(`RFM scores and segments (monetary ${monetary})`, async () => {
      const options = { asOf: '2023-09-30', monetary };
      const duckRows = await engines.duck.query(buildRfmScoresSql(d(), options));
      expect(new Set(duckRows.map((r) => r.r_score))).toEqual(new Set([1, 2, 3, 4, 5]));
      expectSameRows(duckRows, await engines.clickhouse.query(buildRfmScoresSql(c(), options)), ['customer_id']);
    });
  }

  it('RFM segments with their score bands (conditional aggregates, no correlated subqueries)', async () => {
    const options = { asOf: '2023-09-30', monetary: 'total' as const };
    const [duckResult, clickhouseResult] = [await assignRfmSegments(engines.duck, options), await assignRfmSegments(engines.clickhouse, options)];
    expect(duckResult.scoreBands.map((band) => band.customersR).reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
    expect(differences(duckResult, clickhouseResult)).toEqual([]);
    expectSameRows(await engines.duck.query('SELECT * FROM customer_rfm'), await engines.clickhouse.query('SELECT * FROM customer_rfm'), ['customer_id']);
  });

  it('value tiers by historic value (rank without window functions: countBefore)', async () => {
    const options = { asOf: '2023-09-30', scoresTable: null };
    const [duckTiers, clickhouseTiers] = [await assignValueTiers(engines.duck, options), await assignValueTiers(engines.clickhouse, options)];
    expect(differences(duckTiers, clickhouseTiers)).toEqual([]);
    const duckRows = await engines.duck.query('SELECT * FROM customer_value_tiers');
    expect(new Set(duckRows.map((r) => r.value_tier)).size).toBeGreaterThan(2);
    expectSameRows(duckRows, await engines.clickhouse.query('SELECT * FROM customer_value_tiers'), ['customer_id']);
  });
});
