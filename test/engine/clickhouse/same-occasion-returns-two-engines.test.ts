import { describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../src/engine/warehouse.js';
import type { PurchaseGrain } from '../../../src/features/customer-summary.js';
import { buildLearnedFeaturesSql } from '../../../src/features/learned-features.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, differences, useTwoEngines } from '../../helpers/clickhouse.js';
import { insertReturnLines, NET_SUMMARY_BY_DAY, NET_SUMMARY_BY_ORDER, netSummaryRows } from '../../helpers/same-occasion-returns.js';

// Returns net the spend of their occasion on both engines: ClickHouse's own occasion step (one GROUP BY customer_id, the
// occasions' nets by sumMap) and the portable step give the same summary and the same learned features.
describe.skipIf(!CLICKHOUSE_URL)(`returns netted within their occasion, on DuckDB and ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const engines = useTwoEngines('same_occasion_returns', { fill: insertReturnLines, copy: ['transactions', 'customers'], timeout: 120_000 });

  it.each([
    ['day', NET_SUMMARY_BY_DAY],
    ['order', NET_SUMMARY_BY_ORDER],
  ] as Array<[PurchaseGrain, unknown[][]]>)('by %s: the same net monetary value, valued occasions and holdout spend on both engines', async (grain, expected) => {
    expect(await netSummaryRows(engines.clickhouse, grain)).toEqual(expected);
    expect(await netSummaryRows(engines.duck, grain)).toEqual(expected);
  });

  it('by hour: the same summary on both engines', async () => {
    const clickhouseRows = await netSummaryRows(engines.clickhouse, 'day', 'hour');
    expect(clickhouseRows.map((row) => row.slice(0, 3))[0]).toEqual(['g', 1, 0]);
    expect(clickhouseRows).toEqual(await netSummaryRows(engines.duck, 'day', 'hour'));
  });

  it.each(['day', 'order'] as PurchaseGrain[])('by %s: the same learned features on both engines', async (grain) => {
    const sql = (w: Warehouse) => `SELECT * FROM (${buildLearnedFeaturesSql(w.dialect, { asOf: '2023-03-31', timeUnit: 'week', grain, labelEnd: '2023-06-30' })}) f ORDER BY customer_id`;
    const clickhouseRows = await engines.clickhouse.query(sql(engines.clickhouse));
    expect(clickhouseRows.map((r) => [r.customer_id, r.monetary_value, r.monetary_mean]).slice(0, 2)).toEqual(grain === 'day' ? [['g', 0, 10], ['h', 150, 125]] : [['g', 1000, 505], ['h', 200, 150]]);
    expect(differences(await engines.duck.query(sql(engines.duck)), clickhouseRows)).toEqual([]);
  });
});
