import { describe, expect, it } from 'vitest';
import type { StageTransitions } from '../../src/lifecycle/compute-stage-transitions.js';
import { DEFAULT_LIFECYCLE_THRESHOLDS, LIFECYCLE_STAGES, type LifecycleStage } from '../../src/lifecycle/lifecycle-stage-rules.js';
import type { Suppression } from '../../src/privacy/disclosure/suppress-linked-cells.js';
import { lifecycleSeriesOf } from '../../src/lifecycle/lifecycle-series.js';
import { publishStageTransitions } from '../../src/lifecycle/publish-stage-transitions.js';
import { loadLinearProgramSolver } from '../../src/privacy/disclosure/hiding-set.js';

const solve = await loadLinearProgramSolver();

const S = 'small-group';
const C = 'complementary';

describe('publishStageTransitions', () => {
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
  const snapshots = [
    { label: '2024-01', day: '2024-01-31', partial: false, populationGapDays: 30, counts: counts({ new: 20, active: 30, dormant: 40 }) },
    { label: '2024-02', day: '2024-02-29', partial: false, populationGapDays: 30, counts: counts({ new: 10, active: 47, at_risk: 3, dormant: 40 }) },
  ];
  const transitions: StageTransitions = {
    period: 'month',
    thresholds: DEFAULT_LIFECYCLE_THRESHOLDS,
    snapshots,
    matrix: { from, to: LIFECYCLE_STAGES, counts: matrix, rates: matrix.map((row) => row.map((c) => (row.some((x) => x > 0) ? c / row.reduce((x, y) => x + y, 0) : null))) },
    steps: [{ fromLabel: '2024-01-31', toLabel: '2024-02-29', flows }],
    series: lifecycleSeriesOf(snapshots),
  };

  it('snapshots, matrix, flows and series withhold the 3 at-risk customers and what would reveal them, and nothing else', () => {
    const out = publishStageTransitions(transitions, 5, undefined, { solve });
    // February: at_risk 3 and the smallest other stage (new, 10); with two months the matrix's new column is February's
    // new and its row January's (column − row = February − January): January's new (20) goes too, then its partner in
    // January (active, 30), then February's active (47) — so neither month's counts leave one withheld in any sum
    expect(out.snapshots[1]!.counts).toEqual({ ...counts({ dormant: 40 }), new: null, active: null, at_risk: null });
    expect(out.snapshots[1]!.suppression.at_risk).toBe(S);
    expect(out.snapshots[1]!.suppression.new).toBe(C);
    expect(out.snapshots[0]!.counts).toEqual({ ...counts({ dormant: 40 }), new: null, active: null });
    // matrix: new → at_risk (3), its row partner new → active (17), that column's partner active → active (30); and
    // none → new (10), the whole of the new column, which was February's withheld new
    const cell = (a: string, b: string) => out.matrix.counts[from.indexOf(a as (typeof from)[number])]![LIFECYCLE_STAGES.indexOf(b as LifecycleStage)];
    expect([cell('none', 'new'), cell('new', 'active'), cell('new', 'at_risk'), cell('active', 'active'), cell('dormant', 'dormant')]).toEqual([null, null, null, null, 40]);
    expect(out.matrix.rates[from.indexOf('dormant')]![LIFECYCLE_STAGES.indexOf('dormant')]).toBe(1);
    // the month's flows: the new column is withheld in February (none → new), and the rest as in the matrix
    expect(out.steps[0]!.flows.map((f) => [f.customers, f.suppression])).toEqual([[null, C], [null, C], [null, S], [null, C], [40, null]]);
    // series: the snapshots' counts of the buyers' stages with their decisions
    expect(out.series.measure).toBe('customers-at-period-end');
    expect(out.series.counts).toEqual({ new: [null, null], active: [null, null], reactivated: [0, 0], at_risk: [0, null], dormant: [40, 40], churned: [0, 0] });
    expect(out.series.suppression.at_risk).toEqual([null, S]);
    expect(out.series.suppression.new).toEqual([C, C]);
  });

  it("a small buyers' stage whose only partner is the prospects takes a buyers' stage too: the buyers add up to the customers acquired (the cohorts)", () => {
    // prospects 6 are the smallest other stage of the base; without a second buyers' stage withheld, acquired − shown stages = new
    const withProspects = [{ ...snapshots[0]!, counts: counts({ prospect: 6, new: 3, active: 50, dormant: 40 }) }];
    const out = publishStageTransitions({ ...transitions, snapshots: withProspects, steps: [], series: lifecycleSeriesOf(withProspects) }, 5, undefined, { solve });
    expect(out.snapshots[0]!.suppression).toMatchObject({ prospect: C, new: S, dormant: C, active: null });
    expect(out.series.counts).toMatchObject({ new: [null], active: [50], dormant: [null] });
  });

  it('a month whose cohort is withheld withholds its flows from none', () => {
    // no small group in the transitions themselves: 8 at risk instead of 3
    const calm: StageTransitions = {
      ...transitions,
      snapshots: [transitions.snapshots[0]!, { ...transitions.snapshots[1]!, counts: { ...transitions.snapshots[1]!.counts, at_risk: 8 } }],
      matrix: { ...transitions.matrix, counts: transitions.matrix.counts.map((row) => row.map((c) => (c === 3 ? 8 : c))) },
      steps: [{ ...transitions.steps[0]!, flows: flows.map((f) => (f.customers === 3 ? { ...f, customers: 8 } : f)) }],
    };
    const shown = publishStageTransitions(calm, 5, undefined, { solve });
    expect(shown.steps[0]!.flows.every((f) => f.suppression === null)).toBe(true);
    // February's cohort withheld for its size (its partner in the cohort table: January's)
    const out = publishStageTransitions(calm, 5, undefined, { solve, cohorts: new Map<string, Suppression>([['2024-01', C], ['2024-02', S]]) });
    // none → new (10) is the month's cohort, and the only flow into new: February's new (10) and the matrix cell none →
    // new gave it back while they showed (session 36), so they are withheld, and flows of new's and active's rows with them
    // (new → at_risk, 8, shows since session 37: with the months' buyers and the cohorts as sums of their own, a reader
    // works nothing out of it that the others leave open)
    expect(out.steps[0]!.flows.map((f) => f.suppression)).toEqual([C, C, null, C, null]);
    expect(out.snapshots[1]!.counts.new).toBeNull();
    // a cohort withheld as a partner in the cohort table needs none here: what a reader works out of it protects nothing
    // the transitions hold (its small cohort is looked at as a cell of its own), so February's flows show
    const partnerOnly = publishStageTransitions(calm, 5, undefined, { solve, cohorts: new Map<string, Suppression>([['2024-01', null], ['2024-02', C]]) });
    expect(partnerOnly.steps[0]!.flows.map((f) => f.suppression)).toEqual([null, null, null, null, null]);
  });
});
