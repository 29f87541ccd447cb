import { describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../src/engine/warehouse.js';
import { buildCustomerSummarySql, type PurchaseGrain } from '../../../src/features/customer-summary.js';
import { insertPurchaseLines, type PurchaseLine } from '../../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, differences, useTwoEngines } from '../../helpers/clickhouse.js';

// A customer none of whose lines has an order id (a frequency log, CDNOW-like, beside customers with ids): ClickHouse's
// occasion step counted their orders as NULL (uniqExactIf of a Nullable hash), and the summary failed on it ("Cannot
// convert NULL value to non-Nullable type"). They have 0 order ids, as on DuckDB, and orders = occasions.
const LINES: ReadonlyArray<PurchaseLine> = [
  [null, 'n', '2023-01-05 08:00:00', 5],
  [null, 'n', '2023-01-05 08:00:00', 6],
  [null, 'n', '2023-01-06 09:00:00', 4],
  [null, 'n', '2023-02-01 10:00:00', 1],
  ['o1', 'w', '2023-01-02 10:00:00', 8],
  ['o2', 'w', '2023-01-02 11:00:00', 2],
];

describe.skipIf(!CLICKHOUSE_URL)(`the summary of a customer without order ids, on DuckDB and ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const engines = useTwoEngines('no_order_ids', { fill: (duck) => insertPurchaseLines(duck, LINES), copy: ['transactions'], timeout: 120_000 });

  const cases: Array<[PurchaseGrain, unknown[][]]> = [
    // by day: n bought on three days (11, 4, 1), w on one (two orders)
    ['day', [['n', 2, 2.5, 3], ['w', 0, 0, 2]]],
    // by order: n's two lines at 08:00:00 are one order (keyed by their time), w's two orders two occasions
    ['order', [['n', 2, 2.5, 3], ['w', 1, 2, 2]]],
  ];
  it.each(cases)('by %s: the same frequency, monetary value and orders on both engines', async (grain, expected) => {
    const sql = (w: Warehouse) => `SELECT * FROM (${buildCustomerSummarySql(w.dialect, { asOf: '2023-03-31', timeUnit: 'week', grain })}) s ORDER BY customer_id`;
    const duckRows = await engines.duck.query(sql(engines.duck));
    expect(duckRows.map((r) => [r.customer_id, r.frequency, r.monetary_value, r.orders])).toEqual(expected);
    expect(differences(duckRows, await engines.clickhouse.query(sql(engines.clickhouse)))).toEqual([]);
  });
});
