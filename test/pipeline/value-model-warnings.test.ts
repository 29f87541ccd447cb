/**
 * What analyze says about its value models (value-stage.ts valueModelWarnings). Regression for the spend model: a
 * new-user trial's daily shop had Gamma-Gamma stop short (‖∇F‖ 2.2 per observation, p = 3e11, γ = 6e-10) while run.json's
 * warnings named only the purchase model, and the predicted CLV rested on that fit.
 */
import { describe, expect, it } from 'vitest';
import { valueModelWarnings } from '../../src/pipeline/stages/value-stage.js';
import type { ValueModelCard } from '../../src/pipeline/value-step.js';
import { ONE_SPEND_MEANING } from '../../src/models/gamma-gamma/one-spend-limit.js';
import { runWords } from '../../src/core/run-words.js';

const CLI = runWords(false);

const settled = { converged: true, message: 'converged: gradient infinity norm 1e-9 per observation ≤ 0.000001', iterations: 10, gradientNorm: 1e-9, starts: 3, startsConverged: 3 };
const card = (over: Partial<Record<'final' | 'reason' | 'spend', unknown>>) =>
  ({ final: { model: 'bgnbd', fit: settled }, reason: 'BG/NBD has the smallest per-customer holdout error', spend: { fit: settled, params: { p: 6, q: 4, gamma: 15 } }, ...over }) as unknown as Pick<ValueModelCard, 'final' | 'reason' | 'spend'>;

describe('valueModelWarnings', () => {
  it('says nothing when every fit converged', () => {
    expect(valueModelWarnings(card({}), false, CLI)).toEqual([]);
  });

  it('names a spend model that did not converge, with the estimates where it stopped', () => {
    const stopped = { ...settled, converged: false, message: 'not converged: gradient infinity norm 2.166 per observation > 0.000001 at the best of 3 starts (0 converged); more' };
    const warnings = valueModelWarnings(card({ spend: { fit: stopped, params: { p: 2.97e11, q: 3.1, gamma: 6e-10 } } }), false, CLI);
    expect(warnings).toEqual([
      'the spend model (Gamma-Gamma) did not converge (not converged: gradient infinity norm 2.166 per observation > 0.000001 at the best of 3 starts (0 converged)): the spend per purchase, and the predicted CLV built on it, rest on the estimates where its optimiser stopped (p = 297000000000, q = 3.1, gamma = 6e-10): treat them with care',
    ]);
  });

  it('a purchase fit that did not converge, and one settled on a boundary (pointing to MBG/CNBD-k only without the tournament)', () => {
    const stopped = { ...settled, converged: false, message: 'not converged: the budget was used up' };
    expect(valueModelWarnings(card({ final: { model: 'paretonbd', fit: stopped } }), false, CLI)[0]).toBe('the paretonbd fit on all data did not converge (not converged: the budget was used up): treat its scores with care');
    const boundary = { ...settled, converged: false, boundary: { parameters: ['a', 'b', 'r', 'alpha'], limit: '…', meaning: 'no dropout and no heterogeneity', limitModel: 'Poisson', limitConverged: true } };
    expect(valueModelWarnings(card({ final: { model: 'bgnbd', fit: boundary } }), false, CLI)[0]).toMatch(/sits on a boundary .* its limit \(Poisson\) was fitted in its place and converged, so its predictions are that model's; customers who keep buying at a steady pace are what MBG\/CNBD-k describes/);
    expect(valueModelWarnings(card({ final: { model: 'bgnbd', fit: boundary } }), true, CLI)[0]).not.toMatch(/MBG\/CNBD-k/);
  });

  it('the pointer to MBG/CNBD-k names the setting that runs it in the words of the run: the flag, or the field of POST /api/runs', () => {
    const boundary = { ...settled, converged: false, boundary: { parameters: ['a', 'b', 'r', 'alpha'], limit: '…', meaning: 'no dropout and no heterogeneity', limitModel: 'Poisson', limitConverged: true } };
    expect(valueModelWarnings(card({ final: { model: 'bgnbd', fit: boundary } }), false, CLI)[0]).toMatch(/describes: --learned-tournament runs it \(and the learned models\)/);
    const api = valueModelWarnings(card({ final: { model: 'bgnbd', fit: boundary } }), false, runWords(true))[0]!;
    expect(api).toMatch(/describes: "learnedTournament": true runs it \(and the learned models\)/);
    expect(api).not.toContain('--');
  });

  it('a spend model settled on its boundary (everyone always spends their own mean) is named, without "did not converge"', () => {
    const boundary = { ...settled, converged: false, boundary: { parameters: ['p', 'gamma'], limit: 'p → ∞, gamma → 0 with p·gamma fixed', meaning: ONE_SPEND_MEANING, limitModel: 'Inverse-Gamma mean spends (each customer always spends their own mean)', limitConverged: true } };
    expect(valueModelWarnings(card({ spend: { fit: boundary, params: { p: 1e8, q: 3.03, gamma: 0.001 } } }), false, CLI)).toEqual([
      `the spend model (Gamma-Gamma) sits on a boundary of the parameter space: the data show ${ONE_SPEND_MEANING}; its limit (Inverse-Gamma mean spends (each customer always spends their own mean)) was fitted in its place and converged, so each repeat buyer's expected spend per purchase is their own mean spend, not drawn towards the shop's`,
    ]);
  });
});
