import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { copyTableToClickHouse } from '../../../src/engine/clickhouse/copy-table-to-clickhouse.js';
import type { Warehouse } from '../../../src/engine/warehouse.js';
import type { PurchaseGrain } from '../../../src/features/customer-summary.js';
import { buildLearnedFeaturesSql } from '../../../src/features/learned-features.js';
import { memoryWarehouse } from '../../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, differences } from '../../helpers/clickhouse.js';
import { insertMixedLines, MIXED_SUMMARY, mixedSummaryRows } from '../../helpers/mixed-order-values.js';

// Files with and without order values in one warehouse: before, ClickHouse's first spend was NULL where the first day had
// no amount (monetary_value NULL) and DuckDB's the first amount known (b: 35 against NULL), and both divided by every
// repeat day (a: 156.53). Now both average the repeat occasions with a known amount, and count them.
describe.skipIf(!CLICKHOUSE_URL)(`the summary of a warehouse mixing files with and without order values, on DuckDB and ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let duck: Warehouse;
  let clickhouse: ClickHouseWarehouse;
  beforeAll(async () => {
    duck = await memoryWarehouse();
    await insertMixedLines(duck);
    clickhouse = await clickhouseWarehouse('mixed_order_values');
    for (const table of ['transactions', 'customers']) await copyTableToClickHouse(duck, clickhouse, table);
  }, 120_000);
  afterAll(async () => {
    await clickhouse?.dropDatabase();
    await clickhouse?.close();
    await duck?.close();
  });

  it.each(['day', 'order'] as PurchaseGrain[])('by %s: the same monetary value, monetary frequency and valued occasions on both engines', async (grain) => {
    const clickhouseRows = await mixedSummaryRows(clickhouse, grain);
    expect(clickhouseRows[0]).toEqual(MIXED_SUMMARY[0]);
    expect(differences(await mixedSummaryRows(duck, grain), clickhouseRows)).toEqual([]);
  });

  it.each(['day', 'order'] as PurchaseGrain[])('by %s: the same learned features on both engines (DuckDB shares the occasion grouping with the summary, ClickHouse does not)', async (grain) => {
    const sql = (w: Warehouse) => `SELECT * FROM (${buildLearnedFeaturesSql(w.dialect, { asOf: '2023-03-31', timeUnit: 'week', grain, labelEnd: '2023-06-30' })}) f ORDER BY customer_id`;
    const clickhouseRows = await clickhouse.query(sql(clickhouse));
    expect(clickhouseRows.map((r) => [r.customer_id, r.monetary_value, r.monetary_frequency]).slice(0, 2)).toEqual([['a', 313.06, 1], ['b', 60, 2]]);
    expect(differences(await duck.query(sql(duck)), clickhouseRows)).toEqual([]);
  });
});
