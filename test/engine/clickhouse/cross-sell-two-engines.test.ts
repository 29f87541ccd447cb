import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../src/engine/warehouse.js';
import { loadPurchaseData, type PurchaseData } from '../../../src/cross-sell/load-purchase-data.js';
import { chooseRecommender } from '../../../src/cross-sell/choose-recommender.js';
import { runPatternsStep } from '../../../src/cross-sell/patterns-step.js';
import { ingestFiles } from '../../../src/ingest/ingest-files.js';
import { generateShop } from '../../../src/synth/generate-shop.js';
import { FIXTURES, scratchDir } from '../../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, differences, useTwoEngines } from '../../helpers/clickhouse.js';

/** Every array of the purchase data as plain arrays, for an exact comparison. */
function plain(data: PurchaseData): Record<string, unknown> {
  return {
    level: data.level,
    itemCodes: data.itemCodes,
    itemLabels: data.itemLabels,
    customerIds: data.customerIds,
    basketOffsets: Array.from(data.baskets.offsets),
    items: Array.from(data.baskets.items),
    nItems: data.baskets.nItems,
    basketCustomer: Array.from(data.basketCustomer),
    sequenceOffsets: Array.from(data.sequences.sequenceOffsets),
    itemsetOffsets: Array.from(data.sequences.itemsetOffsets),
  };
}

// Issue 18: the cross-sell step's SQL (baskets, the item dictionary with its labels, the time split) run on DuckDB and
// on the ClickHouse cluster over the same rows; the purchase data, rules, sequence rules, the recommender's evaluation
// and recommendations.csv must be equal.
describe.skipIf(!CLICKHOUSE_URL)(`cross-sell gives the same answers on DuckDB and ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let dir: string;
  const engines = useTwoEngines('cross_sell', {
    fill: async (duck) => {
      dir = scratchDir();
      await generateShop({ outDir: dir, customers: 400, seed: 1818 });
      await ingestFiles(duck, [`${FIXTURES}shop/tiny-shop.csv`, join(dir, 'transactions.csv')], { now: new Date('2024-06-01T00:00:00Z') });
      // the shop has no category column: one from the product code's last digit, for the category level
      await duck.execute("UPDATE transactions SET category = 'family ' || right(product_id, 1) WHERE product_id IS NOT NULL");
    },
    copy: ['transactions'],
    timeout: 180_000,
  });

  for (const level of ['product', 'category'] as const) {
    it(`purchase data by ${level}: the same baskets, item ids (popular first), labels, customers and sequences`, async () => {
      const d = await loadPurchaseData(engines.duck, { level });
      expect(d.basketCustomer.length).toBeGreaterThan(500);
      expect(d.itemCodes.length).toBeGreaterThan(level === 'product' ? 20 : 2);
      if (level === 'product') expect(d.itemLabels.filter((label, i) => label !== d.itemCodes[i]).length).toBeGreaterThan(10); // descriptions found
      expect(differences(plain(d), plain(await loadPurchaseData(engines.clickhouse, { level })))).toEqual([]);
    });
  }

  it('purchase data of a window with a given item dictionary (the test side of a time split): unknown items dropped alike', async () => {
    const train = await loadPurchaseData(engines.duck, { until: '2023-06-01' });
    const window = { from: '2023-06-01', until: '2023-09-01', itemCodes: train.itemCodes.slice(0, 15) };
    const d = await loadPurchaseData(engines.duck, window);
    expect(d.itemCodes.length).toBe(15);
    expect(d.basketCustomer.length).toBeGreaterThan(20);
    expect(differences(plain(train), plain(await loadPurchaseData(engines.clickhouse, { until: '2023-06-01' })))).toEqual([]);
    expect(differences(plain(d), plain(await loadPurchaseData(engines.clickhouse, window)))).toEqual([]);
  });

  it('the recommender chosen on the time split: the same candidates, scores and choice', async () => {
    const options = { level: 'product' as const, k: 5, cutoff: '2023-07-01' };
    const d = await chooseRecommender(engines.duck, options);
    expect(d).not.toBeNull();
    expect(d!.nEvaluated).toBeGreaterThan(20);
    expect(differences(d, await chooseRecommender(engines.clickhouse, options))).toEqual([]);
  });

  it('the whole step: rules, next-purchase rules, the evaluation and recommendations.csv byte for byte', async () => {
    const run = (warehouse: Warehouse, name: string) =>
      runPatternsStep(warehouse, { minSupport: 0.01, minConfidence: 0.2, evaluationCutoff: '2023-07-01', recommendationsCsv: join(dir, `${name}.csv`), topN: 5 });
    const d = await run(engines.duck, 'duckdb');
    expect(d.rules.length).toBeGreaterThan(0);
    expect(d.sequenceRules.length).toBeGreaterThan(0);
    expect(d.recommendations.lines).toBeGreaterThan(100);
    const c = await run(engines.clickhouse, 'clickhouse');
    const strip = (summary: typeof d) => ({ ...summary, recommendations: { ...summary.recommendations, csv: null } });
    expect(differences(strip(d), strip(c))).toEqual([]);
    expect(readFileSync(join(dir, 'clickhouse.csv'), 'utf8')).toBe(readFileSync(join(dir, 'duckdb.csv'), 'utf8'));
  });
});
