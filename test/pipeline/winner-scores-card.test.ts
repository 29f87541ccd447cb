import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { analyze, type RunSummary } from '../../src/pipeline/analyze.js';
import { describeValueModelScores } from '../../src/pipeline/learned-step.js';
import { valueCardAfterWinnerScores, winnerIntervalsWarning } from '../../src/pipeline/stages/learned-stage.js';
import type { ValueModelCard } from '../../src/pipeline/value-step.js';
import { formatRunSummary } from '../../src/cli/commands/analyze-command.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { copyOfRegularChurnWinnerWarehouse, regularChurnWinnerRun } from '../helpers/regular-churn-winner-run.js';
import { scratchDir } from '../helpers/warehouse.js';

/**
 * run.json's value model card after the honest tournament picked another model: every field about the scores must
 * describe what customer_scores hold. Regression: with MBG/CNBD-6 the winner (regular buyers who churn, 600
 * customers), customers.csv's CLV intervals were empty (and run.json's card once said `intervalDraws: 200`); now the
 * intervals are MBG/CNBD-6's own, drawn from its refit's covariance as the value step draws the BTYD models'.
 */
describe('an MBG/CNBD-k winner: its own CLV intervals, and the value card counts their draws (regular buyers who churn, 600 customers)', () => {
  let run: RunSummary;
  let warehouse: Warehouse;
  beforeAll(async () => {
    // `clvkit analyze` of the shop with --learned-tournament --candidates mbgcnbd --holdout-days 90 --min-group-size 40
    // --skip-patterns --skip-report into a warehouse file, shared with value-model-view.test.ts (one run per test run;
    // until session 38 this file ran it for itself, with the segments skipped, which come after the value and learned
    // stages whose results are read here): its run.json and a copy of its warehouse
    const { outDir } = await regularChurnWinnerRun();
    run = JSON.parse(readFileSync(join(outDir, 'run.json'), 'utf8')) as RunSummary;
    warehouse = await openDuckDbWarehouse(await copyOfRegularChurnWinnerWarehouse(), { threads: 2 });
  }, 300_000);
  afterAll(() => warehouse?.close());

  it('MBG/CNBD-6 scored the customers, over an interior BG/NBD value fit (whose own intervals were drawn)', () => {
    expect(run.learned!.scores!.label).toBe('MBG/CNBD-6');
    expect(run.valueModel!.final.model).toBe('bgnbd');
    expect(run.valueModel!.final.fit.boundary).toBeUndefined();
    expect(run.learned!.valueModelScores).toBeUndefined();
  });

  it('customer_scores: every buyer with a CLV has an interval around it; valueModel.clv counts the winner\'s draws and totals what customer_scores hold', async () => {
    const clv = run.valueModel!.clv;
    const scores = run.learned!.scores as { intervalDraws?: number; intervalsSkipped?: string };
    expect(scores.intervalsSkipped).toBeUndefined();
    expect(scores.intervalDraws).toBe(20);
    expect(clv.intervalDraws).toBe(scores.intervalDraws);
    expect(clv.intervalsSkipped).toBeUndefined();
    const [row] = await warehouse.query(`SELECT count(*) AS n, count(predicted_clv_12m) AS clv_n, count(predicted_clv_12m_low) AS low, count(predicted_clv_12m_high) AS high,
      count(*) FILTER (WHERE predicted_clv_12m_low <= predicted_clv_12m_high) AS ordered,
      count(*) FILTER (WHERE predicted_clv_12m BETWEEN predicted_clv_12m_low * 0.999 AND predicted_clv_12m_high * 1.001) AS inside,
      count(*) FILTER (WHERE predicted_clv_12m_high > predicted_clv_12m_low) AS wide, sum(predicted_clv_12m) AS clv FROM customer_scores`);
    expect(Number(row!.n)).toBe(run.headline.customers);
    expect(Number(row!.clv_n)).toBeGreaterThan(0);
    expect(Number(row!.low)).toBe(Number(row!.clv_n));
    expect(Number(row!.high)).toBe(Number(row!.clv_n));
    expect(Number(row!.ordered)).toBe(Number(row!.clv_n));
    expect(Number(row!.inside)).toBeGreaterThanOrEqual(0.9 * Number(row!.clv_n));
    expect(Number(row!.wide)).toBeGreaterThanOrEqual(0.9 * Number(row!.clv_n));
    expect(clv.totalPredicted).toBeCloseTo(Number(row!.clv), 6);
    expect(run.warnings.filter((w) => w.includes('predicted_clv_12m_low'))).toEqual([]);
  });
});

