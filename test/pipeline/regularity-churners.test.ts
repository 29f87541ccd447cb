import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import type { RunSummary } from '../../src/pipeline/analyze.js';
import type { LearnedCard } from '../../src/pipeline/learned-step.js';
import { writeRegularChurnShop } from '../helpers/regular-churn-shop.js';
import { analyzeValueOnly, expectedRegularityChurn, runRegularityTournament } from '../helpers/regularity-tournament.js';
import { scratchDir } from '../helpers/warehouse.js';

/**
 * Regular buyers who drop out (MBG/CNBD-k's own process, k = 6; helpers/regular-churn-shop.ts): here MBG/CNBD-k's fits
 * converge and it wins on its merits — unlike the no-dropout regular shop of regularity-scores.test.ts, where it wins
 * only because the BTYD default did not converge either — and with churners the comparison of the churn score with 1 − P(alive) of
 * MBG/CNBD-k has an AUC to check, and a Brier score that must beat the base rate.
 */
describe('a converged MBG/CNBD-k wins on regular buyers who churn (1,500 customers, k = 6)', () => {
  let run: RunSummary;
  let warehouse: Warehouse;
  let card: LearnedCard;
  beforeAll(async () => {
    const dir = scratchDir('clvkit-regularity-churners-');
    const file = writeRegularChurnShop(dir, { customers: 1500, k: 6, seed: 1 });
    ({ run, warehouse } = await analyzeValueOnly(file, dir));
    card = await runRegularityTournament(warehouse, run);
  }, 600_000);
  afterAll(() => warehouse?.close());

  it('MBG/CNBD-k finds k = 6, its fits converge, and it wins by the rule without a convergence caveat', () => {
    const t = card.tournament!;
    const chosen = t.candidates.find((c) => c.chosen)!;
    expect(chosen.name).toBe('mbgcnbd');
    expect(chosen.k).toBe(6);
    expect(chosen.fitIssue).toBeUndefined();
    expect(chosen.detail).toBe('k = 6 on the inner split, 6 on the calibration window');
    expect(t.reason).toMatch(/^MBG\/CNBD-k predicts the inner window .* more than 1% below the best BTYD model/);
    expect(t.reason).not.toMatch(/converge/);
    const btyd = t.candidates.find((c) => c.label === t.lift.btydLabel)!;
    expect(chosen.inner.mae).toBeLessThan(0.99 * btyd.inner.mae);
    expect(chosen.holdout.mae).toBeLessThan(btyd.holdout.mae);
    expect(card.scores!.label).toBe('MBG/CNBD-6');
    expect('refitWarning' in card.scores!).toBe(false); // the refit at the as-of date converged too
  });

  it('the churn validation compares with 1 − P(alive) of MBG/CNBD-6 fitted at the calibration end: the same AUC and Brier score, an AUC above 0.9 and a Brier score far below the base rate’s', async () => {
    const v = card.churn!.validation;
    expect(v.pAliveModel).toBe('MBG/CNBD-6');
    const expected = await expectedRegularityChurn(warehouse, run, card, 6);
    const base = v.btydOneMinusPAlive.baseRate;
    // churners: most customers of a 2-year shop with 10% dropout per purchase buy nothing in the 90 days, not all
    expect(base).toBeGreaterThan(0.5);
    expect(base).toBeLessThan(0.95);
    expect(base).toBe(expected.baseRate);
    expect(v.btydOneMinusPAlive.auc).toBeCloseTo(expected.auc, 10);
    expect(v.btydOneMinusPAlive.auc).toBeGreaterThan(0.9);
    expect(v.btydOneMinusPAlive.brier).toBeCloseTo(expected.brier, 10);
    // the base rate predicted for everyone scores base·(1 − base); P(alive) must do far better
    expect(v.btydOneMinusPAlive.brier).toBeLessThan(0.5 * base * (1 - base));
    // MBG/CNBD-k has no P(no purchase in N days): 1 − P(alive) is the score written and compared, no third scorecard
    expect(v.btydNoPurchase).toBeUndefined();
    expect(card.churn!.source === 'learned' || card.churn!.source === 'btyd-one-minus-p-alive').toBe(true);
  }, 120_000);
});
