/**
 * A property of the events tables over random small runs (seeded): a reader who combines every published sum of the
 * stages now, the KPIs by stage, the funnel rows by stage and their overall row, the browse stages and the
 * browse × purchase cross-table (`recoverBySubtraction`: linear algebra over them all, not one sum at a time) recovers
 * no withheld count below k.
 *
 * Each run: 2–7 purchase stages of at least k customers (all shown), k of 3, 5 or 10; each stage's customers all
 * browsed, none did, or some did (a quarter, a quarter, a half), over one to three browse stages of 1–60 customers and
 * a `none` cell of 1–60; a funnel row per stage with browsers, its steps reached by a random nested share of them; a
 * third of the runs with an `(anonymous)` row of 1–40 visitors (its people are stitching's visitors never linked:
 * published, so never a count recovered). Where all or none of a stage's customers browsed, the funnel row is the
 * stage's count or absent, and its column's `none` cell the stage's count less the row: combinations of the funnel's
 * overall people, the columns' browse cells and the stages' counts gave back a `none` cell or a funnel row that no
 * single sum did. Before the events tables were read by `combiningReader` (close-combinations.ts), seeds 2, 3 and 4
 * leaked in 5, 3 and 3 of their 100 runs (24 of 900 runs of seeds 1–6 × 150), 6 of them a count that only a withheld
 * 0 hides (one stage browsed, or every other stage's browsers known: the overall people less the anonymous gave the
 * stage's browsers); none after.
 */
import { describe, expect, it } from 'vitest';
import { LIFECYCLE_STAGES } from '../../src/lifecycle/lifecycle-stage-rules.js';
import { createRandom, type Random } from '../../src/math/random.js';
import { loadLinearProgramSolver } from '../../src/privacy/disclosure/hiding-set.js';
import { belowKRecovered, eventsRun, type Steps } from './events-run.js';
import { equationsThatDoNotHold, recoverBySubtraction } from './subtraction-attack.js';

const solve = await loadLinearProgramSolver();
const BROWSE = ['browsing_active', 'lapsing', 'gone'] as const;

interface RandomRun { stages: Record<string, number>; cells: [string, string, number][]; steps: Record<string, Steps>; anonymous?: number; k: number }

/** One random run (see the file's comment). */
function randomRun(random: Random): RandomRun {
  const k = [3, 5, 10][random.integer(3)]!;
  const stageNames: string[] = [...LIFECYCLE_STAGES];
  for (let i = stageNames.length - 1; i > 0; i--) { const j = random.integer(i + 1); [stageNames[i], stageNames[j]] = [stageNames[j]!, stageNames[i]!]; }
  const chosen = stageNames.slice(0, 2 + random.integer(6));
  const stages: Record<string, number> = {};
  const cells: [string, string, number][] = [];
  const steps: Record<string, Steps> = {};
  for (const stage of chosen) {
    let column: [string, string, number][];
    do {
      const mode = random.uniform();
      const browsed = mode < 0.25 ? 'all' : mode < 0.5 ? 'none' : 'some';
      column = [];
      if (browsed !== 'none') {
        const some = BROWSE.filter(() => random.uniform() < 0.5);
        for (const b of some.length > 0 ? some : [BROWSE[random.integer(3)]!]) column.push([b, stage, 1 + random.integer(60)]);
      }
      if (browsed !== 'all') column.push(['none', stage, 1 + random.integer(60)]);
    } while (column.reduce((a, [, , n]) => a + n, 0) < k);
    stages[stage] = column.reduce((a, [, , n]) => a + n, 0);
    cells.push(...column);
    const people = column.filter(([b]) => b !== 'none').reduce((a, [, , n]) => a + n, 0);
    if (people > 0) {
      const viewed = random.integer(people + 1);
      const carted = random.integer(viewed + 1);
      steps[stage] = { viewed, carted, purchased: random.integer(carted + 1) };
    }
  }
  const anonymous = random.uniform() < 1 / 3 ? 1 + random.integer(40) : undefined;
  return { stages, cells, steps, k, ...(anonymous !== undefined ? { anonymous } : {}) };
}

/** What a reader recovers below k in `n` random runs of `seed`, each line with its run. */
function recovered(seed: number, n: number): string[] {
  const random = createRandom(seed);
  const found: string[] = [];
  for (let i = 0; i < n; i++) {
    const { stages, cells, steps, anonymous, k } = randomRun(random);
    const published = eventsRun(stages, cells, { steps, k, solve, ...(anonymous !== undefined ? { anonymous } : {}) });
    const broken = equationsThatDoNotHold(published);
    if (broken.length > 0) throw new Error(`run ${i}: sums that do not hold ${broken.join('; ')}`);
    // a funnel of anonymous visitors alone: its overall people are stitching's visitorsAnonymous, published as such
    // (the review of session 41 met it at seeds 44 and 45) — worked out, it tells nothing new
    const known = (line: string) => anonymous !== undefined && line.startsWith(`funnel overall = ${anonymous} `);
    for (const line of belowKRecovered(recoverBySubtraction(published), k)) if (!known(line)) found.push(`run ${i} (k = ${k}): ${line}`);
  }
  return found;
}

describe('random small runs keep the events tables’ counts below k', () => {
  it.each([2, 3, 4, 44])('seed %i: 100 runs, no withheld count below k recovered by combining the sums', (seed) => {
    expect(recovered(seed, 100)).toEqual([]);
  });
});
