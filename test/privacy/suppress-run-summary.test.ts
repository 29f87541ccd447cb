import { describe, expect, it } from 'vitest';
import type { Cohorts } from '../../src/features/cohorts.js';
import type { KpiRow } from '../../src/features/kpis.js';
import type { StageTransitions } from '../../src/lifecycle/compute-stage-transitions.js';
import { DEFAULT_LIFECYCLE_THRESHOLDS, LIFECYCLE_STAGES, type LifecycleStage } from '../../src/lifecycle/lifecycle-stage-rules.js';
import type { LifecycleValidation } from '../../src/lifecycle/validate-lifecycle-stages.js';
import { basketsFromArrays } from '../../src/models/patterns/baskets.js';
import type { PurchaseData } from '../../src/cross-sell/load-purchase-data.js';
import { ruleCustomerCounter, type GroupRules, type RuleRow } from '../../src/cross-sell/mine-rules.js';
import type { PatternSummary } from '../../src/cross-sell/patterns-step.js';
import type { ValueModelCard } from '../../src/pipeline/value-step.js';
import type { RunPrivacy } from '../../src/privacy/analysis-privacy.js';
import { suppressCohorts } from '../../src/privacy/suppress-cohorts.js';
import { suppressKpiRows } from '../../src/privacy/suppress-kpis.js';
import { suppressStageValidation } from '../../src/privacy/suppress-lifecycle.js';
import { suppressLinkedCells } from '../../src/privacy/suppress-linked-cells.js';
import type { Suppression } from '../../src/privacy/suppress.js';
import { suppressModelCard } from '../../src/privacy/suppress-model-card.js';
import { suppressRfmSegmentation } from '../../src/privacy/suppress-rfm.js';
import { impliedCount, isSmallPart, suppressRows, SuppressionTally } from '../../src/privacy/suppress-rows.js';
import { suppressAssociationRules, suppressGroupRules, suppressSequenceRules } from '../../src/privacy/suppress-rules.js';
import { suppressRunSummary } from '../../src/privacy/suppress-run-summary.js';
import { suppressStageTransitions } from '../../src/privacy/suppress-transitions.js';
import { withholdExtremes } from '../../src/privacy/suppress-extremes.js';
import type { RfmSegmentation, RfmSegmentSummary } from '../../src/segments/assign-rfm-segments.js';
import { DEFAULT_RFM_SEGMENT_RULES } from '../../src/segments/rfm-segment-rules.js';

const S = 'small-group';
const C = 'complementary';

/** Rows and columns of an r × c table flattened row by row. */
function margins(rows: number, cols: number): number[][] {
  return [
    ...Array.from({ length: rows }, (_, a) => Array.from({ length: cols }, (_, b) => a * cols + b)),
    ...Array.from({ length: cols }, (_, b) => Array.from({ length: rows }, (_, a) => a * cols + b)),
  ];
}

describe('suppressLinkedCells', () => {
  it('a 2 × 2 table with both margins published loses all four cells for one small cell', () => {
    expect(suppressLinkedCells([2, 10, 8, 9], { minGroupSize: 5, partitions: margins(2, 2) })).toEqual([S, C, C, C]);
  });

  it('a 3 × 3 table: the small cell, a partner in its row and its column, and one more to close the partners’ row and column', () => {
    // [[2, 10, 30], [8, 9, 40], [20, 30, 50]]: 2 is small; row 0 takes 10, column 0 takes 8, column 1 (10) takes 9; row 1 (8, 9) is then closed
    const marks = suppressLinkedCells([2, 10, 30, 8, 9, 40, 20, 30, 50], { minGroupSize: 5, partitions: margins(3, 3) });
    expect(marks).toEqual([S, C, null, C, C, null, null, null, null]);
  });

  it('keeps preset cells and protects them like small ones; 0 is shown and never a partner', () => {
    expect(suppressLinkedCells([0, 50, 7, 30], { minGroupSize: 5, preset: [null, C, null, null], partitions: [[0, 1, 2, 3]] })).toEqual([null, C, C, null]);
    // without a published sum only the small cells go
    expect(suppressLinkedCells([0, 3, 7, 30], { minGroupSize: 5 })).toEqual([null, S, null, null]);
  });
});

