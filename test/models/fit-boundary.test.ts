import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/math/random.js';
import { compressRfm, withPositiveAge } from '../../src/models/compress-rfm.js';
import type { RfmData } from '../../src/models/model-types.js';
import { fitPoisson, POISSON_SHAPE } from '../../src/models/nbd/nbd.js';
import { PURCHASE_MODELS, PURCHASE_MODEL_NAMES, type PurchaseFit } from '../../src/models/btyd/purchase-models.js';
import { computeParetoNbdLogLikelihood, predictParetoNbdExpectedPurchases, predictParetoNbdPurchaseCountProbability } from '../../src/models/paretonbd/paretonbd.js';
import { createParetoNbdPoissonLimitProblem, fitParetoNbdPoissonLimit } from '../../src/models/paretonbd/paretonbd-poisson-limit.js';
import { simulateParetoNbd } from '../../src/models/paretonbd/simulate-paretonbd.js';
import { simulateBgNbd } from '../../src/models/bgnbd/simulate-bgnbd.js';
import { maxGradientError } from './model-test-helpers.js';

/**
 * Customers who never drop out, observed for `weeks` weeks from their first
 * purchase at a random day of the first half; each buys as a Poisson process
 * with rate λ ~ Gamma(shape, rate) per week (shape = Infinity: every λ = mean).
 */
function simulateNoDropout(seed: number, customers: number, shape: number, meanRate: number, weeks = 52): RfmData {
  const random = createRandom(seed);
  const frequency = new Float64Array(customers), recency = new Float64Array(customers), T = new Float64Array(customers);
  for (let i = 0; i < customers; i++) {
    const lambda = shape === Infinity ? meanRate : random.gamma(shape, meanRate / shape);
    const age = weeks * (0.5 + 0.5 * random.uniform());
    let t = 0, x = 0, last = 0;
    for (;;) {
      t += random.exponential(lambda);
      if (t > age) break;
      x++;
      last = t;
    }
    frequency[i] = x;
    recency[i] = last;
    T[i] = age;
  }
  return compressRfm({ frequency, recency, T, weight: new Float64Array(customers).fill(1) }).tuples;
}

function expectFiniteScores(name: (typeof PURCHASE_MODEL_NAMES)[number], fitted: PurchaseFit, data: RfmData): void {
  const model = PURCHASE_MODELS[name];
  const alive = model.probabilityAliveAll(fitted, data);
  const expected = model.conditionalPurchasesAll(fitted, 13, data);
  const next = model.timeToNextPurchaseAll(fitted, 0.5, data);
  for (let i = 0; i < alive.length; i++) {
    expect(alive[i]).toBeGreaterThanOrEqual(0);
    expect(alive[i]).toBeLessThanOrEqual(1);
    expect(Number.isFinite(expected[i]) && expected[i]! >= 0).toBe(true);
    expect(next[i]! >= 0).toBe(true);
  }
}

describe('fits on the boundary of the parameter space', () => {
  it.each(PURCHASE_MODEL_NAMES)('%s on steady Poisson buyers (no heterogeneity, no dropout): the Poisson limit, flagged', (name) => {
    const data = withPositiveAge(simulateNoDropout(11, 400, Infinity, 0.25));
    const fitted = PURCHASE_MODELS[name].fit(data, { timeBudgetMs: 20_000 });
    expect(fitted.fit.converged).toBe(false);
    expect(fitted.fit.boundary?.limitModel).toBe('Poisson');
    expect(fitted.fit.boundary?.parameters).toEqual(expect.arrayContaining(['r', 'alpha']));
    expect(fitted.fit.message).toMatch(/no dropout and no heterogeneity/);
    // λ = r/α is the Poisson MLE Σx/ΣT, the log-likelihood the Poisson's
    const poisson = fitPoisson(data);
    expect(fitted.params.r).toBe(POISSON_SHAPE);
    expect(fitted.params.r! / fitted.params.alpha!).toBeCloseTo(poisson.lambda, 12);
    expect(fitted.logLikelihood).toBeCloseTo(poisson.logLikelihood, 8);
    expect(fitted.params[name === 'paretonbd' ? 's' : 'a']).toBe(0);
    expectFiniteScores(name, fitted, data);
    // no dropout: everyone alive, expected purchases λ·t
    expect(PURCHASE_MODELS[name].probabilityAliveAll(fitted, data).every((p) => p === 1)).toBe(true);
    expect(PURCHASE_MODELS[name].conditionalPurchasesAll(fitted, 13, data)[0]).toBeCloseTo(poisson.lambda * 13, 6);
  });

  it.each(PURCHASE_MODEL_NAMES)('%s on heterogeneous buyers who never drop out: the NBD limit with r near the truth', (name) => {
    const data = withPositiveAge(simulateNoDropout(12, 3000, 2, 0.2));
    const fitted = PURCHASE_MODELS[name].fit(data, { timeBudgetMs: 20_000 });
    expect(fitted.fit.boundary?.limitModel).toBe('NBD');
    expect(fitted.fit.boundary?.meaning).toMatch(/no dropout/);
    expect(fitted.params.r).toBeGreaterThan(1.4);
    expect(fitted.params.r).toBeLessThan(2.8);
    expect(fitted.params.r! / fitted.params.alpha!).toBeCloseTo(0.2, 1);
    expectFiniteScores(name, fitted, data);
  });
});

