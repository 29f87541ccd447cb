import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { buildCustomerSummarySql, netOccasionSpend, PURCHASE_LINES, type CustomerSummaryOptions } from '../../src/features/customer-summary.js';
import { buildLearnedFeaturesSql, type LearnedFeaturesOptions } from '../../src/features/learned-features.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { FIXTURES, memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

// On DuckDB (by day) the features count an occasion's orders by grouping its lines by order first, not with a
// count(DISTINCT order_id) per occasion (the larger part of the occasion grouping's cost). This pins that form to
// main's (8460ddf), rebuilt here by putting main's occasion step back into the statement: the same rows in the same
// order, every column, on a synthetic shop (returns, countries, categories, channels) with added lines that the two
// forms could count differently — lines without an order id beside orders, several orders a day, orders of several
// lines, a return the same day — and on the same log reduced to ids and dates.
function withMainOccasions(sql: string, asOf: string): string {
  const end = new Date(Date.parse(`${asOf}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const main = `occasions AS (
  SELECT customer_id, CAST(ts AS DATE) AS period, min(CASE WHEN is_return THEN NULL ELSE ts END) AS first_ts, CASE WHEN ${NET} IS NULL THEN NULL ELSE sum(amount) END AS spend,
    CAST(${NET} AS DOUBLE) AS exact_spend, CAST(${BOUGHT} AS DOUBLE) AS exact_bought, count(DISTINCT CASE WHEN is_return THEN NULL ELSE order_id END) AS period_orders
  FROM transactions WHERE ts < TIMESTAMP '${end} 00:00:00'
  GROUP BY customer_id, CAST(ts AS DATE)
  HAVING ${PURCHASE_LINES}
),`;
  const rebuilt = sql.replace(GROUPED_BY_ORDER('occasions'), main);
  expect(rebuilt, 'the statement has the grouped occasion step').not.toBe(sql);
  return rebuilt;
}

// main's forms, with each occasion's spend net of its returns (`netOccasionSpend`) since: one grouping by occasion
const BOUGHT = 'sum(CASE WHEN is_return THEN NULL ELSE CAST(amount AS DECIMAL(38, 9)) END)';
const NET = netOccasionSpend(BOUGHT, 'sum(CAST(amount AS DECIMAL(38, 9)))');
const GROUPED_BY_ORDER = (name: string) => new RegExp(`${name} AS \\(\\n {2}SELECT customer_id, period, min\\(CASE WHEN is_return THEN NULL ELSE order_ts END\\)[\\s\\S]*?\\) per_order\\n {2}GROUP BY customer_id, period\\n {2}HAVING [^\\n]*\\n\\),`);

describe('orders per occasion counted by grouping give main rows (learned features and the customer summary)', () => {
  let shop: Warehouse;
  let idsOnly: Warehouse;
  beforeAll(async () => {
    const dir = scratchDir();
    await generateShop({ outDir: dir, customers: 1500, seed: 4242, events: false });
    shop = await memoryWarehouse();
    await ingestFiles(shop, [join(dir, 'transactions.csv'), join(dir, 'customers.csv')], { now: new Date('2024-06-01T00:00:00Z') });
    // per added customer, one day: orders a (two lines), b, two lines without an order id, and a return of a's
    await shop.execute(`INSERT INTO transactions (order_id, customer_id, ts, product_id, amount, channel, country, is_return, is_outlier, ingest_id, source, source_line, row_hash)
      SELECT CASE k WHEN 0 THEN 'a' || c WHEN 1 THEN 'a' || c WHEN 2 THEN 'b' || c WHEN 5 THEN 'a' || c END, 'extra' || c,
        TIMESTAMP '2023-01-02 09:00:00' + INTERVAL (c * 3) DAY + INTERVAL (k * 7 + c % 5) MINUTE, 'p' || ((c + k) % 4), 3.35 + k * 1.1 + c * 0.07,
        CASE WHEN k % 2 = 0 THEN 'web' END, 'DE', k = 5, false, 99, 'extra', c * 10 + k, 'extra-' || c || '-' || k
      FROM range(40) t(c), range(6) u(k) WHERE k < 3 + c % 4`);
    idsOnly = await memoryWarehouse();
    const rows = await shop.query(`SELECT customer_id, CAST(ts AS VARCHAR) AS ts FROM transactions WHERE NOT is_return`);
    const values = rows.map((r, i) => `('${r.customer_id}', TIMESTAMP '${r.ts}', NULL, false, false, 1, 's', ${i}, 'h${i}')`);
    for (let i = 0; i < values.length; i += 5000)
      await idsOnly.execute(`INSERT INTO transactions (customer_id, ts, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES ${values.slice(i, i + 5000).join(', ')}`);
  }, 600_000);
  afterAll(async () => {
    await shop?.close();
    await idsOnly?.close();
  });

  const cases: { name: string; on: () => Warehouse; options: LearnedFeaturesOptions }[] = [
    { name: 'shop by day, in weeks, with a label window', on: () => shop, options: { asOf: '2023-06-30', timeUnit: 'week', labelEnd: '2023-09-30' } },
    { name: 'shop by day, in days, no labels', on: () => shop, options: { asOf: '2023-03-31', timeUnit: 'day' } },
    { name: 'shop by day, in months, with a label window', on: () => shop, options: { asOf: '2023-09-30', timeUnit: 'month', labelEnd: '2023-12-31' } },
    { name: 'ids and dates only, in weeks, with a label window', on: () => idsOnly, options: { asOf: '2023-06-30', timeUnit: 'week', labelEnd: '2023-09-30' } },
  ];
  for (const { name, on, options } of cases) {
    it(name, async () => {
      const sql = buildLearnedFeaturesSql(on().dialect, options);
      const [now, main] = [await on().query(sql), await on().query(withMainOccasions(sql, options.asOf))];
      expect(now.length).toBeGreaterThan(500);
      expect(now).toEqual(main);
    });
  }

  // the customer summary's portable occasion step counts them the same way (by time; by order nothing is counted twice)
  const summaryCases: { name: string; on: () => Warehouse; options: CustomerSummaryOptions }[] = [
    { name: 'shop, in weeks, with a holdout', on: () => shop, options: { asOf: '2023-06-30', timeUnit: 'week', holdoutEnd: '2023-09-30' } },
    { name: 'shop, in hours', on: () => shop, options: { asOf: '2023-03-31', timeUnit: 'hour' } },
    { name: 'shop, calendar months', on: () => shop, options: { asOf: '2023-09-30', timeUnit: 'month', period: 'calendar-month' } },
    { name: 'ids and dates only, in days', on: () => idsOnly, options: { asOf: '2023-06-30', timeUnit: 'day' } },
  ];
  for (const { name, on, options } of summaryCases) {
    it(`the customer summary: ${name}`, async () => {
      const sql = buildCustomerSummarySql(on().dialect, options);
      const distinct = sql.replace(GROUPED_BY_ORDER('WITH periods'), (_, offset: number) => {
        const period = /SELECT customer_id, (.*?) AS period, order_id/.exec(sql.slice(offset))![1]!;
        const where = /FROM transactions WHERE ts < (TIMESTAMP '[^']+')/.exec(sql.slice(offset))![1]!;
        return `WITH periods AS (
  SELECT customer_id, ${period} AS period, min(CASE WHEN is_return THEN NULL ELSE ts END) AS period_ts, CAST(${BOUGHT} AS DOUBLE) AS bought,
    CAST(${NET} AS DOUBLE) AS spend, count(DISTINCT CASE WHEN is_return THEN NULL ELSE order_id END) AS period_orders
  FROM transactions WHERE ts < ${where}
  GROUP BY customer_id, ${period}
  HAVING ${PURCHASE_LINES}
),`;
      });
      expect(distinct, 'the statement has the grouped occasion step').not.toBe(sql);
      const order = ' ORDER BY customer_id';
      const [now, main] = [await on().query(`SELECT * FROM (${sql}) s${order}`), await on().query(`SELECT * FROM (${distinct}) s${order}`)];
      expect(now.length).toBeGreaterThan(500);
      expect(now).toEqual(main);
    });
  }

  it('the added customers have lines without an order id and several orders a day (what the forms could count differently)', async () => {
    const [row] = await shop.query(`SELECT count(*) FILTER (WHERE order_id IS NULL) AS no_order, count(DISTINCT order_id) AS orders FROM transactions WHERE source = 'extra' AND NOT is_return`);
    expect({ noOrder: Number(row!.no_order), orders: Number(row!.orders) }).toEqual({ noOrder: 50, orders: 80 });
  });
});
