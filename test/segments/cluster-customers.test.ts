import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { clusterCustomers, type CustomerClustering } from '../../src/segments/cluster-customers.js';
import { memoryWarehouse } from '../helpers/warehouse.js';

/**
 * Three planted behaviours, as of 2024-06-30:
 * - `r…` 300 regulars: 12 orders 14 days apart up to a few days ago, 20 per order, 2 units, UK;
 * - `b…` 200 big one-off buyers: one order 150–250 days ago, 800, 40 units, FR;
 * - `l…` 200 lapsed: 4 orders 20 days apart ending 200–260 days ago, 100 per order, 5 units, UK.
 */
async function plantedShop(warehouse: Warehouse): Promise<void> {
  const insert = (select: string) =>
    warehouse.execute(`INSERT INTO transactions (order_id, customer_id, ts, product_id, amount, quantity, unit_price, country, is_return, is_outlier, ingest_id, source, source_line, row_hash)
      SELECT order_id, customer_id, ts, product_id, amount, quantity, amount / quantity, country, FALSE, FALSE, 1, 'planted', row_number() OVER (), md5(order_id) FROM (${select}) s`);
  await insert(`SELECT 'r' || c.i || '-' || k.j AS order_id, 'r' || lpad(CAST(c.i AS VARCHAR), 3, '0') AS customer_id,
      TIMESTAMP '2024-06-30 12:00:00' - to_days(CAST(c.i % 5 + 14 * k.j AS INTEGER)) AS ts, 'p' || (k.j % 6) AS product_id, 20.0 + c.i % 3 AS amount, 2.0 AS quantity, 'UK' AS country
    FROM range(300) c(i), range(12) k(j)`);
  await insert(`SELECT 'b' || c.i AS order_id, 'b' || lpad(CAST(c.i AS VARCHAR), 3, '0') AS customer_id,
      TIMESTAMP '2024-06-30 12:00:00' - to_days(CAST(150 + c.i % 100 AS INTEGER)) AS ts, 'p9' AS product_id, 800.0 + c.i % 50 AS amount, 40.0 AS quantity, 'FR' AS country
    FROM range(200) c(i)`);
  await insert(`SELECT 'l' || c.i || '-' || k.j AS order_id, 'l' || lpad(CAST(c.i AS VARCHAR), 3, '0') AS customer_id,
      TIMESTAMP '2024-06-30 12:00:00' - to_days(CAST(200 + c.i % 60 + 20 * k.j AS INTEGER)) AS ts, 'p' || k.j AS product_id, 100.0 AS amount, 5.0 AS quantity, 'UK' AS country
    FROM range(200) c(i), range(4) k(j)`);
}

