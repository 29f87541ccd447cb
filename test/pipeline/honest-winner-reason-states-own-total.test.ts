/**
 * The honest tournament's reason for a challenger that wins names the challenger's own inner total error beside the
 * tolerance it had to meet. Regression: Online Retail's reason read "MBG/CNBD-k … and its total within 17.1%", where
 * 17.1% was the tolerance (the BTYD model's own total error) and MBG/CNBD-k's total was off by −3.1%.
 */
import { describe, expect, it } from 'vitest';
import type { HoldoutMetrics } from '../../src/models/compute-holdout-metrics.js';
import { chooseHonestWinner, type ChoiceCandidate } from '../../src/pipeline/choose-honest-winner.js';

const inner = (mae: number, totalRelativeError: number) => ({ mae, totalRelativeError }) as unknown as HoldoutMetrics;
const WINDOW = { innerCutoff: '2011-03-03', calibrationEnd: '2011-06-01', innerDays: 90, innerPurchases: 5000 };

describe('the honest winner’s reason states its own total error beside the tolerance', () => {
  it('a tolerance widened to the BTYD model’s own error: both figures, each named', () => {
    const btyd: ChoiceCandidate = { name: 'bgnbd', label: 'BG/NBD', family: 'btyd', inner: inner(0.5, 0.171) };
    const mbg: ChoiceCandidate = { name: 'mbgcnbd', label: 'MBG/CNBD-k', family: 'regularity', inner: inner(0.3, -0.031) };
    const { winner, reason } = chooseHonestWinner([btyd, mbg], btyd, 'BG/NBD has the smallest error', WINDOW);
    expect(winner.name).toBe('mbgcnbd');
    expect(reason).toBe(
      `MBG/CNBD-k predicts the inner window (2011-03-03 → 2011-06-01, 90 days) with MAE 0.3000, more than 1% below the best BTYD model BG/NBD (0.5000), and its inner total off by -3.1%, within the ±17.1% allowed (BG/NBD's own inner total error)`,
    );
  });

  it('the default tolerance: the challenger’s figure and the 5%', () => {
    const btyd: ChoiceCandidate = { name: 'bgnbd', label: 'BG/NBD', family: 'btyd', inner: inner(0.5, -0.02) };
    const gbt: ChoiceCandidate = { name: 'gbt-poisson', label: 'GBT (Poisson)', family: 'learned', inner: inner(0.4, 0.012) };
    const { reason } = chooseHonestWinner([btyd, gbt], btyd, 'BG/NBD has the smallest error', WINDOW);
    expect(reason).toMatch(/and its inner total off by \+1\.2%, within the ±5\.0% allowed$/);
  });
});
