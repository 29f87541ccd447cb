/**
 * Suppression runs both ways across a run's tables. A funnel row withheld for its own reasons — few of a shown stage's
 * customers browsed — left the cross-table's column of that stage shown: its browse cells add up to the funnel row,
 * and its `none` cell (the stage's customers without a session) is the stage's count less the funnel row, so the
 * withheld row was a subtraction away (dormant: 50 customers shown, 3 browsed, 47 `none` shown → 3). The attack
 * (`recoverBySubtraction`) writes every sum one published table gives of another's counts and solves any left with one
 * unknown, across tables, until nothing changes.
 */
import { describe, expect, it } from 'vitest';
import { loadLinearProgramSolver } from '../../src/privacy/disclosure/hiding-set.js';
import { eventsRun } from './events-run.js';
import { equationsThatDoNotHold, recoverBySubtraction } from './subtraction-attack.js';

const solve = await loadLinearProgramSolver();

/** A run's stages (all shown at k = 5) and its events: `browsed` of each stage's customers have sessions, in `cells`; `viewed`: of a stage's browsers, those reaching every step. */
function run(stages: Record<string, number>, cells: [string, string, number][], viewed: Record<string, number> = {}, k = 5) {
  const steps = Object.fromEntries(Object.entries(viewed).map(([stage, people]) => [stage, { viewed: people, carted: people, purchased: people }]));
  return eventsRun(stages, cells, { steps, k });
}

