/**
 * Regression (Online Retail in weeks): the BG/NBD refit on all data was called "interior and converged" in analyze's
 * model line, and no warning said that its dropout rested on a log-likelihood 0.09 above the NBD's (a = 0.0031, 95%
 * interval [4e-6, 2.3]). The fit is now the NBD limit (fit-boundary.ts limitNotBeatenByInterior); the warning names
 * the difference and the bound and that P(alive) is not identified, and the model line says the refit is no better
 * than its limit where the calibration fits were interior.
 */
import { describe, expect, it } from 'vitest';
import { runWords } from '../../src/core/run-words.js';
import { describeModelChoice } from '../../src/pipeline/describe-model-choice.js';
import { valueModelWarnings, wideParameterIntervalsWarning } from '../../src/pipeline/stages/value-stage.js';
import type { ValueModelCard } from '../../src/pipeline/value-step.js';

const settled = { converged: true, message: 'converged', iterations: 10, gradientNorm: 1e-9, starts: 3, startsConverged: 1 };
const atNbd = {
  ...settled,
  converged: false,
  boundary: { parameters: ['a', 'b'], limit: 'a/b → 0', meaning: 'no dropout: customers keep buying and never become inactive (the NBD model)', limitModel: 'NBD', limitConverged: true, likelihoodRatio: { interiorLogLikelihood: -37459.81, difference: 0.091, threshold: 1.92 } },
};
const card = { final: { model: 'bgnbd', fit: atNbd }, reason: 'BG/NBD has the smallest per-customer holdout error', calibrationEnd: '2011-08-07', spend: { fit: settled, params: { p: 6, q: 4, gamma: 15 } } } as unknown as Pick<ValueModelCard, 'final' | 'reason' | 'spend' | 'calibrationEnd'>;

describe('a final fit no better than its no-dropout limit', () => {
  it('is warned about with the log-likelihood difference, the bound, and that P(alive) is not identified', () => {
    expect(valueModelWarnings(card, true, runWords(false))).toEqual([
      "the bgnbd fit on all data sits on a boundary of the parameter space: its interior optimum is only 0.09 above its limit's log-likelihood, less than 1.92 (the likelihood-ratio bound): these data do not identify dropout, nor P(alive) (p_alive is 1 under the limit, and the stages, not p_alive, tell who lapsed) — they are as well described by no dropout: customers keep buying and never become inactive (the NBD model); its limit (NBD) was fitted in its place and converged, so its predictions are that model's",
    ]);
  });

  it('is said in the model line: no better than its limit, not "run off to a boundary"', () => {
    expect(describeModelChoice(card)).toBe('BG/NBD has the smallest per-customer holdout error; refitted on all data, its interior optimum is no better than its limit (see the warning)');
  });
});

describe('CLV intervals drawn from a parameter whose 95% interval spans orders of magnitude', () => {
  const interior = (a: readonly [number, number]) =>
    ({ final: { model: 'bgnbd', params: { r: 0.82, alpha: 9.87, a: 0.0031, b: 7.25 }, intervals95: { r: [0.77, 0.88], alpha: [9.16, 10.6], a, b: [0.0066, 7950] }, fit: settled }, clv: { intervalDraws: 100, intervalLevel: 0.9 } }) as unknown as Pick<ValueModelCard, 'final' | 'clv'>;

  it('are flagged, naming the parameters and how many orders of magnitude their intervals span', () => {
    // Online Retail's interior BG/NBD (before the likelihood-ratio rule made it the NBD): a [4.2e-6, 2.28], b [0.0066, 7,950]
    expect(wideParameterIntervalsWarning(interior([4.2e-6, 2.28]))).toBe(
      'the CLV intervals (predicted_clv_12m_low, _high) are drawn from the bgnbd fit on all data whose 95% intervals span 5.7 orders of magnitude for a, 6.1 for b: the normal approximation they are drawn from says little there; read them as a rough range',
    );
  });

  it('say nothing when every interval is within 3 orders of magnitude, or no intervals were drawn', () => {
    expect(wideParameterIntervalsWarning({ ...interior([0.001, 0.01]), final: { ...interior([0.001, 0.01]).final, intervals95: { r: [0.77, 0.88], alpha: [9.16, 10.6], a: [0.001, 0.01], b: [1, 20] } } } as never)).toBeNull();
    expect(wideParameterIntervalsWarning({ ...interior([4.2e-6, 2.28]), clv: { intervalDraws: 0, intervalLevel: 0.9 } } as never)).toBeNull();
  });
});
