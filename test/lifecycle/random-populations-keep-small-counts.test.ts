/**
 * A property of `publishStageTransitions` over random small populations (2–5 months, 10–70 customers, k of 3, 5 or
 * 10, seeded): a reader who combines every sum of the transitions and the stages now (`recoverBySubtraction`, linear
 * algebra over them) recovers no withheld count below k — but the prospects' (a flow between two shown prospect counts
 * is shown by design, and the prospects now are a published total: a prospect matrix cell equal to them is withheld
 * though it hides nothing, docs/privacy.md). Until session 38 this ran outside the repository with a generator that
 * repeated (about 210–240 distinct cases in 300). With the hiding sets taken out (a cell no single partner hides given
 * away) it fails on all three seeds — counts of 2 recovered in the first few populations. The rarer leak the review's
 * fuzz found (a flow below k through the rate of a matrix cell given away: 3 cases in 1,200) it does not meet in these
 * 180 populations, nor in 2,400 of seeds 1–40: given-away-cell-gives-no-row-total.test.ts holds that case.
 *
 * A second generator (session 40) draws populations like that case's: two or three months of sign-ups, some prospects
 * at first, most of whom buy the month after. It does not meet that leak either (none in 1,760 populations of seeds
 * 1–12 with its fix taken out), but its populations found a matrix cell below k (`none → new` = 4 at k = 5) that
 * the matrix's rules had taken as a partner — marked complementary, so never hidden from the reader: 2 in 1,000
 * populations (seeds 1–5) before `suppressLinkedCells` marked a preset cell below k `small-group`, none after
 * (small-matrix-cell-taken-as-partner-stays-hidden.test.ts holds the case). A population whose customer base is below
 * k is drawn again: the base is a published total, and every count equal to it is given with it.
 *
 * With the cohort table (session 42): the segments step gives the transitions the cohort table's decisions by month
 * (`publishCohorts`, a cohort below k withheld with a partner), and the reader reads the cohort table's sizes too (a
 * month's buyers less the month before's are its cohorts). The cohorts are drawn from the paths — each buyer in the
 * month of their first purchase, those buying in the first month spread over it and up to two months of history
 * before it — so the sums hold (checked on the shown counts). In these 280 populations about half have a cohort
 * withheld, and a withheld cohort comes out of the reader's readings 6 times (5 of them below k, so partnered). The two slips fixed in
 * 6e5f8cb3 (a cohort given away written past the end of the withheld cells; a partner's distance to a hidden cohort
 * read as a step's) are not caught: on its parent these cases pass, and 2,480 populations of the same generators
 * (seeds 1001–1020 × 60, sign-ups 2001–2008 × 160) give the same marks there as after the fix, none recovered — the
 * slips' code ran (a cohort taken as given away twice, 5 hidden cohorts partnered) but changed no published cell.
 */
import { describe, expect, it } from 'vitest';
import type { Cohorts } from '../../src/features/cohorts.js';
import { publishCohorts } from '../../src/features/publish-cohorts.js';
import type { StageTransitions } from '../../src/lifecycle/compute-stage-transitions.js';
import { lifecycleSeriesOf } from '../../src/lifecycle/lifecycle-series.js';
import { DEFAULT_LIFECYCLE_THRESHOLDS, LIFECYCLE_STAGES, type LifecycleStage } from '../../src/lifecycle/lifecycle-stage-rules.js';
import { lifecycleStageDecisions, publishLifecycleStages } from '../../src/lifecycle/publish-lifecycle-stages.js';
import { publishStageTransitions } from '../../src/lifecycle/publish-stage-transitions.js';
import { createRandom, type Random } from '../../src/math/random.js';
import { loadLinearProgramSolver } from '../../src/privacy/disclosure/hiding-set.js';
import { equationsThatDoNotHold, recoverBySubtraction } from '../privacy/subtraction-attack.js';

const solve = await loadLinearProgramSolver();
type Population = { transitions: StageTransitions; k: number; paths: string[][] };
const BUYERS = LIFECYCLE_STAGES.filter((s) => s !== 'prospect');
const FROM = ['none', ...LIFECYCLE_STAGES] as const;