describe('no withheld count can be recovered by subtraction across the tables of a run', () => {
  it('a funnel row withheld because few of a shown stage browsed: its column in the cross-table does not give it back', () => {
    const stages = { prospect: 30, active: 40, at_risk: 80, dormant: 50, churned: 300 };
    const published = run(stages, [
      ['browsing_active', 'prospect', 30],
      ['browsing_active', 'active', 35], ['none', 'active', 5],
      ['lapsing', 'at_risk', 60], ['none', 'at_risk', 20],
      ['gone', 'dormant', 3], ['none', 'dormant', 47],
      ['gone', 'churned', 250], ['lapsing', 'churned', 20], ['none', 'churned', 30],
    ]);
    expect(published.events.funnels.byStage.find((r) => r.group === 'dormant')!.people).toBeNull();
    expect(equationsThatDoNotHold(published)).toEqual([]);
    expect(recoverBySubtraction(published)).toEqual([]);
  });

  it("a funnel step withheld in a shown row (2 of a stage's 60 browsers viewed) is not the overall step less the other rows'", () => {
    const stages = { prospect: 30, active: 40, at_risk: 80, churned: 300 };
    const published = run(stages, [
      ['browsing_active', 'prospect', 30], ['browsing_active', 'active', 40],
      ['lapsing', 'at_risk', 60], ['none', 'at_risk', 20], ['gone', 'churned', 280], ['none', 'churned', 20],
    ], { at_risk: 2 });
    const at = (group: string) => published.events.funnels.byStage.find((r) => r.group === group)!;
    expect([at('at_risk').people, at('at_risk').viewed.people]).toEqual([60, null]);
    expect(equationsThatDoNotHold(published)).toEqual([]);
    expect(recoverBySubtraction(published)).toEqual([]);
  });

  // Regression (session 40, random runs): a cross-table row's sum is its browse stage's count, shown beside it. Where the
  // row's other cells cannot be partners — a cell that is its column whole (a stage the run shows), or the row a single
  // cell — the withheld cell stayed the only one withheld in its row, and the stage less the shown cells gave it back.
  const belowK = (lines: string[], k: number) => lines.filter((line) => { const n = Number(/ = (\d+)/.exec(line)?.[1]); return n > 0 && n < k; });

  it("a small cell whose row partners are known (at_risk is its column whole) is not the browse stage less the row's shown cells", () => {
    const published = run({ prospect: 5, at_risk: 38, churned: 61 }, [
      ['gone', 'prospect', 5], ['browsing_active', 'at_risk', 38],
      ['browsing_active', 'churned', 4], ['lapsing', 'churned', 6], ['gone', 'churned', 17], ['none', 'churned', 34],
    ], { prospect: 1, churned: 14 });
    // before: browsing_active (42) shown beside at_risk (38): browsing_active × churned = 4
    expect(published.events.onlineLifecycle.browseStages.browsing_active).toBeNull();
    expect(equationsThatDoNotHold(published)).toEqual([]);
    expect(belowK(recoverBySubtraction(published), 5)).toEqual([]);
  });

  it('a partner that is its row whole (the browse stage shown) is no partner: the column does not give the small cell back', () => {
    const published = run({ active: 30, dormant: 125, churned: 43 }, [
      ['lapsing', 'active', 22], ['none', 'active', 8], ['lapsing', 'dormant', 56], ['gone', 'dormant', 10], ['none', 'dormant', 59],
      ['browsing_active', 'churned', 34], ['gone', 'churned', 9],
    ], { active: 19 }, 10);
    // before: browsing_active × churned (34) withheld as the partner of gone × churned (9), the browse stage (34) shown
    expect(published.events.onlineLifecycle.browseStages.browsing_active).toBeNull();
    expect(equationsThatDoNotHold(published)).toEqual([]);
    expect(belowK(recoverBySubtraction(published), 10)).toEqual([]);
  });

  // Regression (session 41, random runs of random-runs-keep-events-counts-below-k): combinations of several sums, which
  // the single-sum rules did not close. The funnel's overall people are the stages' browsers; with new and reactivated's
  // browse cells withheld in pairs, (new's column) + (reactivated's column) − (their browsers) − (the overall people)
  // + (at_risk's browsers) left reactivated's `none` cell, 1 customer, though each sum held two withheld cells.
  it("a `none` cell is not the stages' counts less the funnel's overall people and the other columns' browsers", () => {
    const published = eventsRun({ at_risk: 20, reactivated: 27, new: 53 }, [
      ['gone', 'at_risk', 20], ['browsing_active', 'reactivated', 1], ['gone', 'reactivated', 25], ['none', 'reactivated', 1],
      ['browsing_active', 'new', 9], ['gone', 'new', 44],
    ], { k: 3, solve });
    expect(equationsThatDoNotHold(published)).toEqual([]);
    expect(belowK(recoverBySubtraction(published), 3)).toEqual([]);
  });

  // Where one stage's customers browsed and the other's did not, the overall people are that stage's browsers and its
  // `none` cell is the stage less them, whatever of these tables is withheld among the counts they list: a reader reads
  // a cell not listed as 0 (reactivated × gone) and a stage without a funnel row as one without sessions. A 0 is
  // withheld (listed, its count null) with reactivated's `none` cell, so reactivated's browsers are no longer known.
  it('a stage whose customers alone browsed: a withheld 0 keeps its `none` cell (6 at k = 10) hidden', () => {
    const published = eventsRun({ active: 65, reactivated: 38 }, [['gone', 'active', 59], ['none', 'active', 6], ['none', 'reactivated', 38]], { k: 10, solve });
    expect(equationsThatDoNotHold(published)).toEqual([]);
    expect(belowK(recoverBySubtraction(published), 10)).toEqual([]);
    // before: none × active = 6 (active's column less the overall people)
    const withheldZeros = published.events.onlineLifecycle.crossTable.filter((c) => c.customers === null && c.purchaseStage === 'reactivated' && c.browseStage !== 'none');
    const withheldRows = published.events.funnels.byStage.filter((r) => r.group === 'reactivated' && r.people === null);
    expect(withheldZeros.length + withheldRows.length).toBeGreaterThan(0);
    expect(published.events.onlineLifecycle.crossTable.find((c) => c.browseStage === 'none' && c.purchaseStage === 'reactivated')!.customers).toBeNull();
  });
});
