/**
 * On a 10-year shop (`synth --shape decade --customers 3000 --seed 21`, k = 5: test/fixtures/transitions) the flow
 * `prospect → new` of 1 in 2024-01 sits where the prospects stopped growing: every month's prospects after it are the
 * next month's (no sign-ups, no conversions) down to the prospects now, a published total, and every shown cell of the
 * combination of sums that isolates the flow is one the reader also works out from shown cells alone. No single
 * partner hides such a cell. Before, one partner was taken at a time from the cells the reader works out, each kept
 * unknown by the next decision of the tables: 859 partners for that one flow, and 2,254 of 2,640 flows, 222 of 840
 * month counts and 19 matrix cells withheld. Now the cheapest set of cells that hides it is found at once
 * (`hidingSet`, a linear program over every sum the reader knows): far fewer cells, and no withheld count is
 * recovered.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { StageTransitions } from '../../src/lifecycle/compute-stage-transitions.js';
import { publishLifecycleStages } from '../../src/lifecycle/publish-lifecycle-stages.js';
import { publishStageTransitions } from '../../src/lifecycle/publish-stage-transitions.js';
import type { Suppression } from '../../src/privacy/disclosure/suppress-linked-cells.js';
import { loadLinearProgramSolver } from '../../src/privacy/disclosure/hiding-set.js';
import { recoverBySubtraction } from '../privacy/subtraction-attack.js';

interface Fixture {
  k: number;
  transitions: StageTransitions;
  cohortDecisions: [string, Suppression][];
  lastSnapshot: [string, Suppression][];
  cohorts: { label: string; customers: number | null; suppression: Suppression }[];
  acquired: number;
}

const fixture = JSON.parse(gunzipSync(readFileSync(new URL('../fixtures/transitions/decade-shop-seed-21.json.gz', import.meta.url))).toString('utf8')) as Fixture;

describe('a long history hides a flow near it, not through every month', async () => {
  const solve = await loadLinearProgramSolver();
  const { k, transitions } = fixture;
  const out = publishStageTransitions(transitions, k, undefined, { solve, cohorts: new Map(fixture.cohortDecisions), lastSnapshot: new Map(fixture.lastSnapshot), prospectsKnown: true });
  const flows = out.steps.flatMap((s) => s.flows);
  const flow = (label: string, from: string, to: string) => out.steps.find((s) => s.toLabel.startsWith(label))!.flows.find((f) => f.from === from && f.to === to)!;

  it('withholds the flow of 1 and at most a few dozen month counts (222 before), about half the flows (2,254 of 2,640 before)', () => {
    expect(transitions.steps.find((s) => s.toLabel.startsWith('2024-01'))!.flows.find((f) => f.from === 'prospect' && f.to === 'new')!.customers).toBe(1);
    expect(flow('2024-01', 'prospect', 'new').customers).toBeNull();
    const monthCounts = out.snapshots.flatMap((s) => Object.values(s.counts)).filter((c) => c === null).length;
    expect(monthCounts).toBeLessThanOrEqual(100);
    expect(flows.filter((f) => f.customers === null).length).toBeLessThanOrEqual(1600);
    expect(out.matrix.counts.flat().filter((c) => c === null).length).toBeLessThanOrEqual(15);
  });

  it('leaves no withheld count, cohort or stage to a reader who combines the transitions, the cohort table and the stages now', () => {
    // the stages now: the last snapshot's counts with its decisions, as publish-segments-summary publishes them
    const last = transitions.snapshots.at(-1)!;
    const stagesNow = { asOf: last.day, stages: Object.entries(last.counts).map(([stage, customers]) => ({ stage, customers })) };
    const stages = publishLifecycleStages(stagesNow as never, k, { prospectsKnown: true, preset: new Map(Object.entries(out.snapshots.at(-1)!.suppression)) });
    const run = { segments: { transitions: out, stages: { asOf: last.day, stages: stages.stages }, cohorts: { cohorts: fixture.cohorts }, rfm: { customers: fixture.acquired } } };
    // the stages' total is published (all customers): the attack names it when it works it out
    expect(recoverBySubtraction(run).filter((line) => !line.startsWith('stages total'))).toEqual([]);
  });
});
