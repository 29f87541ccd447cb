import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { buildCustomerSummarySql } from '../../src/features/customer-summary.js';
import type { SegmentsSummary } from '../../src/pipeline/segments-summary.js';
import { runLifecycle } from '../../src/pipeline/run-lifecycle.js';
import { runSegments } from '../../src/pipeline/run-segments.js';
import { demoWarehouse } from '../helpers/demo-warehouse.js';

describe('segments, tiers, clusters and lifecycle stages on the demo data', () => {
  let warehouse: Warehouse;
  let summary: SegmentsSummary;
  beforeAll(async () => {
    warehouse = await demoWarehouse(); // the demo ingested as ingestFiles(warehouse, [DEMO_FILE]) does, once per run
    await warehouse.execute(`CREATE TABLE customer_summary AS ${buildCustomerSummarySql(warehouse.dialect, { asOf: '2011-12-09', timeUnit: 'week' })}`);
    const segments = await runSegments(warehouse, { asOf: '2011-12-09', grain: 'day', scoresTable: null, clusters: 'auto' });
    summary = { ...segments, ...(await runLifecycle(warehouse, { asOf: '2011-12-09', grain: 'day', scoresTable: null, validationFrom: '2011-09-10' })) };
  }, 300_000); // may wait for another file ingesting the shared demo warehouse
  afterAll(() => warehouse.close());

  it('every customer has exactly one segment, tier, cluster and stage (they partition the base)', async () => {
    const [n] = await warehouse.query('SELECT count(*) AS n FROM customer_summary');
    const customers = Number(n!.n);
    for (const [table, column] of [['customer_rfm', 'segment'], ['customer_value_tiers', 'value_tier'], ['customer_clusters', 'cluster'], ['customer_stages', 'stage']]) {
      const [row] = await warehouse.query(`SELECT count(*) AS n, count(DISTINCT customer_id) AS d, count(${column}) AS labelled FROM ${table}`);
      expect(Number(row!.n), table).toBe(customers);
      expect(Number(row!.d), table).toBe(customers);
      expect(Number(row!.labelled), table).toBe(customers);
    }
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    expect(sum(summary.rfm.segments.map((s) => s.customers))).toBe(customers);
    expect(sum(summary.valueTiers.tiers.map((t) => t.customers))).toBe(customers);
    expect(sum(summary.clusters.clusters.map((c) => c.customers))).toBe(customers);
    expect(sum(summary.stages.stages.map((s) => s.customers))).toBe(customers);
  });

  it('lifecycle stages separate future behaviour: holdout repurchase falls from active to at_risk to dormant to churned', () => {
    const rate = (stage: string) => summary.stageValidation!.stages.find((s) => s.stage === stage)!.repurchaseRate!;
    expect(rate('active')).toBeGreaterThan(rate('at_risk'));
    expect(rate('at_risk')).toBeGreaterThan(rate('dormant'));
    expect(rate('dormant')).toBeGreaterThan(rate('churned'));
  });

  it('tiers follow the 20 / 30 / 50 split and clusters come with a silhouette curve and plain-word descriptions', () => {
    const share = (name: string) => summary.valueTiers.tiers.find((t) => t.name === name)!.share;
    expect(share('high')).toBeCloseTo(0.2, 2);
    expect(share('medium')).toBeCloseTo(0.3, 2);
    expect(summary.clusters.k).toBeGreaterThanOrEqual(2);
    expect(summary.clusters.k).toBeLessThanOrEqual(10);
    expect(summary.clusters.silhouette).toBeGreaterThan(0.1);
    for (const c of summary.clusters.clusters) expect(c.description.length).toBeGreaterThan(3);
  });

  it('cohorts start at 100% retention in their first month', () => {
    expect(summary.cohorts.cohorts.length).toBeGreaterThan(10);
    for (const c of summary.cohorts.cohorts) expect(c.retention[0]).toBe(1);
  });
});

describe('KPIs per cut on the demo data', () => {
  it('overall and per segment, tier, cluster, stage and cohort; customers add up in every cut', async () => {
    const warehouse = await demoWarehouse(); // the demo ingested as ingestFiles(warehouse, [DEMO_FILE]) does, once per run
    await warehouse.execute(`CREATE TABLE customer_summary AS ${buildCustomerSummarySql(warehouse.dialect, { asOf: '2011-12-09', timeUnit: 'week' })}`);
    await runSegments(warehouse, { asOf: '2011-12-09', grain: 'day', scoresTable: null, clusters: 4 });
    const { kpis } = await runLifecycle(warehouse, { asOf: '2011-12-09', grain: 'day', scoresTable: null, validationFrom: null });
    expect(kpis.overall.customers).toBe(4334);
    for (const cut of [kpis.bySegment, kpis.byValueTier, kpis.byCluster, kpis.byStage, kpis.byCohort]) {
      expect(cut.reduce((sum, row) => sum + row.customers, 0)).toBe(kpis.overall.customers);
    }
    expect(kpis.byCohort[0]!.group).toBe('2010-12');
    const champions = kpis.bySegment.find((r) => r.group === 'Champions')!;
    expect(champions.retentionRate).toBeGreaterThan(kpis.overall.retentionRate);
    await warehouse.close();
  }, 300_000);
});