describe('suppressRows', () => {
  it('nulls count and measures of the small row and of its complementary partner, and counts them', () => {
    const tally = new SuppressionTally(5);
    const rows = suppressRows(
      [
        { name: 'A', customers: 2, revenue: 200, means: [1, 2] },
        { name: 'B', customers: 40, revenue: 4000, means: [3, 4] },
        { name: 'C', customers: 9, revenue: 900, means: [5, 6] },
        { name: 'D', customers: 0, revenue: 0, means: [0, 0] },
      ],
      { count: 'customers', measures: ['revenue', 'means'], minGroupSize: 5, tally: { tally, table: 't' } },
    );
    expect(rows).toEqual([
      { name: 'A', customers: null, revenue: null, means: [null, null], suppression: S },
      { name: 'B', customers: 40, revenue: 4000, means: [3, 4], suppression: null },
      { name: 'C', customers: null, revenue: null, means: [null, null], suppression: C },
      { name: 'D', customers: 0, revenue: 0, means: [0, 0], suppression: null },
    ]);
    expect(tally.summary()).toEqual({ minGroupSize: 5, smallGroups: 1, complementary: 1, values: 0, rulesWithheld: 0, tables: { t: 2 } });
  });

  it('sub-counts: a part of 1…k−1 and a rest of 1…k−1 are both small', () => {
    expect([isSmallPart(3, 40, 5), isSmallPart(38, 40, 5), isSmallPart(20, 40, 5), isSmallPart(0, 40, 5), isSmallPart(40, 40, 5)]).toEqual([true, true, false, false, false]);
    expect(impliedCount(0.075, 40)).toBe(3);
    expect(impliedCount(Number.NaN, 40)).toBeNull();
  });

  it('withholds the lowest and highest end of all ranges, keeping inner ends', () => {
    expect(withholdExtremes([[1, 4], [5, 9], [10, 2500]])).toEqual([[null, 4], [5, 9], [10, null]]);
    // the top range is suppressed: the highest end shown is not everyone's highest and stays
    expect(withholdExtremes([[1, 4], [5, 9], null], [[1, 4], [5, 9], [10, 2500]])).toEqual([[null, 4], [5, 9], null]);
  });
});

describe('suppressModelCard', () => {
  const card = (actual: number[]): ValueModelCard => {
    const labels = actual.map((_, i) => (i === actual.length - 1 ? `${i}+` : String(i)));
    return {
      diagnostics: {
        calibrationHistogram: { labels, actual, expected: actual.map((a) => a + 0.5) },
        conditionalExpectation: { labels, customers: actual, actual: actual.map((_, i) => i / 10), expected: actual.map((_, i) => i / 8) },
        tracking: { periodLabels: [], periodEnds: [], actualIncremental: [], expectedIncremental: [], actualCumulative: [], expectedCumulative: [], calibrationEndIndex: 0 },
        frequencyRecency: { T: 1, frequency: [], recency: [], probabilityAlive: [], expectedPurchases: [], horizon: 1 },
      },
    } as unknown as ValueModelCard;
  };

  it('two small tail bins cover k together: no partner; the same bins go in the conditional expectation; the model’s expected counts stay', () => {
    const out = suppressModelCard(card([1411, 439, 214, 100, 62, 38, 3, 2]), 5);
    const h = out.diagnostics.calibrationHistogram;
    expect(h.actual).toEqual([1411, 439, 214, 100, 62, 38, null, null]);
    expect(h.suppression).toEqual([null, null, null, null, null, null, S, S]);
    expect(h.expected).toEqual([1411.5, 439.5, 214.5, 100.5, 62.5, 38.5, 3.5, 2.5]);
    const ce = out.diagnostics.conditionalExpectation;
    expect(ce.customers).toEqual([1411, 439, 214, 100, 62, 38, null, null]);
    expect(ce.actual).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, null, null]);
    expect(ce.expected.slice(6)).toEqual([null, null]);
  });

  it('one small bin takes the smallest other bin with it (the bins add up to the calibration customers)', () => {
    const out = suppressModelCard(card([100, 50, 3, 40]), 5);
    expect(out.diagnostics.calibrationHistogram.actual).toEqual([100, 50, null, null]);
    expect(out.diagnostics.calibrationHistogram.suppression).toEqual([null, null, S, C]);
  });
});