/** A random population: each customer's stage per month (none before they are known; prospects for a while, then buyers who move about). */
function population(random: Random): Population {
  const T = 2 + random.integer(4);
  const N = 10 + random.integer(60);
  const k = [3, 5, 10][random.integer(3)]!;
  const paths = Array.from({ length: N }, () => {
    const known = random.integer(T + 1) - 1;
    const prospectFor = random.uniform() < 0.3 ? random.integer(3) : 0;
    let stage: string = 'none';
    return Array.from({ length: T }, (_, t) => {
      if (t < known) stage = 'none';
      else if (t < known + prospectFor) stage = 'prospect';
      else if (stage === 'none' || stage === 'prospect') stage = 'new';
      else if (random.uniform() >= 0.5) stage = BUYERS[1 + random.integer(BUYERS.length - 1)]!;
      return stage;
    });
  });
  return { transitions: transitionsOf(paths, T), k, paths };
}

/**
 * Sign-ups over two or three months: each customer known from a month on, a prospect then (a share drawn per
 * population) or a buyer at once; a prospect buys the month after with a drawn chance, a buyer moves about. Drawn
 * again while a month's customer base (its buyers) is between 0 and k.
 */
function signUps(random: Random): Population {
  const T = 2 + (random.uniform() < 0.25 ? 1 : 0);
  const N = 8 + random.integer(35);
  const k = [3, 5, 10][random.integer(3)]!;
  const prospects = [0.2, 0.5, 0.8][random.integer(3)]!;
  const converts = [0.5, 0.8, 1][random.integer(3)]!;
  const paths = Array.from({ length: N }, () => {
    const known = random.integer(T);
    let stage = 'none';
    return Array.from({ length: T }, (_, t) => {
      if (t < known) stage = 'none';
      else if (t === known) stage = random.uniform() < prospects ? 'prospect' : 'new';
      else if (stage === 'prospect') stage = random.uniform() < converts ? 'new' : 'prospect';
      else if (random.uniform() >= 0.5) stage = BUYERS[1 + random.integer(BUYERS.length - 1)]!;
      return stage;
    });
  });
  const transitions = transitionsOf(paths, T);
  const buyers = (counts: Record<LifecycleStage, number>) => BUYERS.reduce((sum, stage) => sum + counts[stage], 0);
  return transitions.snapshots.some((s) => buyers(s.counts) > 0 && buyers(s.counts) < k) ? signUps(random) : { transitions, k, paths };
}

/** The monthly transitions of customers' paths (a stage or none per month). */
function transitionsOf(paths: readonly string[][], T: number): StageTransitions {
  const counts = (t: number) => Object.fromEntries(LIFECYCLE_STAGES.map((s) => [s, paths.filter((p) => p[t] === s).length])) as Record<LifecycleStage, number>;
  const snapshots = Array.from({ length: T }, (_, t) => ({ label: `2024-${String(t + 1).padStart(2, '0')}`, day: `2024-${String(t + 1).padStart(2, '0')}-28`, partial: false, populationGapDays: 30, counts: counts(t) }));
  const steps = Array.from({ length: T - 1 }, (_, s) => {
    const moves = new Map<string, number>();
    for (const p of paths) if (!(p[s] === 'none' && p[s + 1] === 'none')) moves.set(`${p[s]}>${p[s + 1]}`, (moves.get(`${p[s]}>${p[s + 1]}`) ?? 0) + 1);
    return { fromLabel: snapshots[s]!.day, toLabel: snapshots[s + 1]!.day, flows: [...moves].map(([key, customers]) => ({ from: key.split('>')[0]!, to: key.split('>')[1] as LifecycleStage, customers })) };
  });
  const matrix = FROM.map((a) => LIFECYCLE_STAGES.map((b) => steps.reduce((sum, step) => sum + (step.flows.find((f) => f.from === a && f.to === b)?.customers ?? 0), 0)));
  const rates = matrix.map((row) => row.map((c) => (row.some((x) => x > 0) ? c / row.reduce((x, y) => x + y, 0) : null)));
  return { period: 'month', thresholds: DEFAULT_LIFECYCLE_THRESHOLDS, snapshots, matrix: { from: FROM, to: LIFECYCLE_STAGES, counts: matrix, rates }, steps, series: lifecycleSeriesOf(snapshots) } as StageTransitions;
}

/**
 * The acquisition cohorts of customers' paths, as the cohort table counts them: a buyer in the month of their first
 * purchase — one already buying in the first month in it or in one of the `before` months of history before it (drawn:
 * the cohort table covers the whole history, the transitions may start later). Months nobody was acquired in are not
 * listed (the table groups the customers by month). The other numbers of a cohort are not read here.
 */
