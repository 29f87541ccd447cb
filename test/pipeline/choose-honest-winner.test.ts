import { describe, expect, it } from 'vitest';
import type { HoldoutMetrics } from '../../src/models/compute-holdout-metrics.js';
import { chooseHonestWinner, type ChoiceCandidate } from '../../src/pipeline/choose-honest-winner.js';

const inner = (mae: number, totalRelativeError: number) => ({ mae, totalRelativeError }) as unknown as HoldoutMetrics;
const WINDOW = { innerCutoff: '2023-07-04', calibrationEnd: '2023-10-02', innerDays: 90, innerPurchases: 5000 };
const LIMIT = 'the k search stopped at its limit, 48, with the likelihood still improving (k is a lower bound)';
const BOUNDARY = 'inner fit: not converged: the estimates run off to the boundary a/b → 0';

const bgnbd = (fitIssue?: string): ChoiceCandidate => ({ name: 'bgnbd', label: 'BG/NBD', family: 'btyd', inner: inner(0.5, -0.02), ...(fitIssue ? { fitIssue } : {}) });
const mbgcnbd = (fitIssue?: string): ChoiceCandidate => ({ name: 'mbgcnbd', label: 'MBG/CNBD-k', family: 'regularity', inner: inner(0.3, -0.01), ...(fitIssue ? { fitIssue } : {}) });
const gbt = (mae: number): ChoiceCandidate => ({ name: 'gbt-poisson', label: 'GBT (Poisson)', family: 'learned', inner: inner(mae, 0.01) });

/** One rule for every candidate: a model whose fits did not converge (inner or final, or MBG/CNBD-k's k search at its limit) never replaces one whose fits converged. */
describe('the honest choice passes over candidates whose fits did not converge', () => {
  it('MBG/CNBD-k at the k search’s limit does not win over a converged BTYD model, however low its inner MAE, and the reason says why', () => {
    const candidates = [bgnbd(), mbgcnbd(LIMIT)];
    const { winner, reason } = chooseHonestWinner(candidates, candidates[0]!, 'BG/NBD has the smallest error', WINDOW);
    expect(winner.name).toBe('bgnbd');
    expect(reason).toMatch(/^BG\/NBD stays/);
    expect(reason).toContain(`passed over for fits that did not converge: MBG/CNBD-k (MAE 0.3000; ${LIMIT})`);
  });

  it('a converged challenger behind it wins instead, and the reason names the one passed over', () => {
    const candidates = [bgnbd(), mbgcnbd(LIMIT), gbt(0.4)];
    const { winner, reason } = chooseHonestWinner(candidates, candidates[0]!, 'BG/NBD has the smallest error', WINDOW);
    expect(winner.name).toBe('gbt-poisson');
    expect(reason).toMatch(/^GBT \(Poisson\) predicts the inner window .* MAE 0\.4000, more than 1% below the best BTYD model BG\/NBD \(0\.5000\)/);
    expect(reason).toContain('passed over for fits that did not converge: MBG/CNBD-k');
  });

  it('MBG/CNBD-k without converging replaces a BTYD default that did not converge either, and the reason names both issues', () => {
    const candidates = [bgnbd(BOUNDARY), mbgcnbd(LIMIT)];
    const { winner, reason } = chooseHonestWinner(candidates, candidates[0]!, 'BG/NBD has the smallest error', WINDOW);
    expect(winner.name).toBe('mbgcnbd');
    expect(reason).toMatch(/^MBG\/CNBD-k predicts the inner window/);
    expect(reason).toContain(`its fits did not converge (${LIMIT}), nor did BG/NBD's (${BOUNDARY})`);
  });

  it('… also beside a converged challenger that does not beat the default (the alternative to MBG/CNBD-k is the unconverged default)', () => {
    const candidates = [bgnbd(BOUNDARY), mbgcnbd(LIMIT), gbt(0.499)];
    const { winner } = chooseHonestWinner(candidates, candidates[0]!, 'BG/NBD has the smallest error', WINDOW);
    expect(winner.name).toBe('mbgcnbd');
  });

  it('… but never ahead of a converged challenger that beats the default', () => {
    const candidates = [bgnbd(BOUNDARY), mbgcnbd(LIMIT), gbt(0.4)];
    const { winner, reason } = chooseHonestWinner(candidates, candidates[0]!, 'BG/NBD has the smallest error', WINDOW);
    expect(winner.name).toBe('gbt-poisson');
    expect(reason).not.toContain('nor did');
    expect(reason).toContain(`passed over for fits that did not converge: MBG/CNBD-k (MAE 0.3000; ${LIMIT})`);
  });

  it('a BTYD model that stays without converging says so (it is the default, kept as a fallback)', () => {
    const candidates = [bgnbd(BOUNDARY), gbt(0.499)];
    const { winner, reason } = chooseHonestWinner(candidates, candidates[0]!, 'BG/NBD has the smallest error', WINDOW);
    expect(winner.name).toBe('bgnbd');
    expect(reason).toMatch(/^BG\/NBD stays: the best other eligible candidate, GBT \(Poisson\), has inner MAE 0\.4990/);
    expect(reason).toContain(`BG/NBD's fits did not converge (${BOUNDARY}): it stays as the default because no challenger beat it`);
  });

  it('converged candidates: the rule as before (a challenger must be more than 1% better and get the total right)', () => {
    const candidates = [bgnbd(), mbgcnbd(), gbt(0.2)];
    candidates[2] = { ...candidates[2]!, inner: inner(0.2, -0.3) };
    const { winner, reason } = chooseHonestWinner(candidates, candidates[0]!, 'BG/NBD has the smallest error', WINDOW);
    expect(winner.name).toBe('mbgcnbd');
    expect(reason).toContain('not eligible for missing the inner total by more than 5.0%: GBT (Poisson) (MAE 0.2000, total -30.0%)');
    expect(reason).not.toContain('converge');
  });
});