describe('suppressRfmSegmentation', () => {
  // R × FM grid (rows R = 1…5); one small cell: R 1, FM 3 (3 customers, in “At risk”)
  const grid = [
    [50, 40, 3, 20, 10],
    [30, 30, 25, 25, 10],
    [20, 20, 20, 20, 20],
    [20, 20, 20, 20, 20],
    [20, 20, 20, 20, 20],
  ];
  const segment = (name: string, customers: number): RfmSegmentSummary => ({
    name,
    description: '',
    action: '',
    customers,
    share: customers / 600,
    revenue: 100 * customers,
    revenueShare: customers / 600,
    historicValue: 100 * customers,
    predictedValue: null,
    predictedValueShare: null,
    meanRecencyDays: 10,
    meanFrequency: 2,
    meanMonetary: 100,
  });
  const inRule = (rule: (typeof DEFAULT_RFM_SEGMENT_RULES)[number], r: number, fm: number) => r >= rule.r[0] && r <= rule.r[1] && fm >= rule.fm[0] && fm <= rule.fm[1];
  const rfm: RfmSegmentation = {
    asOf: '2024-01-01',
    table: 'customer_rfm',
    method: '',
    monetary: 'total',
    customers: 600,
    revenue: 60000,
    predictedValue: null,
    segments: DEFAULT_RFM_SEGMENT_RULES.map((rule) => segment(rule.segment, grid.flatMap((row, r) => row.filter((_, fm) => inRule(rule, r + 1, fm + 1))).reduce((a, b) => a + b, 0))),
    scoreBands: [1, 2, 3, 4, 5].map((score) => ({
      score,
      recencyDays: [score * 10, score * 10 + 9] as const,
      frequency: [score, score] as const,
      monetary: [score * 100, score * 100 + 99] as const,
      customersR: grid[score - 1]!.reduce((a, b) => a + b, 0),
      customersF: score === 5 ? 3 : 120,
      customersM: 120,
    })),
    grid,
    rules: DEFAULT_RFM_SEGMENT_RULES,
  };

  it('withholds the small cell and, to a fixed point, partners in its R row and in every segment that holds a withheld cell', () => {
    const out = suppressRfmSegmentation(rfm, 5);
    // the whole grid takes the smallest cell (R1 FM5, 10); “At risk” (R1–2 × FM3–4) takes R1 FM4 (20);
    // “Can't lose them” (R1–2 × FM5) takes R2 FM5 (10); then row R2 takes its smallest, R2 FM3 (25)
    expect(out.gridSuppression[0]).toEqual([null, null, S, C, C]);
    expect(out.gridSuppression[1]).toEqual([null, null, C, null, C]);
    expect(out.grid[0]).toEqual([50, 40, null, null, null]);
    expect(out.grid[1]).toEqual([30, 30, null, 25, null]);
    expect(out.grid.slice(2)).toEqual(grid.slice(2));
    // no segment is small: all shown
    expect(out.segments.every((s) => s.suppression === null)).toBe(true);
    expect(out.segments.find((s) => s.name === 'At risk')!.customers).toBe(3 + 20 + 25 + 25);
  });

  it('score bands: the F band of 3 customers and a partner are withheld; the lowest and highest values of everyone are withheld', () => {
    const out = suppressRfmSegmentation(rfm, 5);
    // the partner: the smallest other band, the first of the equal ones
    expect(out.scoreBands.map((b) => b.customersF)).toEqual([null, 120, 120, 120, null]);
    expect(out.scoreBands.map((b) => b.suppression.frequency)).toEqual([C, null, null, null, S]);
    expect(out.scoreBands.map((b) => b.frequency)).toEqual([null, [2, 2], [3, 3], [4, 4], null]);
    expect(out.scoreBands.map((b) => b.recencyDays)).toEqual([[null, 19], [20, 29], [30, 39], [40, 49], [50, null]]);
    expect(out.scoreBands.map((b) => b.customersR)).toEqual([123, 120, 100, 100, 100]);
  });
});

