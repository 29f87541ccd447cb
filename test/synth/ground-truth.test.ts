// The whole chain recovers a known truth: clvkit synth → ingest → summary (SQL) → BG/NBD fit, FP-growth and PrefixSpan.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { loadPurchaseData } from '../../src/cross-sell/load-purchase-data.js';
import { buildCompressedSummarySql, buildCustomerSummarySql } from '../../src/features/customer-summary.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import type { IngestReport } from '../../src/ingest/ingest-report.js';
import { fitBgNbd } from '../../src/models/bgnbd/bgnbd.js';
import { withPositiveAge } from '../../src/models/compress-rfm.js';
import { mineRules } from '../../src/cross-sell/mine-rules.js';
import { mineSequenceRules } from '../../src/cross-sell/mine-sequence-rules.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import type { ShopTruth } from '../../src/synth/shop-truth.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

describe('ground truth: a synthetic shop of 8,000 customers', () => {
  let warehouse: Warehouse;
  let truth: ShopTruth;
  let report: IngestReport;
  beforeAll(async () => {
    const dir = scratchDir();
    truth = await generateShop({ outDir: dir, customers: 8000, seed: 2026, events: false });
    warehouse = await memoryWarehouse();
    report = await ingestFiles(warehouse, [join(dir, 'transactions.csv')], { now: new Date('2030-01-01T00:00:00Z') });
  }, 120_000);
  afterAll(() => warehouse.close());

  it('quarantines exactly the planted dirt', () => {
    expect(report.rules.duplicate).toBe(truth.dirt.quarantine.duplicate);
    expect(report.rules.missing_customer_id).toBe(truth.dirt.quarantine.missing_customer_id);
    expect(report.rules.non_product).toBe(truth.dirt.quarantine.non_product);
    expect(report.returns).toBe(truth.dirt.returns.rows);
    expect(report.accepted + report.quarantined).toBe(report.rowsRead);
  });

  it('recovers the BG/NBD parameters the purchases were drawn from (inside their 95% intervals)', async () => {
    const lastDay = new Date(Date.parse(`${truth.window.end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const summary = buildCustomerSummarySql(warehouse.dialect, { asOf: lastDay, timeUnit: 'week' });
    const tuples = await warehouse.queryColumns(buildCompressedSummarySql(summary));
    const data = withPositiveAge({
      frequency: tuples.columns.frequency as Float64Array,
      recency: tuples.columns.recency as Float64Array,
      T: tuples.columns.T as Float64Array,
      weight: tuples.columns.weight as Float64Array,
    });
    const fitted = fitBgNbd(data);
    expect(fitted.fit.converged).toBe(true);
    const params = truth.purchaseModel!.params as Record<string, number>;
    for (const name of ['r', 'alpha', 'a', 'b']) {
      const [low, high] = fitted.intervals95[name as 'r']!;
      expect(params[name], `${name}: fitted ${fitted.params[name as 'r']} [${low}, ${high}]`).toBeGreaterThanOrEqual(low);
      expect(params[name]).toBeLessThanOrEqual(high);
    }
  }, 60_000);

  it('finds the planted association rules with about their planted confidence', async () => {
    const data = await loadPurchaseData(warehouse);
    const { rules } = mineRules(data, { minSupport: 0.002, minConfidence: 0.2, maxLength: 2, topRules: 10_000 });
    for (const planted of truth.associationRules) {
      const found = rules.find((r) => r.antecedent.length === 1 && r.antecedent[0] === planted.ifProductId && r.consequent[0] === planted.thenProductId);
      expect(found, `${planted.ifProductId} ⇒ ${planted.thenProductId}`).toBeDefined();
      expect(found!.confidence).toBeGreaterThan(planted.confidence - 0.1);
      expect(found!.lift).toBeGreaterThan(3);
    }
  });

  it('finds the planted purchase sequences', async () => {
    const data = await loadPurchaseData(warehouse);
    const rules = mineSequenceRules(data, { sequenceMinSupport: 0.003, maxLength: 2, topRules: 10_000 });
    for (const planted of truth.sequences) {
      const found = rules.find((r) => r.after.length === 1 && r.after[0]!.length === 1 && r.after[0]![0] === planted.firstProductId && r.next.length === 1 && r.next[0] === planted.thenProductId);
      expect(found, `${planted.firstProductId} → ${planted.thenProductId}`).toBeDefined();
      expect(found!.lift).toBeGreaterThan(2);
    }
  });
});
