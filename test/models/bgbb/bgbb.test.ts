import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors/user-error.js';
import { betaln } from '../../../src/math/special-functions.js';
import {
  computeBgBbCustomerLogLikelihood,
  computeBgBbLogLikelihood,
  computeBgBbLogLikelihoods,
  createBgBbProblem,
  fitBgBb,
  predictBgBbConditionalTransactions,
  predictBgBbConditionalTransactionsAll,
  predictBgBbExpectedTransactions,
  predictBgBbProbabilityAlive,
  predictBgBbProbabilityAliveAll,
  predictBgBbTransactionCountProbability,
  type BgBbData,
  type BgBbParams,
} from '../../../src/models/bgbb/bgbb.js';

/** FHS (2010) estimates on the 1995 donor cohort. */
const PUBLISHED: BgBbParams = { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 };
const KEYS = ['alpha', 'beta', 'gamma', 'delta'] as const;

function loadDonations(): BgBbData {
  const text = readFileSync(new URL('../../fixtures/donations/donations.csv', import.meta.url), 'utf8');
  const rows = text.trim().split('\n').slice(1).map((line) => line.split(',').map(Number));
  return {
    frequency: Float64Array.from(rows, (r) => r[0]),
    recency: Float64Array.from(rows, (r) => r[1]),
    periods: Float64Array.from(rows, (r) => r[2]),
    weight: Float64Array.from(rows, (r) => r[3]),
  };
}

/** one row per donor */
function expand(data: BgBbData): BgBbData {
  const f: number[] = [], r: number[] = [], n: number[] = [];
  for (let i = 0; i < data.frequency.length; i++) {
    for (let k = 0; k < data.weight[i]; k++) {
      f.push(data.frequency[i]);
      r.push(data.recency[i]);
      n.push(data.periods[i]);
    }
  }
  return { frequency: Float64Array.from(f), recency: Float64Array.from(r), periods: Float64Array.from(n), weight: new Float64Array(f.length).fill(1) };
}

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

/** direct transcription of FHS eq. 5 with betaln, for cross-checking the table-based evaluation */
function directLogLikelihood(p: BgBbParams, x: number, tx: number, n: number): number {
  const { alpha, beta, gamma, delta } = p;
  let total = Math.exp(betaln(alpha + x, beta + n - x) - betaln(alpha, beta) + betaln(gamma, delta + n) - betaln(gamma, delta));
  for (let i = 0; i <= n - tx - 1; i++) {
    total += Math.exp(betaln(alpha + x, beta + tx - x + i) - betaln(alpha, beta) + betaln(gamma + 1, delta + tx + i) - betaln(gamma, delta));
  }
  return Math.log(total);
}

describe('BG/BB on the donations data (Fader, Hardie & Shang 2010)', () => {
  const data = loadDonations();
  const fit = fitBgBb(data);

  it('has 11,104 donors in 22 tuples', () => {
    expect(data.frequency.length).toBe(22);
    expect(fit.n).toBe(11_104);
  });

  it('reproduces the published log-likelihood −33,225.6 at the published estimates', () => {
    const ll = computeBgBbLogLikelihood(PUBLISHED, data);
    expect(Math.abs(ll - -33_225.6), `log-likelihood ${ll}`).toBeLessThan(0.1);
  });

  it('reproduces the published estimates to 3 significant figures and log-likelihood ± 0.1', () => {
    expect(fit.fit.converged, fit.fit.message).toBe(true);
    for (const key of KEYS) {
      const got = fit.params[key];
      expect(Number(got.toPrecision(3)), `${key}: published ${PUBLISHED[key]}, fitted ${got}`).toBe(Number(PUBLISHED[key].toPrecision(3)));
      expect(relativeError(got, PUBLISHED[key]), key).toBeLessThan(1e-3);
    }
    expect(Math.abs(fit.logLikelihood - -33_225.6)).toBeLessThan(0.1);
  });

  it('reproduces the published P(alive next period) 0.11, 0.59, 0.93 for (x, t_x) = (0, 0), (2, 4), (6, 6), n = 6', () => {
    const cases: Array<[number, number, string]> = [[0, 0, '0.11'], [2, 4, '0.59'], [6, 6, '0.93']];
    for (const p of [PUBLISHED, fit.params]) {
      for (const [x, tx, expected] of cases) {
        const got = predictBgBbProbabilityAlive(p, x, tx, 6);
        expect(got.toFixed(2), `(${x}, ${tx}, 6): ${got}`).toBe(expected);
      }
    }
  });

  it('gives the same estimates per donor (11,104 rows) as on the compressed tuples', () => {
    const perDonor = fitBgBb(expand(data));
    for (const key of KEYS) {
      expect(relativeError(perDonor.params[key], fit.params[key]), key).toBeLessThan(1e-6);
      expect(relativeError(perDonor.stdErrors[key], fit.stdErrors[key]), key).toBeLessThan(1e-4);
    }
    expect(Math.abs(perDonor.logLikelihood - fit.logLikelihood)).toBeLessThan(1e-6);
  });
});