describe('valueCardAfterWinnerScores', () => {
  const card = {
    final: { model: 'bgnbd' },
    comparison: [{ model: 'bgnbd', label: 'BG/NBD', chosen: true }],
    clv: { horizonMonths: 12, discountRatePerYear: 0.1, margin: 1, intervalDraws: 200, intervalLevel: 0.9, totalPredicted: 1000 },
  } as unknown as ValueModelCard;

  it("a learned winner: the reason names the winner, not the value model's boundary (the columns hold the winner's CLV); a card without CLV (no order values) stays as it is", () => {
    const onBoundary = { ...card, clv: { ...card.clv, intervalDraws: 0, intervalsSkipped: 'no intervals: the bgnbd estimates are on a boundary' } };
    expect(valueCardAfterWinnerScores(onBoundary, { label: 'GBT (Poisson)', totalPredictedClv: 900 }).clv).toEqual({
      ...onBoundary.clv,
      totalPredicted: 900,
      intervalsSkipped: "no intervals: GBT (Poisson), the honest tournament's choice, rewrote the predictions, and the intervals described BG/NBD's parameter uncertainty, not GBT (Poisson)'s (a learned model has no parameter draws)",
    });
    expect(winnerIntervalsWarning(valueCardAfterWinnerScores(onBoundary, { label: 'GBT (Poisson)', totalPredictedClv: 900 }))).toBe(
      "customers.csv's CLV intervals (predicted_clv_12m_low, _high) are empty: GBT (Poisson), the honest tournament's choice, rewrote the predictions, and the intervals described BG/NBD's parameter uncertainty, not GBT (Poisson)'s (a learned model has no parameter draws)",
    );
    // MBG/CNBD-k: its own draws replace the value model's boundary reason; no warning
    const drawn = valueCardAfterWinnerScores(onBoundary, { label: 'MBG/CNBD-6', totalPredictedClv: 900, intervalDraws: 73 });
    expect(drawn.clv).toEqual({ ...card.clv, totalPredicted: 900, intervalDraws: 73 });
    expect(winnerIntervalsWarning(drawn)).toBeUndefined();
    const noValues = { ...card, clv: { ...card.clv, totalPredicted: NaN, skipped: 'no order values' } };
    expect(valueCardAfterWinnerScores(noValues, { label: 'GBT (Poisson)', totalPredictedClv: NaN })).toBe(noValues);
  });

  it('--horizon-months 6: the 6-month total becomes the winner\'s too, beside the 12-month one', () => {
    const six = { ...card, clv: { ...card.clv, horizonMonths: 6, totalPredictedMonths: 12, horizonTotalPredicted: 550 } };
    const after = valueCardAfterWinnerScores(six, { label: 'MBG/CNBD-6', totalPredictedClv: 900, horizonTotalPredictedClv: 480 }).clv;
    expect([after.totalPredicted, after.totalPredictedMonths, after.horizonTotalPredicted, after.horizonMonths]).toEqual([900, 12, 480, 6]);
  });
});

