/**
 * The order-grain customer summary read in part on ClickHouse 18.16: a query
 * reading monetary_value or monetary_frequency without the other columns
 * (`SELECT customer_id, monetary_value FROM (summary)`) failed with "Unknown
 * identifier: ts". 18.16 does not count an identifier that a lambda captures
 * as a column the query needs: the first order's spend compared each
 * occasion with `first_occasion` (ranked by time) inside a lambda, so with
 * first_occasion itself not read, `ts` was dropped from the rows below.
 * Every column alone, and the spend columns together, now give the rows
 * DuckDB gives for the same synthetic shop (order ids, a holdout).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { copyTableToClickHouse } from '../../../src/engine/clickhouse/copy-table-to-clickhouse.js';
import type { Warehouse } from '../../../src/engine/warehouse.js';
import { buildCustomerSummarySql, type CustomerSummaryOptions } from '../../../src/features/customer-summary.js';
import { ingestFiles } from '../../../src/ingest/ingest-files.js';
import { generateShop } from '../../../src/synth/generate-shop.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, expectSameRows } from '../../helpers/clickhouse.js';
import { memoryWarehouse, scratchDir } from '../../helpers/warehouse.js';

const COLUMNS = ['first_purchase', 'last_purchase', 'orders', 'frequency', 'recency', 'T', 'monetary_value', 'monetary_frequency', 'valued_occasions', 'total_spend', 'returns', 'historic_clv'];
const HOLDOUT = ['frequency_holdout', 'monetary_value_holdout', 'duration_holdout'];

describe.skipIf(!CLICKHOUSE_URL)(`the order-grain summary read in part, on DuckDB and ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let duck: Warehouse;
  let clickhouse: ClickHouseWarehouse;
  beforeAll(async () => {
    const dir = scratchDir();
    await generateShop({ outDir: dir, customers: 300, seed: 11, events: false });
    duck = await memoryWarehouse();
    await ingestFiles(duck, [join(dir, 'transactions.csv')], { now: new Date('2024-06-01T00:00:00Z') });
    clickhouse = await clickhouseWarehouse('order_grain_in_part');
    await copyTableToClickHouse(duck, clickhouse, 'transactions');
  }, 120_000);
  afterAll(async () => {
    await clickhouse?.dropDatabase();
    await clickhouse?.close();
    await duck?.close();
  });

  const read = (warehouse: Warehouse, columns: readonly string[], options: Partial<CustomerSummaryOptions> = {}) =>
    warehouse.query(`SELECT customer_id, ${columns.map((c) => warehouse.dialect.identifier(c)).join(', ')} FROM (${buildCustomerSummarySql(warehouse.dialect, { asOf: '2023-06-30', timeUnit: 'week', grain: 'order', ...options })}) s`);

  it('each column alone: the rows DuckDB gives', async () => {
    for (const column of COLUMNS) expectSameRows(await read(duck, [column]), await read(clickhouse, [column]), ['customer_id']);
  }, 120_000);

  it('the spend columns together, and with a holdout: the rows DuckDB gives (monetary_value of the first customers checked against their orders)', async () => {
    const spend = ['frequency', 'monetary_value', 'monetary_frequency', 'valued_occasions', 'total_spend'];
    const onClickHouse = await read(clickhouse, spend);
    expect(onClickHouse.length).toBeGreaterThan(200);
    expect(onClickHouse.filter((row) => Number(row.monetary_frequency) > 0).length).toBeGreaterThan(50);
    expectSameRows(await read(duck, spend), onClickHouse, ['customer_id']);
    const options = { holdoutEnd: '2023-12-31' };
    expectSameRows(await read(duck, ['monetary_value', ...HOLDOUT], options), await read(clickhouse, ['monetary_value', ...HOLDOUT], options), ['customer_id']);
    // one customer's monetary_value from its orders: the mean spend of the repeat orders (the first left out)
    const [repeat] = await duck.query("SELECT customer_id FROM transactions WHERE NOT is_return AND ts < TIMESTAMP '2023-07-01' GROUP BY customer_id HAVING count(DISTINCT order_id) = 3 ORDER BY customer_id LIMIT 1");
    const orders = await duck.query(`SELECT order_id, min(ts) AS first, sum(amount) AS spend FROM transactions WHERE customer_id = '${String(repeat!.customer_id)}' AND NOT is_return AND ts < TIMESTAMP '2023-07-01' GROUP BY order_id ORDER BY first, order_id`);
    const mean = (Number(orders[1]!.spend) + Number(orders[2]!.spend)) / 2;
    expect(Number(onClickHouse.find((row) => row.customer_id === repeat!.customer_id)!.monetary_value)).toBeCloseTo(mean, 9);
  }, 120_000);
});