describe('suppressCohorts', () => {
  const cohorts: Cohorts = {
    asOf: '2024-05-31',
    period: 'month',
    lastPeriodPartial: false,
    cohorts: [
      // 40 customers: month 2 has 3 buyers, month 3 all but 2, month 4 only returns (−20)
      { label: '2024-01', start: '2024-01-01', customers: 40, retention: [1, 0.3, 0.075, 0.95, 0], activeCustomers: [40, 12, 3, 38, 0], revenue: [400, 120, 30, 380, -20], cumulativeValuePerCustomer: [10, 13, 13.75, 23.25, 22.75] },
      { label: '2024-02', start: '2024-02-01', customers: 3, retention: [1, 0, 0, 0, null], activeCustomers: [3, 0, 0, 0, null], revenue: [30, 0, 0, 0, null], cumulativeValuePerCustomer: [10, 10, 10, 10, null] },
      { label: '2024-03', start: '2024-03-01', customers: 12, retention: [1, 0.5, 0.5, null, null], activeCustomers: [12, 6, 6, null, null], revenue: [120, 60, 60, null, null], cumulativeValuePerCustomer: [10, 15, 20, null, null] },
    ],
    tenure: {
      referenceDay: '2024-03-02',
      windowDays: 90,
      buckets: [
        { label: '0–89 days', minDays: 0, maxDays: 90, customers: 50, spendPerCustomer: 2, repurchaseRate: 0.06, churnRate: 0.94 },
        { label: '90–179 days', minDays: 90, maxDays: 180, customers: 30, spendPerCustomer: 40, repurchaseRate: 0.9, churnRate: 0.1 },
        { label: '180–364 days', minDays: 180, maxDays: 365, customers: 4, spendPerCustomer: 10, repurchaseRate: 0.5, churnRate: 0.5 },
        { label: '365+ days', minDays: 365, maxDays: null, customers: 20, spendPerCustomer: 30, repurchaseRate: 0.5, churnRate: 0.5 },
      ],
    },
  };

  it('a cohort of 3 is withheld with the smallest other cohort; months with few buyers or few non-buyers lose their numbers', () => {
    const tally = new SuppressionTally(5);
    const out = suppressCohorts(cohorts, 5, tally);
    expect(out.cohorts.map((c) => [c.customers, c.suppression])).toEqual([[40, null], [null, S], [null, C]]);
    expect(out.cohorts[2]!.retention).toEqual([null, null, null, null, null]);
    const c = out.cohorts[0]!;
    expect(c.activeCustomers).toEqual([40, 12, null, null, 0]);
    expect(c.retention).toEqual([1, 0.3, null, null, 0]);
    // 3 buyers: their revenue goes; 38 buyers keep theirs; returns without a buyer go
    expect(c.revenue).toEqual([400, 120, null, 380, null]);
    // differences of the cumulative value give a month's revenue: null from the first withheld one
    expect(c.cumulativeValuePerCustomer).toEqual([10, 13, null, null, null]);
    expect(c.periodSuppression).toEqual([null, null, S, S, S]);
    expect(tally.summary()).toMatchObject({ smallGroups: 2, complementary: 2, tables: { 'segments.cohorts.cohorts': 2, 'segments.cohorts.tenure.buckets': 2 } });
  });

  it('tenure buckets: a bucket of 4 and a partner go; 3 buyers hide rates and spend, 3 non-buyers the rates', () => {
    const out = suppressCohorts(cohorts, 5);
    expect(out.tenure.buckets.map((b) => [b.customers, b.suppression])).toEqual([[50, null], [30, null], [null, S], [null, C]]);
    expect(out.tenure.buckets[0]).toMatchObject({ repurchaseRate: null, churnRate: null, spendPerCustomer: null, withheld: ['repurchaseRate', 'churnRate', 'spendPerCustomer'] });
    expect(out.tenure.buckets[1]).toMatchObject({ repurchaseRate: null, churnRate: null, spendPerCustomer: 40, withheld: ['repurchaseRate', 'churnRate'] });
  });
});

describe('suppressStageValidation and suppressKpiRows', () => {
  it('a stage of 3 goes with a partner; 2 repurchasers hide count, rate and holdout means; 2 non-repurchasers hide count and rate', () => {
    const stage = (name: LifecycleStage, customers: number, repurchasers: number) => ({ stage: name, customers, repurchasers, repurchaseRate: repurchasers / customers, meanHoldoutSpend: 12, meanHoldoutOccasions: 0.5 });
    const validation = { stages: [stage('new', 40, 2), stage('active', 30, 28), stage('at_risk', 3, 1), stage('dormant', 50, 25)] } as unknown as LifecycleValidation;
    const out = suppressStageValidation(validation, 5).stages;
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
    expect(suppressKpiRows(rows, 5).map((r) => r.suppression)).toEqual([null, null, C, S]);
    // the segments table suppressed E with B: the KPIs do the same, and D is shown
    const out = suppressKpiRows(rows, 5, { mirror: new Map<string, Suppression>([['E', S], ['B', C]]) });
    expect(out.map((r) => r.suppression)).toEqual([null, C, null, S]);
    // D: 3 active customers and 4 repeat buyers (0.5 × 8) describe fewer than 5
    expect(out[2]).toMatchObject({ customers: 8, activeCustomers: null, retentionRate: null, simpleClv: null, repurchaseRate: null, averageOrderValue: 50 });
    expect(out[2]!.withheld).toEqual(['activeCustomers', 'retentionRate', 'churnRate', 'averageLifespanYears', 'simpleClv', 'clvToCac', 'repurchaseRate']);
  });
});