describe('BG/BB likelihood', () => {
  const params: BgBbParams[] = [PUBLISHED, { alpha: 0.05, beta: 20, gamma: 3, delta: 0.1 }, { alpha: 40, beta: 0.3, gamma: 1, delta: 50 }];
  const customers: Array<[number, number, number]> = [[0, 0, 6], [1, 1, 6], [2, 4, 6], [6, 6, 6], [0, 0, 1], [1, 1, 1], [3, 40, 100], [50, 100, 100], [0, 0, 200]];

  it('the table recurrences agree with the direct betaln formula (relative 1e-12)', () => {
    for (const p of params) {
      for (const [x, tx, n] of customers) {
        const got = computeBgBbCustomerLogLikelihood(p, x, tx, n);
        const expected = directLogLikelihood(p, x, tx, n);
        expect(Math.abs(got - expected) / Math.max(1, Math.abs(expected)), `${JSON.stringify(p)} (${x}, ${tx}, ${n}): ${got} vs ${expected}`).toBeLessThan(1e-12);
      }
    }
  });

  it('sums to 1 over all possible histories of n opportunities', () => {
    for (const p of params) {
      let total = 0;
      const n = 6;
      for (let x = 0; x <= n; x++) {
        for (let tx = x === 0 ? 0 : x; tx <= (x === 0 ? 0 : n); tx++) {
          // L is the probability of one specific sequence; C(t_x−1, x−1) sequences share (x, t_x)
          const sequences = x === 0 ? 1 : Math.exp(betaln(1, 1) - Math.log(tx) - betaln(x, tx - x + 1));
          total += sequences * Math.exp(computeBgBbCustomerLogLikelihood(p, x, tx, n));
        }
      }
      expect(Math.abs(total - 1), JSON.stringify(p)).toBeLessThan(1e-12);
    }
  });

  it('analytic gradient matches central finite differences (Richardson) to 1e-5', () => {
    const data: BgBbData = {
      frequency: Float64Array.from(customers, (c) => c[0]),
      recency: Float64Array.from(customers, (c) => c[1]),
      periods: Float64Array.from(customers, (c) => c[2]),
      weight: Float64Array.from(customers, (_, i) => 1 + i),
    };
    const problem = createBgBbProblem(data);
    const value = (z: Float64Array) => problem.logLikelihood(z, new Float64Array(4));
    for (const p of params) {
      const z = Float64Array.of(Math.log(p.alpha), Math.log(p.beta), Math.log(p.gamma), Math.log(p.delta));
      const analytic = new Float64Array(4);
      problem.logLikelihood(z, analytic);
      const scale = Math.max(...Array.from(analytic, Math.abs));
      for (let k = 0; k < 4; k++) {
        const difference = (h: number) => {
          const up = Float64Array.from(z), down = Float64Array.from(z);
          up[k] += h;
          down[k] -= h;
          return (value(up) - value(down)) / (2 * h);
        };
        const numeric = (4 * difference(5e-4) - difference(1e-3)) / 3;
        const err = Math.abs(analytic[k] - numeric) / Math.max(Math.abs(numeric), 1e-3 * scale);
        expect(err, `${JSON.stringify(p)} d/dlog ${problem.paramNames[k]}: ${analytic[k]} vs ${numeric}`).toBeLessThan(1e-5);
      }
    }
  });

  it('rejects invalid data with UserError and invalid rows with NaN', () => {
    const bad = (x: number, tx: number, n: number): BgBbData => ({ frequency: Float64Array.of(x), recency: Float64Array.of(tx), periods: Float64Array.of(n), weight: Float64Array.of(1) });
    expect(() => fitBgBb(bad(3, 2, 6))).toThrow(UserError); // x > t_x
    expect(() => fitBgBb(bad(0, 2, 6))).toThrow(UserError); // t_x > 0 without transactions
    expect(() => fitBgBb(bad(1, 7, 6))).toThrow(UserError); // t_x > n
    expect(() => fitBgBb(bad(1.5, 2, 6))).toThrow(UserError);
    expect(() => fitBgBb({ ...bad(1, 2, 6), weight: Float64Array.of(-1) })).toThrow(UserError);
    expect(Array.from(computeBgBbLogLikelihoods(PUBLISHED, bad(3, 2, 6)))).toEqual([NaN]);
    expect(computeBgBbCustomerLogLikelihood({ ...PUBLISHED, delta: 0 }, 1, 1, 6)).toBeNaN();
  });
});