describe('the Pareto/NBD no-heterogeneity limit (one Poisson rate, Gamma-exponential lifetimes)', () => {
  const customers = 3000;
  const T = new Float64Array(customers).map((_, i) => 30 + (i % 23));
  const data = withPositiveAge(compressRfm(simulateParetoNbd({ r: 1e7, alpha: 1e7 / 0.3, s: 1.5, beta: 20 }, { customers, T, seed: 5 })).tuples);
  const problem = createParetoNbdPoissonLimitProblem(data);
  const z = Float64Array.of(Math.log(0.3), Math.log(1.5), Math.log(20));

  it('is the limit of the Pareto/NBD log-likelihood as r, α → ∞ with r/α = λ', () => {
    const limit = problem.logLikelihood(z, new Float64Array(3));
    const at = (r: number) => computeParetoNbdLogLikelihood({ r, alpha: r / 0.3, s: 1.5, beta: 20 }, data);
    expect(Math.abs(at(1e7) - limit)).toBeLessThan(1e-4);
    expect(Math.abs(at(1e5) - limit)).toBeGreaterThan(Math.abs(at(1e7) - limit));
  });

  it('has an analytic gradient that matches finite differences', () => {
    expect(maxGradientError(problem, z).error).toBeLessThan(1e-5);
  });

  it('recovers the simulated λ, s, β and reports them in Pareto/NBD parameters', () => {
    const limit = fitParetoNbdPoissonLimit(data, { r: 1e4, alpha: 1e4 / 0.3, s: 1, beta: 10 })!;
    expect(limit.boundary.limitModel).toMatch(/one purchase rate/);
    expect(limit.params.r).toBe(POISSON_SHAPE);
    expect(limit.params.r! / limit.params.alpha!).toBeCloseTo(0.3, 2);
    expect(limit.params.s).toBeGreaterThan(1.2);
    expect(limit.params.s).toBeLessThan(1.9);
    expect(limit.params.beta).toBeGreaterThan(15);
    expect(limit.params.beta).toBeLessThan(26);
    expectFiniteScores('paretonbd', { params: limit.params, fit: limit }, data);
  });
});

describe('one dropout probability for everyone (a, b → ∞ with a/b fixed)', () => {
  it('BG/NBD on customers who share one dropout probability: stopped on the way, the limit with one dropout probability fitted in its place, finite scores', () => {
    const customers = 4000;
    const T = new Float64Array(customers).map((_, i) => 26 + (i % 27));
    const data = withPositiveAge(compressRfm(simulateBgNbd({ r: 1.5, alpha: 2.5, a: 6e6, b: 1e8 }, { customers, T, seed: 9 })).tuples);
    const fitted = PURCHASE_MODELS.bgnbd.fit(data, { timeBudgetMs: 20_000 });
    expect(fitted.fit.converged).toBe(false);
    expect(fitted.fit.boundary?.parameters).toEqual(['a', 'b']);
    expect(fitted.fit.boundary?.limitModel).toBe('BG/NBD with one dropout probability');
    expect(fitted.fit.boundary?.meaning).toMatch(/same probability/);
    // the limit's common dropout probability a/(a+b) ≈ 0.057
    expect(fitted.params.a! / (fitted.params.a! + fitted.params.b!)).toBeGreaterThan(0.04);
    expect(fitted.params.a! / (fitted.params.a! + fitted.params.b!)).toBeLessThan(0.075);
    expectFiniteScores('bgnbd', fitted, data);
  });
});

describe('Pareto/NBD P(X(t) = n) at boundary estimates (s, β in the hundred thousands)', () => {
  it('sums to 1 and has mean E[X(t)], without a series of 10⁶ terms', () => {
    const params = { r: 1.95, alpha: 3.3, s: 14621, beta: 563268 };
    let sum = 0, mean = 0;
    for (let n = 0; n < 400; n++) {
      const p = predictParetoNbdPurchaseCountProbability(params, 30, n);
      sum += p;
      mean += n * p;
    }
    expect(Math.abs(sum - 1)).toBeLessThan(1e-9);
    expect(Math.abs(mean / predictParetoNbdExpectedPurchases(params, 30) - 1)).toBeLessThan(1e-8);
  });
});