describe('describeValueModelScores: a BTYD winner other than the value model does not score the customers, and run.json says so', () => {
  const tournament = (chosen: string) => ({
    innerCutoff: '2022-06-12',
    calibrationEnd: '2022-09-01',
    candidates: [
      { name: 'bgnbd', label: 'BG/NBD', family: 'btyd' as const },
      { name: 'paretonbd', label: 'Pareto/NBD', family: 'btyd' as const },
      { name: 'mbgcnbd', label: 'MBG/CNBD-k', family: 'regularity' as const },
      { name: 'gbt-poisson', label: 'GBT (Poisson)', family: 'learned' as const },
    ].map((c) => ({ ...c, chosen: c.name === chosen })),
  }) as unknown as Parameters<typeof describeValueModelScores>[0];

  it('names the value model, its holdout, the winner and its inner window; nothing when the winner is the value model or rewrote the scores', () => {
    expect(describeValueModelScores(tournament('paretonbd'), 'mbgnbd', '2022-12-31')).toBe(
      "customer_scores keep MBG/NBD's scores (the value model, chosen on the holdout 2022-09-01 → 2022-12-31 and refitted on all data): the honest tournament chose Pareto/NBD, a BTYD model, on its inner window 2022-06-12 → 2022-09-01, and a BTYD winner does not replace the value model — only a learned model or MBG/CNBD-k does",
    );
    expect(describeValueModelScores(tournament('bgnbd'), 'bgnbd', '2022-12-31')).toBeUndefined();
    expect(describeValueModelScores(tournament('mbgcnbd'), 'bgnbd', '2022-12-31')).toBeUndefined();
    expect(describeValueModelScores(tournament('gbt-poisson'), 'bgnbd', '2022-12-31')).toBeUndefined();
  });
});

/**
 * Regression: on a steady shop the value step chose one BTYD model on the holdout and the honest tournament another on
 * its inner window; customers.csv carried the value model's scores, but run.json, the summary and the report only named
 * the tournament's. (Seed 7, where this was found — MBG/NBD against Pareto/NBD —, no longer shows it: the value step
 * rules Pareto/NBD out there, and the tournament's default is now a model the value step left eligible. Seed 4 of the
 * steady shop, BG/NBD against MBG/NBD, no longer shows it either: since session 43 an interior fit less than 1.92
 * above the NBD is the NBD, and there every BTYD model ends at the NBD and the tournament picks BG/NBD too. Seed 1 of
 * the BG/NBD-shaped shop: MBG/NBD on the holdout against BG/NBD on the inner window, both interior.)
 */
describe('a BTYD winner other than the value model (BG/NBD-shaped shop, 800 customers)', () => {
  let run: RunSummary;
  beforeAll(async () => {
    const dir = scratchDir('clvkit-btyd-winner-');
    await generateShop({ outDir: dir, customers: 800, seed: 1, events: false, shape: 'bgnbd' });
    run = await analyze({ files: [join(dir, 'transactions.csv')], db: ':memory:', outDir: join(dir, 'out'), skipPatterns: true, skipReport: true, skipSegments: true, minGroupSize: 40, learnedTournament: true, tournamentCandidates: ['mbgcnbd'], keyring: keyringFromKey(generateKey()) });
  }, 300_000);

  it('run.json learned.valueModelScores and the summary say customers.csv keeps the value model’s scores', () => {
    const t = run.learned!.tournament!;
    expect(run.valueModel!.final.model).toBe('mbgnbd');
    expect(t.chosen).toBe('bgnbd');
    expect(run.learned!.scores).toBeUndefined();
    expect(run.learned!.valueModelScores).toBe(describeValueModelScores(t, 'mbgnbd', run.parameters.asOf));
    expect(run.learned!.valueModelScores).toMatch(/^customer_scores keep MBG\/NBD's scores \(the value model, chosen on the holdout .*\): the honest tournament chose BG\/NBD, a BTYD model/);
    expect(formatRunSummary(run)).toContain("  scores     customers.csv keeps MBG/NBD's scores (the value model");
    // the value card's CLV fields are the value model's own, untouched by the tournament: MBG/NBD's interior final fit
    // and its intervals
    expect(run.valueModel!.final.fit.converged).toBe(true);
    expect(run.valueModel!.final.fit.boundary ?? null).toBe(null);
    expect([run.valueModel!.clv.intervalDraws, run.valueModel!.clv.intervalsSkipped]).toEqual([200, undefined]);
  });
});
