import { describe, expect, it } from 'vitest';
import type { Row, Warehouse } from '../../../src/engine/warehouse.js';
import { buildBehaviourFeaturesSql } from '../../../src/features/behaviour-features.js';
import { buildCustomerSummarySql } from '../../../src/features/customer-summary.js';
import { buildLearnedFeaturesSql } from '../../../src/features/learned-features.js';
import { insertPurchaseLines, type PurchaseLine } from '../../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, differences, useTwoEngines } from '../../helpers/clickhouse.js';

// --grain order with orders in the same second, milliseconds apart. ClickHouse's DateTime keeps no milliseconds (the
// copy drops them), DuckDB's TIMESTAMP keeps them: ordered by time and then order key, DuckDB ordered such orders by
// their milliseconds and ClickHouse by their keys, and a line without an order id was an order of its own per
// millisecond on DuckDB but one per second on ClickHouse — different summaries and features. Both engines now order by
// the time to the second, then the key, and key a line without an order id by its second. An order is placed by its
// first line: ClickHouse took the last order as the one holding the latest line (customer z), DuckDB the one that
// started last — recency and last purchase differed when an order's lines spanned days.
const LINES: ReadonlyArray<PurchaseLine> = [
  // customer x: 'b' 600 ms before 'a' in the first second; 'd' 600 ms after 'e' in the last one
  ['a', 'x', '2023-01-01 10:00:00.800', 30],
  ['b', 'x', '2023-01-01 10:00:00.200', 10],
  ['c', 'x', '2023-02-01 09:00:00', 20],
  ['e', 'x', '2023-03-01 12:00:00.100', 9],
  ['d', 'x', '2023-03-01 12:00:00.700', 7],
  // customer y, no order ids: two lines in one second (one order), one 100 ms before midnight (truncated, not rounded into the next day)
  [null, 'y', '2023-01-05 08:00:00.100', 5],
  [null, 'y', '2023-01-05 08:00:00.900', 6],
  [null, 'y', '2023-01-06 23:59:59.900', 4],
  [null, 'y', '2023-02-01 10:00:00', 1],
  // customer z: order 'p' starts first and has the latest line (it spans days); 'q' starts later, so it is the last order
  ['p', 'z', '2023-01-10 10:00:00', 10],
  ['q', 'z', '2023-03-05 10:00:00', 20],
  ['p', 'z', '2023-03-20 10:00:00', 5],
];

describe.skipIf(!CLICKHOUSE_URL)(`--grain order, orders milliseconds apart: the same on DuckDB and ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const engines = useTwoEngines('subsecond', { fill: (duck) => insertPurchaseLines(duck, LINES), copy: ['transactions', 'customers'], timeout: 120_000 });

  const both = async (sql: (w: Warehouse) => string): Promise<Row[]> => {
    const duckRows = await engines.duck.query(`SELECT * FROM (${sql(engines.duck)}) q ORDER BY customer_id`);
    const clickhouseRows = await engines.clickhouse.query(`SELECT * FROM (${sql(engines.clickhouse)}) q ORDER BY customer_id`);
    expect(differences(duckRows, clickhouseRows)).toEqual([]);
    return duckRows;
  };

  it('the copy to ClickHouse truncates the milliseconds (23:59:59.900 stays on its day)', async () => {
    const rows = await engines.clickhouse.query("SELECT toString(ts) AS ts FROM transactions WHERE customer_id = 'y' ORDER BY ts");
    expect(rows.map((r) => r.ts)).toEqual(['2023-01-05 08:00:00', '2023-01-05 08:00:00', '2023-01-06 23:59:59', '2023-02-01 10:00:00']);
  });

  it('the summary: the first of the tied orders is the one with the smaller id; lines without an id in one second are one order', async () => {
    const rows = await both((w) => buildCustomerSummarySql(w.dialect, { asOf: '2023-03-31', timeUnit: 'week', grain: 'order' }));
    // x: five orders, the first is 'a' (30), not 'b' (10, earlier by 600 ms): (76 − 30) / 4
    // y: three orders (5 + 6 at 08:00:00, 4, 1), the first is the 11: (4 + 1) / 2
    // z: two orders, the first 'p' (10 + 5, started 2023-01-10), the last 'q' (started 2023-03-05): recency 54 days
    expect(rows.map((r) => [r.customer_id, r.frequency, r.monetary_value, r.orders])).toEqual([
      ['x', 4, 11.5, 5],
      ['y', 2, 2.5, 3],
      ['z', 1, 20, 2],
    ]);
    expect([rows[2]!.recency, (rows[2]!.last_purchase as Date).toISOString().slice(0, 10)]).toEqual([54 / 7, '2023-03-05']);
  });

  it("the learned features: the last of the tied orders is the one with the greater id ('e', not 'd', later by 600 ms)", async () => {
    const rows = await both((w) => buildLearnedFeaturesSql(w.dialect, { asOf: '2023-03-31', timeUnit: 'week', grain: 'order' }));
    // x: occasions a, b, c, d, e — the last is 'e' (9 against a mean spend of 76 / 5), its gap to 'd' is 0
    expect([rows[0]!.customer_id, rows[0]!.monetary_trend, rows[0]!.last_gap_ratio]).toEqual(['x', Math.round((9 / 15.2) * 1e9) / 1e9, 0]);
    expect([rows[1]!.customer_id, rows[1]!.frequency]).toEqual(['y', 2]);
    // z: the last order is 'q' (it started last), not 'p' (which holds the latest line): 20 against a mean of 35 / 2
    expect([rows[2]!.customer_id, rows[2]!.monetary_trend]).toEqual(['z', Math.round((20 / 17.5) * 1e9) / 1e9]);
  });

  it('the behaviour features count the lines without an order id in one second as one order', async () => {
    const rows = await both((w) => buildBehaviourFeaturesSql(w.dialect, { asOf: '2023-03-31', grain: 'order' }));
    expect(rows.map((r) => [r.customer_id, r.frequency, r.basket_size])).toEqual([
      ['x', 5, 1],
      ['y', 3, 4 / 3],
      ['z', 2, 3 / 2],
    ]);
  });
});