describe('suppressStageTransitions', () => {
  const counts = (values: Partial<Record<LifecycleStage, number>>) => Object.fromEntries(LIFECYCLE_STAGES.map((s) => [s, values[s] ?? 0])) as Record<LifecycleStage, number>;
  const from = ['none', ...LIFECYCLE_STAGES] as const;
  const flows = [
    { from: 'none', to: 'new', customers: 10 },
    { from: 'new', to: 'active', customers: 17 },
    { from: 'new', to: 'at_risk', customers: 3 },
    { from: 'active', to: 'active', customers: 30 },
    { from: 'dormant', to: 'dormant', customers: 40 },
  ] as const;
  const matrix = from.map((a) => LIFECYCLE_STAGES.map((b): number => flows.find((f) => f.from === a && f.to === b)?.customers ?? 0));
  const transitions: StageTransitions = {
    period: 'month',
    thresholds: DEFAULT_LIFECYCLE_THRESHOLDS,
    snapshots: [
      { label: '2024-01', day: '2024-01-31', partial: false, populationGapDays: 30, counts: counts({ new: 20, active: 30, dormant: 40 }) },
      { label: '2024-02', day: '2024-02-29', partial: false, populationGapDays: 30, counts: counts({ new: 10, active: 47, at_risk: 3, dormant: 40 }) },
    ],
    matrix: { from, to: LIFECYCLE_STAGES, counts: matrix, rates: matrix.map((row) => row.map((c) => (row.some((x) => x > 0) ? c / row.reduce((x, y) => x + y, 0) : null))) },
    steps: [{ fromLabel: '2024-01-31', toLabel: '2024-02-29', flows }],
    series: { periodLabels: ['2024-01', '2024-02'], new: [20, 10], returning: [0, 3], reactivated: [0, 0], lapsed: [0, 0], dormant: [40, 40], churned: [0, 0] },
  };

  it('snapshots, matrix, flows and series withhold the 3 at-risk customers and what would reveal them, and nothing else', () => {
    const out = suppressStageTransitions(transitions, 5);
    // February: at_risk 3 and the smallest other stage (new, 10)
    expect(out.snapshots[1]!.counts).toEqual({ ...counts({ active: 47, dormant: 40 }), new: null, at_risk: null });
    expect(out.snapshots[1]!.suppression.at_risk).toBe(S);
    expect(out.snapshots[1]!.suppression.new).toBe(C);
    expect(out.snapshots[0]!.counts).toEqual(counts({ new: 20, active: 30, dormant: 40 }));
    // matrix: new → at_risk (3), its row partner new → active (17), that column's partner active → active (30)
    const cell = (a: string, b: string) => out.matrix.counts[from.indexOf(a as (typeof from)[number])]![LIFECYCLE_STAGES.indexOf(b as LifecycleStage)];
    expect([cell('none', 'new'), cell('new', 'active'), cell('new', 'at_risk'), cell('active', 'active'), cell('dormant', 'dormant')]).toEqual([10, null, null, null, 40]);
    expect(out.matrix.rates[from.indexOf('dormant')]![LIFECYCLE_STAGES.indexOf('dormant')]).toBe(1);
    // the month's flows: the new column is withheld in February (none → new), and the rest as in the matrix
    expect(out.steps[0]!.flows.map((f) => [f.customers, f.suppression])).toEqual([[null, C], [null, C], [null, S], [null, C], [40, null]]);
    // series, February: returning 3 is small (reactivated, 0, cannot be its partner); new is the cohort's, shown here
    expect(out.series.returning).toEqual([0, null]);
    expect(out.series.new).toEqual([20, 10]);
    expect(out.series.dormant).toEqual([40, 40]);
    expect(out.series.suppression.returning).toEqual([null, S]);
  });

  it('a month whose cohort is withheld withholds its new customers in the series and its flows from none', () => {
    // no small group in the transitions themselves: 8 at risk instead of 3
    const calm: StageTransitions = {
      ...transitions,
      snapshots: [transitions.snapshots[0]!, { ...transitions.snapshots[1]!, counts: { ...transitions.snapshots[1]!.counts, at_risk: 8 } }],
      matrix: { ...transitions.matrix, counts: transitions.matrix.counts.map((row) => row.map((c) => (c === 3 ? 8 : c))) },
      steps: [{ ...transitions.steps[0]!, flows: flows.map((f) => (f.customers === 3 ? { ...f, customers: 8 } : f)) }],
      series: { ...transitions.series, returning: [0, 8] },
    };
    const shown = suppressStageTransitions(calm, 5);
    expect(shown.steps[0]!.flows.every((f) => f.suppression === null)).toBe(true);
    expect(shown.series.new).toEqual([20, 10]);
    const out = suppressStageTransitions(calm, 5, undefined, { cohorts: new Map<string, Suppression>([['2024-01', null], ['2024-02', C]]) });
    expect(out.series.new).toEqual([20, null]);
    expect(out.series.suppression.new).toEqual([null, C]);
    expect(out.steps[0]!.flows.map((f) => f.suppression)).toEqual([C, null, null, null, null]);
  });
});

