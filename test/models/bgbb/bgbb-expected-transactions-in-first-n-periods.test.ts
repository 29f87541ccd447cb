import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors/user-error.js';
import { fitBgBb, predictBgBbExpectedTransactions, type BgBbData, type BgBbParams } from '../../../src/models/bgbb/bgbb.js';
import { bgbbExpectedTransactionsInFirstNPeriods } from '../../../src/models/bgbb/bgbb-expected-transactions-in-first-n-periods.js';
import { createGaussLegendreRule } from '../../../src/math/gauss-legendre.js';
import { betaln } from '../../../src/math/special-functions.js';

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

/**
 * P(X(n) = x) for fixed (p, θ) by dynamic programming over the n
 * opportunities (state: alive or not, transactions so far), mixed over
 * Beta(α, β) × Beta(γ, δ) by Gauss-Legendre quadrature on [0, 1]²: an
 * enumeration that shares nothing with FHS eq. 7.
 */
function enumeratedCountDistribution(params: BgBbParams, n: number): Float64Array {
  const { alpha, beta, gamma, delta } = params;
  const rule = createGaussLegendreRule(64);
  const out = new Float64Array(n + 1);
  const lbAB = betaln(alpha, beta), lbGD = betaln(gamma, delta);
  for (let i = 0; i < rule.nodes.length; i++) {
    const p = (rule.nodes[i] + 1) / 2;
    const wp = (rule.weights[i] / 2) * Math.exp((alpha - 1) * Math.log(p) + (beta - 1) * Math.log1p(-p) - lbAB);
    for (let j = 0; j < rule.nodes.length; j++) {
      const theta = (rule.nodes[j] + 1) / 2;
      const wt = (rule.weights[j] / 2) * Math.exp((gamma - 1) * Math.log(theta) + (delta - 1) * Math.log1p(-theta) - lbGD);
      // alive[c], dead[c]: probability of c transactions so far and being alive / dead
      let alive = new Float64Array(n + 1), dead = new Float64Array(n + 1);
      alive[0] = 1;
      for (let period = 0; period < n; period++) {
        const nextAlive = new Float64Array(n + 1), nextDead = Float64Array.from(dead);
        for (let c = 0; c <= period; c++) {
          nextDead[c] += alive[c] * theta; // dies at the start of the opportunity
          nextAlive[c] += alive[c] * (1 - theta) * (1 - p);
          nextAlive[c + 1] += alive[c] * (1 - theta) * p;
        }
        alive = nextAlive;
        dead = nextDead;
      }
      for (let c = 0; c <= n; c++) out[c] += wp * wt * (alive[c] + dead[c]);
    }
  }
  return out;
}

describe('bgbbExpectedTransactionsInFirstNPeriods', () => {
  const data = loadDonations();
  const fit = fitBgBb(data);

  it("reproduces Hardie's in-sample fit sheet on the donations (cells C18, C24: 3454.9 and 1253.1 donors with 0 and 6 repeat donations)", () => {
    // lifetimes' test_expected_purchases_in_n_periods_returns_same_value_as_Hardie_excel_sheet, decimal = 0
    const got = bgbbExpectedTransactionsInFirstNPeriods(fit.params, 6, fit.n);
    expect(got.expectedCustomers.length).toBe(7);
    expect(Math.abs(got.expectedCustomers[0] - 3454.9), `x = 0: ${got.expectedCustomers[0]}`).toBeLessThan(0.15);
    expect(Math.abs(got.expectedCustomers[6] - 1253.1), `x = 6: ${got.expectedCustomers[6]}`).toBeLessThan(0.15);
    let total = 0;
    for (const c of got.expectedCustomers) total += c;
    expect(Math.abs(total - 11_104)).toBeLessThan(1e-8);
  });

  it('agrees with an exact enumeration of the opportunities mixed over the Beta densities (1e-10)', () => {
    const cases: BgBbParams[] = [
      // whole-number shapes: the mixed integrands are polynomials, which the 64-point rule integrates exactly
      { alpha: 2, beta: 3, gamma: 2, delta: 4 },
      { alpha: 3, beta: 1, gamma: 1, delta: 6 },
    ];
    for (const params of cases) {
      for (const n of [1, 2, 5]) {
        const expected = enumeratedCountDistribution(params, n);
        const got = bgbbExpectedTransactionsInFirstNPeriods(params, n).probability;
        for (let x = 0; x <= n; x++) {
          expect(Math.abs(got[x] - expected[x]), `${JSON.stringify(params)} n ${n} x ${x}: ${got[x]} vs ${expected[x]}`).toBeLessThan(1e-10);
        }
      }
    }
  });

  it('has mean Σ x P(X(n) = x) equal to E[X(n)] of eq. 8, and the cumulative means rise with k', () => {
    const got = bgbbExpectedTransactionsInFirstNPeriods(fit.params, 10);
    let mean = 0;
    for (let x = 0; x <= 10; x++) mean += x * got.probability[x];
    expect(Math.abs(mean - got.expectedTransactions[9])).toBeLessThan(1e-12);
    expect(got.expectedTransactions[0]).toBeCloseTo(predictBgBbExpectedTransactions(fit.params, 1), 14);
    for (let k = 1; k < 10; k++) expect(got.expectedTransactions[k]).toBeGreaterThan(got.expectedTransactions[k - 1]);
  });

  it('n = 0: one customer with no transactions; invalid n or customers throw UserError', () => {
    const zero = bgbbExpectedTransactionsInFirstNPeriods(fit.params, 0, 5);
    expect(Array.from(zero.expectedCustomers)).toEqual([5]);
    expect(zero.expectedTransactions.length).toBe(0);
    expect(() => bgbbExpectedTransactionsInFirstNPeriods(fit.params, 2.5)).toThrow(UserError);
    expect(() => bgbbExpectedTransactionsInFirstNPeriods(fit.params, -1)).toThrow(UserError);
    expect(() => bgbbExpectedTransactionsInFirstNPeriods(fit.params, 3, -2)).toThrow(UserError);
  });
});
