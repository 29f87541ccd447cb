import { describe, expect, it } from 'vitest';
import { buildCustomerSummarySql } from '../../src/features/customer-summary.js';
import { buildLearnedFeaturesSql } from '../../src/features/learned-features.js';
import { memoryWarehouse } from '../helpers/warehouse.js';

// With --grain order, two orders of one customer can share a second. The first occasion (whose spend the summary's
// monetary value leaves out) and the last one (the features' last spend and last gap) were picked by time alone, so
// which of the tied orders counted depended on the order the engine met the rows in: running the same statement twice
// on the demo data changed monetary_value for 4 and monetary_trend for 11 of 3,613 customers. Ties now go to the
// smaller order id.
const LINES = [
  ['a', '2023-01-01 10:00:00', 30],
  ['b', '2023-01-01 10:00:00', 10],
  ['c', '2023-02-01 09:00:00', 20],
  ['e', '2023-03-01 12:00:00', 9],
  ['d', '2023-03-01 12:00:00', 7],
] as const;

/** The LINES in `order` in a fresh warehouse, each time with its `milliseconds` (none by default). */
async function withLinesIn(order: readonly number[], work: (w: Awaited<ReturnType<typeof memoryWarehouse>>) => Promise<void>, milliseconds: readonly string[] = LINES.map(() => '')): Promise<void> {
  const w = await memoryWarehouse();
  try {
    const values = order.map((i) => {
      const [id, ts, amount] = LINES[i]!;
      return `('${id}', 'x', TIMESTAMP '${ts}${milliseconds[i]!}', ${amount}, false, false, 1, 's', ${i + 1}, 'h${i}')`;
    });
    await w.execute(`INSERT INTO transactions (order_id, customer_id, ts, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES ${values.join(', ')}`);
    await work(w);
  } finally {
    await w.close();
  }
}

const ORDERS = [
  [0, 1, 2, 3, 4],
  [1, 0, 2, 4, 3],
  [4, 3, 2, 1, 0],
];

describe('--grain order with orders at the same second', () => {
  it('the summary leaves out the spend of the tied first order with the smaller id, whatever the rows order', async () => {
    for (const order of ORDERS) {
      await withLinesIn(order, async (w) => {
        const [row] = await w.query(buildCustomerSummarySql(w.dialect, { asOf: '2023-03-31', timeUnit: 'week', grain: 'order' }));
        // five orders, the first is 'a' (30): (76 − 30) / 4
        expect([order, row!.frequency, row!.monetary_value]).toEqual([order, 4, 11.5]);
      });
    }
  });

  it("the features' spend trend and last gap ratio take the last spend and gap of the tied last order with the greater id", async () => {
    for (const order of ORDERS) {
      await withLinesIn(order, async (w) => {
        const [row] = await w.query(buildLearnedFeaturesSql(w.dialect, { asOf: '2023-03-31', timeUnit: 'week', grain: 'order' }));
        // occasions in (time, order id): a, b, c, d, e — the last is 'e' (9 against a mean spend of 76 / 5), its gap to 'd' is 0
        expect([order, row!.monetary_trend, row!.last_gap_ratio]).toEqual([order, Math.round((9 / 15.2) * 1e9) / 1e9, 0]);
      });
    }
  });

  // ClickHouse keeps no milliseconds (its DateTime): orders milliseconds apart in one second are tied there, so they are
  // tied here too (time to the second, then order id) — 'b' 600 ms before 'a', 'd' 600 ms after 'e' change nothing
  it('orders milliseconds apart in one second are tied as in the same second (the order ClickHouse sees)', async () => {
    const milliseconds = ['.800', '.200', '', '.100', '.700'];
    for (const order of ORDERS) {
      await withLinesIn(order, async (w) => {
        const [summary] = await w.query(buildCustomerSummarySql(w.dialect, { asOf: '2023-03-31', timeUnit: 'week', grain: 'order' }));
        const [features] = await w.query(buildLearnedFeaturesSql(w.dialect, { asOf: '2023-03-31', timeUnit: 'week', grain: 'order' }));
        expect([order, summary!.monetary_value, features!.monetary_trend, features!.last_gap_ratio]).toEqual([order, 11.5, Math.round((9 / 15.2) * 1e9) / 1e9, 0]);
      }, milliseconds);
    }
  });
});