describe('rules', () => {
  const rule = (count: number, customers: number) => ({ count, customers, antecedent: ['x'] }) as unknown as RuleRow;

  it('association rules go by customers, not baskets; next-purchase rules by their count of customers', () => {
    const rules = [rule(12, 1), rule(6, 6), rule(4, 4)];
    expect(suppressAssociationRules(rules, 5)).toEqual({ rules: [rules[1]], withheld: 2 });
    expect(suppressAssociationRules(rules, 4)).toEqual({ rules: [rules[1], rules[2]], withheld: 1 });
    expect(suppressSequenceRules([{ count: 5 }, { count: 4 }], 5)).toEqual({ rules: [{ count: 5 }], withheld: 1 });
  });

  it('rules per group: a group of 1 shows nothing, its partner hides its size but keeps its rules', () => {
    const groups: GroupRules[] = [
      { group: 'UK', customers: 1, baskets: 60, rules: [rule(60, 1)] },
      { group: 'FR', customers: 6, baskets: 60, rules: [rule(60, 6), rule(10, 1)] },
      { group: 'DE', customers: 7, baskets: 56, rules: [rule(56, 7)] },
    ];
    const out = suppressGroupRules(groups, 5);
    expect(out.map((g) => [g.group, g.customers, g.baskets, g.suppression, g.rules.length, g.withheld])).toEqual([
      ['UK', null, null, S, 0, 1],
      ['FR', null, null, C, 1, 1],
      ['DE', 7, 56, null, 1, 0],
    ]);
  });

  it('counts the distinct customers behind a rule: 3 baskets of 2 customers are 2', () => {
    const baskets = basketsFromArrays([[0, 1], [0, 1], [0, 1], [1, 2]]);
    const data = { baskets, basketCustomer: Uint32Array.from([0, 0, 1, 2]) } as unknown as PurchaseData;
    const customersOf = ruleCustomerCounter(data);
    expect(customersOf([0, 1])).toBe(2);
    expect(customersOf([1])).toBe(3);
    expect(customersOf([1, 2])).toBe(1);
    expect(customersOf([0, 2])).toBe(0);
  });
});

describe('suppressRunSummary', () => {
  it('passes everything else through, does not change its input and says what it withheld in privacy.suppressed', () => {
    const patterns = { rules: [rule(20, 20), rule(9, 2)], sequenceRules: [{ count: 3 }, { count: 8 }] } as unknown as PatternSummary;
    const privacy = { minGroupSize: 5, notes: [] } as unknown as RunPrivacy;
    const summary = { headline: { customers: 123 }, valueModel: null, segments: null, patterns, privacy };
    const before = JSON.stringify(summary);
    const out = suppressRunSummary(summary, 5);
    expect(JSON.stringify(summary)).toBe(before);
    expect(out.headline).toBe(summary.headline);
    expect(out.patterns!.rules).toEqual([patterns.rules[0]]);
    expect(out.patterns!.sequenceRules).toEqual([{ count: 8 }]);
    expect(out.privacy.suppressed).toEqual({ minGroupSize: 5, smallGroups: 0, complementary: 0, values: 0, rulesWithheld: 2, tables: { 'patterns.rules': 1, 'patterns.sequenceRules': 1 } });
  });

  function rule(count: number, customers: number): RuleRow {
    return { count, customers } as unknown as RuleRow;
  }
});
