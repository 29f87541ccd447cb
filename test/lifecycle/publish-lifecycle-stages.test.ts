import { describe, expect, it } from 'vitest';
import type { KpiRow } from '../../src/features/kpis.js';
import { type LifecycleStage } from '../../src/lifecycle/lifecycle-stage-rules.js';
import type { LifecycleValidation } from '../../src/lifecycle/validate-lifecycle-stages.js';
import { publishKpis } from '../../src/features/publish-kpis.js';
import { publishStageValidation } from '../../src/lifecycle/publish-lifecycle-stages.js';
import type { Suppression } from '../../src/privacy/disclosure/suppress-linked-cells.js';

const S = 'small-group';
const C = 'complementary';

describe('publishStageValidation and publishKpis', () => {
  it('a stage of 3 goes with a partner; 2 repurchasers hide count, rate and holdout means; 2 non-repurchasers hide count and rate', () => {
    const stage = (name: LifecycleStage, customers: number, repurchasers: number) => ({ stage: name, customers, repurchasers, repurchaseRate: repurchasers / customers, meanHoldoutSpend: 12, meanHoldoutOccasions: 0.5 });
    const validation = { stages: [stage('new', 40, 2), stage('active', 30, 28), stage('at_risk', 3, 1), stage('dormant', 50, 25)] } as unknown as LifecycleValidation;
    const out = publishStageValidation(validation, 5).stages;
    expect(out.map((s) => [s.customers, s.suppression])).toEqual([[40, null], [null, C], [null, S], [50, null]]);
    expect(out[0]).toMatchObject({ repurchasers: null, repurchaseRate: null, meanHoldoutSpend: null, meanHoldoutOccasions: null });
    expect(out[3]).toMatchObject({ repurchasers: 25, repurchaseRate: 0.5, meanHoldoutSpend: 12, withheld: [] });
  });

  it('KPI groups follow the mirror table, so the mirror’s partner stays the partner', () => {
    const row = (group: string, customers: number, activeCustomers: number, repurchaseRate: number): KpiRow => ({
      group, customers, activeCustomers, retentionRate: 0.5, churnRate: 0.5, repurchaseRate, averageOrderValue: 50, purchaseFrequencyPerYear: 2,
      averageLifespanYears: 2, historicClv: 100, simpleClv: 200, acquisitionCost: Number.NaN, profitabilityRatio: 1, clvToCac: Number.NaN,
    });
    const rows = [row('A', 100, 50, 0.5), row('B', 50, 25, 0.5), row('D', 8, 3, 0.5), row('E', 3, 1, 0)];
    // alone: E is small and takes D (8), the smallest other group
    expect(publishKpis(rows, 5).map((r) => r.suppression)).toEqual([null, null, C, S]);
    // the segments table suppressed E with B: the KPIs do the same, and D is shown
    const out = publishKpis(rows, 5, { mirror: new Map<string, Suppression>([['E', S], ['B', C]]) });
    expect(out.map((r) => r.suppression)).toEqual([null, C, null, S]);
    // D: 3 active customers and 4 repeat buyers (0.5 × 8) describe fewer than 5
    expect(out[2]).toMatchObject({ customers: 8, activeCustomers: null, retentionRate: null, simpleClv: null, repurchaseRate: null, averageOrderValue: 50 });
    expect(out[2]!.withheld).toEqual(['activeCustomers', 'retentionRate', 'churnRate', 'averageLifespanYears', 'simpleClv', 'clvToCac', 'repurchaseRate']);
  });
});