describe('BG/BB predictions', () => {
  const p = PUBLISHED;

  it('P(X(n) = x) sums to 1 with mean E[X(n)] (relative 1e-12)', () => {
    for (const n of [1, 6, 30]) {
      let total = 0, mean = 0;
      for (let x = 0; x <= n; x++) {
        const v = predictBgBbTransactionCountProbability(p, n, x);
        total += v;
        mean += x * v;
      }
      expect(Math.abs(total - 1)).toBeLessThan(1e-12);
      expect(relativeError(mean, predictBgBbExpectedTransactions(p, n))).toBeLessThan(1e-12);
    }
    expect(predictBgBbTransactionCountProbability(p, 6, 7)).toBe(0);
    expect(predictBgBbExpectedTransactions(p, 1)).toBeCloseTo((p.alpha / (p.alpha + p.beta)) * (p.delta / (p.gamma + p.delta)), 14);
  });

  it('conditional expectations equal the direct sum Σ_j B(α+x+1, β+n−x)B(γ, δ+n+j)/(B(α,β)B(γ,δ)L)', () => {
    for (const [x, tx] of [[0, 0], [2, 4], [6, 6]]) {
      for (const future of [1, 5, 20]) {
        let direct = 0;
        for (let j = 1; j <= future; j++) {
          direct += Math.exp(betaln(p.alpha + x + 1, p.beta + 6 - x) - betaln(p.alpha, p.beta) + betaln(p.gamma, p.delta + 6 + j) - betaln(p.gamma, p.delta));
        }
        direct /= Math.exp(directLogLikelihood(p, x, tx, 6));
        expect(relativeError(predictBgBbConditionalTransactions(p, future, x, tx, 6), direct), `(${x}, ${tx}) next ${future}`).toBeLessThan(1e-12);
      }
    }
    expect(predictBgBbConditionalTransactions(p, 0, 2, 4, 6)).toBe(0);
  });

  it('expectations are continuous through γ = 1 (the δ/(γ−1) form is 0/0 there)', () => {
    for (const gamma of [1 - 1e-9, 1 + 1e-9]) {
      expect(relativeError(predictBgBbExpectedTransactions({ ...p, gamma }, 6), predictBgBbExpectedTransactions({ ...p, gamma: 1 }, 6))).toBeLessThan(1e-8);
      expect(relativeError(predictBgBbConditionalTransactions({ ...p, gamma }, 10, 3, 5, 6), predictBgBbConditionalTransactions({ ...p, gamma: 1 }, 10, 3, 5, 6))).toBeLessThan(1e-8);
    }
  });

  it('P(alive next period) is in (0, 1], increases with recency, and vectorised versions agree', () => {
    const alive = [1, 2, 3, 4].map((tx) => predictBgBbProbabilityAlive(p, 1, tx, 6));
    for (let i = 1; i < alive.length; i++) expect(alive[i]).toBeGreaterThan(alive[i - 1]);
    const data = loadDonations();
    const all = predictBgBbProbabilityAliveAll(p, data);
    const conditional = predictBgBbConditionalTransactionsAll(p, 5, data);
    for (let i = 0; i < data.frequency.length; i++) {
      expect(all[i] > 0 && all[i] <= 1).toBe(true);
      expect(all[i]).toBe(predictBgBbProbabilityAlive(p, data.frequency[i], data.recency[i], data.periods[i]));
      expect(conditional[i]).toBe(predictBgBbConditionalTransactions(p, 5, data.frequency[i], data.recency[i], data.periods[i]));
    }
    expect(predictBgBbProbabilityAlive(p, 2, 1, 6)).toBeNaN();
  });
});
