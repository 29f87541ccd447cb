/**
 * A challenger replaces the best BTYD model only when the inner window holds enough purchases to judge its total.
 * Regression (QA, `synth --customers 3000 --days 75 --seed 11`, analyze --learned-tournament): the inner window ran
 * 15 days and held 234 repeat purchases; BG/NBD missed that total by +24.5%, which widened the allowance to ±24.5%,
 * and GBT on BTYD (−5.8%) took over with a 12-month CLV of 104,890 against BG/NBD's 117–119k (truth ≈ 117k); with
 * --holdout-days 30 --time-unit month, GBT (Tweedie) (−16.8% on 216 purchases, allowance ±21.6%) took over at 84,961,
 * its holdout total −42.8%. The total of 234 purchases is itself uncertain by 1/√234 = 6.5% (Poisson), more than the
 * 5% a challenger's total is judged within: the window cannot tell a challenger that predicts too little (which MAE
 * rewards) from one that does not.
 */
import { describe, expect, it } from 'vitest';
import type { HoldoutMetrics } from '../../src/models/compute-holdout-metrics.js';
import { explainTournamentChoice } from '../../src/report/sections/churn-section.js';
import { chooseHonestWinner, MIN_INNER_PURCHASES, type ChoiceCandidate } from '../../src/pipeline/choose-honest-winner.js';

const inner = (mae: number, totalRelativeError: number) => ({ mae, totalRelativeError }) as unknown as HoldoutMetrics;
const window = (innerPurchases: number) => ({ innerCutoff: '2022-02-01', calibrationEnd: '2022-02-16', innerDays: 15, innerPurchases });
// the QA run's inner figures (run.json learned.tournament.candidates[].inner)
const bgnbd: ChoiceCandidate = { name: 'bgnbd', label: 'BG/NBD', family: 'btyd', inner: inner(0.178, 0.2449) };
const candidates: ChoiceCandidate[] = [
  bgnbd,
  { name: 'mbgcnbd', label: 'MBG/CNBD-k', family: 'regularity', inner: inner(0.1638, 0.0457) },
  { name: 'gbt-poisson', label: 'GBT (Poisson)', family: 'learned', inner: inner(0.1576, -0.0736) },
  { name: 'gbt-tweedie', label: 'GBT (Tweedie)', family: 'learned', inner: inner(0.1605, -0.0702) },
  { name: 'gbt-ziln', label: 'GBT (ZILN)', family: 'learned', inner: inner(0.1621, -0.0053) },
  { name: 'gbt-btyd', label: 'GBT on BTYD (Poisson)', family: 'learned', inner: inner(0.157, -0.0577) },
  { name: 'linear-poisson', label: 'Poisson GLM', family: 'learned', inner: inner(0.1626, 0.0372) },
];

describe('a challenger needs an inner window with enough purchases to judge its total', () => {
  it('the floor is where the Poisson error of the inner total, 1/√n, reaches the 5% tolerance: 400 purchases', () => {
    expect(MIN_INNER_PURCHASES).toBe(400);
  });

  it('15 days holding 234 repeat purchases: BG/NBD stays, and the reason names the rule with the window’s figures', () => {
    const { winner, reason } = chooseHonestWinner(candidates, bgnbd, 'BG/NBD has the smallest error', window(234));
    expect(winner.name).toBe('bgnbd');
    expect(reason).toBe(
      'BG/NBD stays: the inner window (2022-02-01 → 2022-02-16, 15 days, 234 repeat purchases) holds too few purchases to judge a challenger: ' +
        'its total is uncertain by ±6.5% (1/√234) alone, more than the ±5.0% a challenger’s total is judged within (400 purchases at least); ' +
        'the best challenger on MAE, GBT on BTYD (Poisson), has inner MAE 0.1570 against 0.1780 and its inner total off by -5.8%; ' +
        'among the BTYD models: BG/NBD has the smallest error',
    );
  });

  it('the same figures on a window of 400 purchases: the rule as before (the best on MAE within the allowance wins)', () => {
    const { winner, reason } = chooseHonestWinner(candidates, bgnbd, 'BG/NBD has the smallest error', window(400));
    expect(winner.name).toBe('gbt-btyd');
    expect(reason).toMatch(/^GBT on BTYD \(Poisson\) predicts the inner window \(2022-02-01 → 2022-02-16, 15 days\) with MAE 0\.1570, .* within the ±24\.5% allowed \(BG\/NBD's own inner total error\)$/);
  });

  it('too few purchases also keep an unconverged default against MBG/CNBD-k: no challenger may be judged', () => {
    const issue = 'inner fit: on the boundary: no dropout';
    const mbg: ChoiceCandidate = { name: 'mbgcnbd', label: 'MBG/CNBD-k', family: 'regularity', inner: inner(0.1, 0.01) };
    const { winner, reason } = chooseHonestWinner([{ ...bgnbd, fitIssue: issue }, mbg], { ...bgnbd, fitIssue: issue }, 'BG/NBD has the smallest error', window(120));
    expect(winner.name).toBe('bgnbd');
    expect(reason).toContain('holds too few purchases to judge a challenger');
    expect(reason).toContain(`BG/NBD's fits did not converge (${issue}): it stays as the default`);
  });

  it('the report says why in plain words, not that BG/NBD predicted the window at least as well', () => {
    const metrics = (mae: number, totalRelativeError: number) => ({ mae, totalRelativeError, actualTotal: 234 });
    const holdout = { mae: 0.25, totalRelativeError: 0.1, gini: 0.6, decileMape: 0.2 };
    const text = explainTournamentChoice({
      chosen: 'bgnbd', reason: '', bestInHindsight: 'mbgcnbd', windows: { innerDays: 15 },
      candidates: [
        { label: 'BG/NBD', chosen: true, family: 'btyd', inner: metrics(0.178, 0.2449), holdout },
        { label: 'GBT on BTYD (Poisson)', chosen: false, family: 'learned', inner: metrics(0.157, -0.0577), holdout },
      ],
    }, undefined);
    expect(text).toMatch(/^BG\/NBD, a probabilistic \(BTYD\) model, stays: the last 15 days of the calibration data held only 234 repeat purchases, too few to judge a challenger — a total that small is uncertain by ±6\.5% by chance alone, more than the 5\.0% /);
    expect(text).not.toContain('at least as well');
  });
});