function cohortsOf(paths: readonly string[][], random: Random): Cohorts {
  const before = random.integer(3);
  const labels = [...Array.from({ length: before }, (_, n) => `2023-${String(12 - before + 1 + n).padStart(2, '0')}`), ...paths[0]!.map((_, t) => `2024-${String(t + 1).padStart(2, '0')}`)];
  const acquired = new Map<string, number>();
  for (const p of paths) {
    const first = p.findIndex((stage) => stage !== 'none' && stage !== 'prospect');
    if (first < 0) continue;
    const label = labels[first === 0 ? random.integer(before + 1) : before + first]!;
    acquired.set(label, (acquired.get(label) ?? 0) + 1);
  }
  const cohorts = [...acquired].sort(([a], [b]) => a.localeCompare(b)).map(([label, customers]) => ({ label, start: `${label}-01`, customers, retention: [], activeCustomers: [], revenue: [], cumulativeValuePerCustomer: [] }));
  return { asOf: '2024-12-31', period: 'month', lastPeriodPartial: false, cohorts, tenure: { referenceDay: '2024-12-31', windowDays: 90, buckets: [] } };
}

/**
 * The counts below k, other than the prospects', that a reader of the published transitions and stages now recovers
 * (with `cohorts`, of the cohort table too: the transitions take its decisions as the segments step gives them).
 */
function smallCountsRecovered(transitions: StageTransitions, k: number, cohorts?: Cohorts): string[] {
  const last = transitions.snapshots.at(-1)!;
  const stagesNow = { asOf: last.day, stages: LIFECYCLE_STAGES.map((stage) => ({ stage, customers: last.counts[stage] })) };
  const cohortTable = cohorts ? publishCohorts(cohorts, k) : undefined;
  const out = publishStageTransitions(transitions, k, undefined, {
    solve,
    ...(cohortTable ? { cohorts: new Map(cohortTable.cohorts.map((c) => [c.label, c.suppression])) } : {}),
    lastSnapshot: lifecycleStageDecisions(stagesNow as never, k, { prospectsKnown: true }),
    prospectsKnown: true,
  });
  const stages = publishLifecycleStages(stagesNow as never, k, { prospectsKnown: true, preset: new Map(Object.entries(out.snapshots.at(-1)!.suppression)) });
  const total = Object.values(last.counts).reduce((a, b) => a + b, 0);
  const run = { segments: { transitions: out, stages: { asOf: last.day, customers: total, stages: stages.stages }, rfm: { customers: total - last.counts.prospect }, ...(cohortTable ? { cohorts: cohortTable } : {}) } };
  // (the sums the reader takes for exact hold on the shown counts: the cohorts drawn are the paths')
  const wrong = equationsThatDoNotHold(run).map((name) => `does not hold: ${name}`);
  return [...wrong, ...recoverBySubtraction(run)].filter((line) => {
    if (line.startsWith('does not hold')) return true;
    const [name, value] = line.split(' (')[0]!.split(' = ');
    return Number(value) > 0 && Number(value) < k && !/prospect/.test(name!);
  });
}

/** What a reader recovers below k in `n` populations of a generator (with their cohorts, drawn after each), each line with its population. */
function recovered(generate: (random: Random) => Population, seed: number, n: number, withCohorts = false): string[] {
  const random = createRandom(seed);
  const found: string[] = [];
  for (let i = 0; i < n; i++) {
    const { transitions, k, paths } = generate(random);
    for (const line of smallCountsRecovered(transitions, k, withCohorts ? cohortsOf(paths, random) : undefined)) found.push(`population ${i} (k = ${k}): ${line}`);
  }
  return found;
}

describe('random small populations keep their counts below k', () => {
  it.each([303, 404, 505])('seed %i: 60 populations, no count below k recovered but the prospects’', (seed) => {
    expect(recovered(population, seed, 60)).toEqual([]);
  });

  it.each([1, 4])('sign-ups, seed %i: 160 populations, no count below k recovered but the prospects’', (seed) => {
    expect(recovered(signUps, seed, 160)).toEqual([]);
  });

  it.each([303, 404])('with the cohort table, seed %i: 60 populations, no count below k recovered but the prospects’', (seed) => {
    expect(recovered(population, seed, 60, true)).toEqual([]);
  });

  it.each([1])('sign-ups with the cohort table, seed %i: 160 populations, no count below k recovered but the prospects’', (seed) => {
    expect(recovered(signUps, seed, 160, true)).toEqual([]);
  });
});