describe('behaviour clusters of a shop with three planted behaviours', () => {
  let warehouse: Warehouse;
  let fixed: CustomerClustering;
  beforeAll(async () => {
    warehouse = await memoryWarehouse();
    await plantedShop(warehouse);
    fixed = await clusterCustomers(warehouse, { asOf: '2024-06-30', k: 3, seed: 5, scoresTable: null });
  });
  afterAll(() => warehouse.close());

  it('recovers the planted groups: every group in one cluster, numbered by value', async () => {
    const rows = await warehouse.query(`SELECT substr(customer_id, 1, 1) AS planted, min(cluster) AS lo, max(cluster) AS hi, count(*) AS n FROM customer_clusters GROUP BY 1 ORDER BY 1`);
    expect(rows.map((r) => [r.planted, r.n])).toEqual([
      ['b', 200],
      ['l', 200],
      ['r', 300],
    ]);
    for (const r of rows) expect(r.lo, `group ${r.planted}`).toBe(r.hi);
    // value: big one-offs Σ (800 + i mod 50) = 164,900; regulars 12 · Σ (20 + i mod 3) = 75,600; lapsed 200 × 400 = 80,000
    expect(rows.map((r) => r.lo)).toEqual([1, 2, 3]);
    expect(fixed.clusters.map((c) => c.customers)).toEqual([200, 200, 300]);
    expect(fixed.clusters[0]!.valueShare).toBeCloseTo(164_900 / (164_900 + 80_000 + 75_600), 12);
  });

  it('profiles clusters in their own units and in words', () => {
    const names = fixed.features.map((f) => f.name);
    // nobody returned anything: the share returned is 0 for all, so it separates no one and is left out, by name
    expect(names).toEqual(['recency_days', 'frequency', 'monetary', 'tenure_days', 'mean_gap_days', 'basket_size', 'product_diversity', 'country=UK', 'country=FR']);
    expect(fixed.leftOut).toEqual([{ name: 'return_rate', label: 'share of value returned', value: 0 }]);
    expect(fixed.method).toMatch(/; left out, the same for every customer: return_rate \(0\)$/);
    const regulars = fixed.clusters[2]!;
    const mean = (c: typeof regulars, feature: string) => c.means[names.indexOf(feature)]!;
    expect(mean(regulars, 'frequency')).toBe(12);
    expect(mean(regulars, 'recency_days')).toBeCloseTo(2, 12); // i mod 5 averages 2
    expect(mean(regulars, 'mean_gap_days')).toBe(14);
    expect(mean(regulars, 'basket_size')).toBe(2);
    expect(mean(regulars, 'country=UK')).toBe(1);
    expect(regulars.centroid[names.indexOf('frequency')]).toBeCloseTo(12, 9); // expm1 of the mean of log1p(12)
    expect(regulars.description).toMatch(/frequent/);
    expect(regulars.description).toMatch(/recent/);
    const big = fixed.clusters[0]!;
    expect(big.description).toMatch(/large baskets|high spend|FR/);
    expect(mean(big, 'country=FR')).toBe(1);
    for (const c of fixed.clusters) expect(c.zScores).toHaveLength(names.length);
    expect(fixed.kChoice).toEqual({ method: 'fixed', curve: [], fitRows: 0, silhouetteRows: 0 });
    expect(fixed.silhouette).toBeGreaterThan(0.5);
  });

  it('chooses k = 3 by silhouette over 2..10 and reports the curve', async () => {
    const auto = await clusterCustomers(warehouse, { asOf: '2024-06-30', seed: 5, scoresTable: null, table: 'clusters_auto' });
    expect(auto.kChoice.method).toBe('silhouette');
    expect(auto.kChoice.curve.map((p) => p.k)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const best = auto.kChoice.curve.reduce((a, b) => (b.silhouette > a.silhouette ? b : a));
    expect(auto.k, `curve ${auto.kChoice.curve.map((p) => `${p.k}: ${p.silhouette.toFixed(3)}`).join(', ')}`).toBe(3);
    expect(best.k).toBe(3);
  });

  it('is reproducible with the same seed and JSON-serialisable', async () => {
    const again = await clusterCustomers(warehouse, { asOf: '2024-06-30', k: 3, seed: 5, scoresTable: null, table: 'clusters_again' });
    const { timingsMs: _a, ...first } = fixed;
    const { timingsMs: _b, ...second } = { ...again, table: fixed.table };
    expect(second).toEqual(first);
    const [diff] = await warehouse.query('SELECT count(*) AS n FROM customer_clusters a JOIN clusters_again b USING (customer_id) WHERE a.cluster <> b.cluster');
    expect(Number(diff!.n)).toBe(0);
    expect(JSON.parse(JSON.stringify(fixed)).clusters[1].means).toEqual(fixed.clusters[1]!.means);
  });

  it('rejects bad options with a user error', async () => {
    await expect(clusterCustomers(warehouse, { asOf: '2024-06-30', k: 0 })).rejects.toThrow(/positive whole number/);
    await expect(clusterCustomers(warehouse, { asOf: '2024-06-30', features: ['nonsense' as never] })).rejects.toThrow(/unknown cluster feature/);
    await expect(clusterCustomers(warehouse, { asOf: '2000-01-01', k: 2 })).rejects.toThrow(/no customer/);
  });
});

// A log of customer ids and dates only gave every customer 1 unit per order and 0 distinct products: two columns of
// equal means in the report's cluster table, "clustered on" by the method text, telling no cluster apart.
describe('behaviour clusters of a log without products or quantities', () => {
  let warehouse: Warehouse;
  afterAll(() => warehouse?.close());

  it('leave out the features the same for every customer, and name them', async () => {
    warehouse = await memoryWarehouse();
    await warehouse.execute(`INSERT INTO transactions (customer_id, ts, is_return, is_outlier, ingest_id, source, source_line, row_hash)
      SELECT 'c' || c.i, TIMESTAMP '2024-06-30 12:00:00' - to_days(CAST(c.i % 40 + 30 * k.j AS INTEGER)), FALSE, FALSE, 1, 'log', row_number() OVER (), md5(c.i || '-' || k.j)
      FROM range(60) c(i), range(1 + c.i % 4) k(j)`);
    const clustering = await clusterCustomers(warehouse, { asOf: '2024-06-30', k: 2, seed: 1, scoresTable: null, features: ['recency_days', 'frequency', 'tenure_days', 'mean_gap_days', 'basket_size', 'product_diversity'] });
    expect(clustering.features.map((f) => f.name)).toEqual(['recency_days', 'frequency', 'tenure_days', 'mean_gap_days']);
    expect(clustering.leftOut).toEqual([
      { name: 'basket_size', label: 'units per order', value: 1 },
      { name: 'product_diversity', label: 'distinct products', value: 0 },
    ]);
    expect(clustering.method).toContain('left out, the same for every customer: basket_size (1), product_diversity (0)');
    for (const c of clustering.clusters) expect(c.means).toHaveLength(4);
  });

  it('keep them when no feature varies, so there is still a profile', async () => {
    const clustering = await clusterCustomers(warehouse, { asOf: '2024-06-30', k: 1, seed: 1, scoresTable: null, features: ['basket_size', 'product_diversity'], table: 'clusters_flat' });
    expect(clustering.features.map((f) => f.name)).toEqual(['basket_size', 'product_diversity']);
    expect(clustering.leftOut).toEqual([]);
  });
});
