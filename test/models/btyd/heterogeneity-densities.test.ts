import { describe, expect, it } from 'vitest';
import { createGaussLegendreRule } from '../../../src/math/gauss-legendre.js';
import { betaDensity, gammaDensity } from '../../../src/math/probability-densities.js';
import { purchaseRateDensity } from '../../../src/models/btyd/purchase-rate-density.js';
import { dropoutRateDensity } from '../../../src/models/btyd/dropout-rate-density.js';
import { describeHeterogeneity } from '../../../src/models/btyd/heterogeneity-densities.js';
import { fitBgNbd } from '../../../src/models/bgnbd/bgnbd.js';
import { loadCdnowSummary } from '../cdnow-fixture.js';

/**
 * ∫_0^hi f(x) dx by 200-point Gauss-Legendre in u = log x on [1e-300, 1e-8],
 * [1e-8, 1e-2], [1e-2, hi] (the substitution absorbs x^{k−1} at 0 for shape k < 1;
 * below 1e-300 the mass is < 1e-20 for the shapes tested).
 */
function integrateLog(f: (x: number) => number, hi: number): number {
  const rule = createGaussLegendreRule(200);
  let total = 0;
  for (const [lo, up] of [[1e-300, 1e-8], [1e-8, 1e-2], [1e-2, hi]]) {
    const a = Math.log(lo), b = Math.log(up);
    for (let i = 0; i < rule.nodes.length; i++) {
      const x = Math.exp((a + b) / 2 + ((b - a) / 2) * rule.nodes[i]);
      total += ((b - a) / 2) * rule.weights[i] * f(x) * x;
    }
  }
  return total;
}

describe('purchaseRateDensity and dropoutRateDensity', () => {
  it('match the closed forms at a few points', () => {
    // Gamma(2, rate 3) at 1: 3²·1·e^{−3}/Γ(2)
    expect(purchaseRateDensity({ r: 2, alpha: 3 }, [1])[0]).toBeCloseTo(9 * Math.exp(-3), 14);
    // Gamma(1, rate 2) is the exponential: 2e^{−2x}
    const exponential = purchaseRateDensity({ r: 1, alpha: 2 }, [0, 0.5, 3]);
    expect(Array.from(exponential).map((v) => v.toPrecision(12))).toEqual([2, 2 * Math.exp(-1), 2 * Math.exp(-6)].map((v) => v.toPrecision(12)));
    // Gamma(0.5, rate 1) at 2: e^{−2}/(√2·√π)
    expect(purchaseRateDensity({ r: 0.5, alpha: 1 }, [2])[0]).toBeCloseTo(Math.exp(-2) / Math.sqrt(2 * Math.PI), 14);
    // Beta(2, 3) at 0.5: x(1−x)²/B(2, 3) = 0.5·0.25·12
    expect(dropoutRateDensity({ a: 2, b: 3 }, [0.5])[0]).toBeCloseTo(1.5, 14);
    // Beta(0.5, 0.5) at 0.25: 1/(π√(x(1−x)))
    expect(dropoutRateDensity({ a: 0.5, b: 0.5 }, [0.25])[0]).toBeCloseTo(1 / (Math.PI * Math.sqrt(0.25 * 0.75)), 13);
    // Pareto/NBD dropout: Gamma(s, β) of μ
    expect(dropoutRateDensity({ s: 2, beta: 3 }, [1])[0]).toBeCloseTo(9 * Math.exp(-3), 14);
    // BG/BB: Beta(α, β) of p and Beta(γ, δ) of θ
    const bgbb = { alpha: 2, beta: 3, gamma: 3, delta: 2 };
    expect(purchaseRateDensity(bgbb, [0.5])[0]).toBeCloseTo(1.5, 14);
    expect(dropoutRateDensity(bgbb, [0.25])[0]).toBeCloseTo(0.25 ** 2 * 0.75 * 12, 14);
  });

  it('integrate to 1 numerically (CDNOW-like shapes below 1 included)', () => {
    for (const [shape, rate] of [[0.243, 4.414], [0.553, 10.578], [2, 3], [30, 5]]) {
      const total = integrateLog((x) => gammaDensity(x, shape, rate), 200);
      expect(Math.abs(total - 1), `Gamma(${shape}, ${rate}): ${total}`).toBeLessThan(1e-8);
    }
    for (const [a, b] of [[0.793, 2.426], [2, 3], [0.657, 2.783], [5, 0.8]]) {
      // split at 1/2 so that both ends get the log substitution: Beta(a, b) at 1 − y is Beta(b, a) at y
      const total = integrateLog((x) => betaDensity(x, a, b), 0.5) + integrateLog((y) => betaDensity(y, b, a), 0.5);
      expect(Math.abs(total - 1), `Beta(${a}, ${b}): ${total}`).toBeLessThan(1e-8);
    }
  });

  it('are 0 outside the support, the limit at its edges, NaN for invalid shapes or the no-dropout boundary', () => {
    expect(gammaDensity(-1, 2, 3)).toBe(0);
    expect(gammaDensity(0, 0.5, 3)).toBe(Infinity);
    expect(gammaDensity(0, 3, 3)).toBe(0);
    expect(betaDensity(1.5, 2, 3)).toBe(0);
    expect(betaDensity(1, 2, 1)).toBeCloseTo(2, 14);
    expect(Number.isNaN(dropoutRateDensity({ a: 0, b: 2 }, [0.5])[0])).toBe(true);
    expect(Number.isNaN(dropoutRateDensity({ s: 0, beta: 2 }, [0.5])[0])).toBe(true);
    expect(Number.isNaN(purchaseRateDensity({ r: -1, alpha: 2 }, [0.5])[0])).toBe(true);
  });
});

describe('describeHeterogeneity (the model card block)', () => {
  /** Riemann sum of the grid: the grid cells are equal, so Σ density·width */
  const gridMass = (d: { x: readonly number[]; density: readonly number[] }) => d.density.reduce((sum, v) => sum + v, 0) * (2 * d.x[0]);

  it('BG/NBD: Gamma(r, α) of λ and Beta(a, b) of p, with means and grids that hold the mass', () => {
    const h = describeHeterogeneity({ r: 2, alpha: 3, a: 2, b: 3 }, 'week');
    expect(h.purchaseRate!.distribution).toBe('gamma');
    expect(h.purchaseRate!.parameters).toEqual({ shape: 2, rate: 3 });
    expect(h.purchaseRate!.mean).toBeCloseTo(2 / 3, 14);
    expect(h.purchaseRate!.label).toContain('per week');
    expect(h.dropout!.distribution).toBe('beta');
    expect(h.dropout!.mean).toBeCloseTo(0.4, 14);
    expect(Math.abs(gridMass(h.purchaseRate!) - 1)).toBeLessThan(0.01);
    expect(Math.abs(gridMass(h.dropout!) - 1)).toBeLessThan(0.01);
    const i = h.purchaseRate!.x.findIndex((x) => x > 1);
    expect(h.purchaseRate!.density[i]).toBeCloseTo(gammaDensity(h.purchaseRate!.x[i], 2, 3), 14);
    expect(JSON.parse(JSON.stringify(h))).toEqual(h);
  });

  it('no-heterogeneity boundary (r, α → ∞): no purchase-rate density but a note, never a grid of zeros or non-finite values (regression: the report chart crashed)', () => {
    // the estimates a steady, never-dropping-out shop runs off to (r/α fixed, both huge)
    const h = describeHeterogeneity({ r: 4.7e9, alpha: 3.4e10, a: 0, b: 1 }, 'week');
    expect(h.purchaseRate).toBeNull();
    expect(h.notes.join(' ')).toMatch(/no-heterogeneity boundary.*λ = 0\.138 per week/);
    expect(describeHeterogeneity({ r: 1e300, alpha: 1e300 }).purchaseRate).toBeNull();
    // just below the cut-off (CV 1.4%) the grid still meets the peak
    const narrow = describeHeterogeneity({ r: 5e3, alpha: 1e4 }).purchaseRate!;
    expect(narrow.density.every(Number.isFinite)).toBe(true);
    expect(Math.max(...narrow.density)).toBeGreaterThan(10);
  });

  it('Pareto/NBD: Gamma(s, β) of μ; BG/BB: two Betas; boundary fits: no dropout density, with a note', () => {
    const pareto = describeHeterogeneity({ r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 });
    expect(pareto.dropout!.symbol).toBe('μ');
    expect(pareto.dropout!.parameters).toEqual({ shape: 0.606, rate: 11.669 });
    const bgbb = describeHeterogeneity({ alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 });
    expect(bgbb.purchaseRate!.parameters).toEqual({ a: 1.204, b: 0.75 });
    expect(bgbb.dropout!.parameters).toEqual({ a: 0.657, b: 2.783 });
    const boundary = describeHeterogeneity({ r: 1, alpha: 2, a: 0, b: 3 });
    expect(boundary.dropout).toBeNull();
    expect(boundary.notes.join(' ')).toContain('no-dropout boundary');
    const nbd = describeHeterogeneity({ r: 1, alpha: 2 });
    expect(nbd.dropout).toBeNull();
    expect(nbd.notes).toEqual(['no dropout in this model']);
  });

  it('Pareto/NBD near its one-time-buyers limit s, β → 0: no density of μ on a grid (mean 1.7e7 a week) but the shares that drop out at once and that stay (regression: the card drew Gamma(0.0246, 1.47e-9))', () => {
    // the stop at the limit on 3,000 customers, 40% of them one-time buyers
    const limit = describeHeterogeneity({ r: 5.5089, alpha: 48.865, s: 0.024575, beta: 1.4707e-9 }, 'week');
    expect(limit.dropout).toBeNull();
    expect(limit.purchaseRate!.parameters).toEqual({ shape: 5.5089, rate: 48.865 });
    expect(limit.notes).toEqual([
      'no dropout-rate density: the dropout rates split into very fast and very slow (Gamma(0.0246, 1.47e-9), near the one-time-buyers limit s, beta → 0): 39% of customers drop out within 0.887 weeks of their first purchase (a tenth of the mean time between purchases), 54% are still alive after 88.7 weeks (ten times it)',
    ]);
    // an interior optimum near the limit, and one with one purchase rate: the same note
    expect(describeHeterogeneity({ r: 2.0044, alpha: 40.333, s: 0.061213, beta: 7.5e-7 }, 'week').notes[0]).toMatch(/: 60% of customers drop out within 2\.01 weeks .*, 30% are still alive after 201 weeks/);
    const oneRate = describeHeterogeneity({ r: 1e8, alpha: 3.3e8, s: 0.0367, beta: 5.3e-10 }, 'day');
    expect(oneRate.purchaseRate).toBeNull();
    expect(oneRate.notes[1]).toMatch(/^no dropout-rate density: .*52% of customers drop out within 0\.33 days/);
    // the limit fitted in the Pareto/NBD's place (the zero-inflated NBD, π = 23.3%, written back as β = 1e-300): the
    // limit's own shares π and 1 − π, not the written-back s, β's
    const atLimit = describeHeterogeneity({ r: 6.6168, alpha: 63.325, s: 3.83e-4, beta: 1e-300 }, 'week', { limitParams: { r: 6.6168, alpha: 63.325, pi: 0.2335 } });
    expect(atLimit.notes).toEqual([
      'no dropout-rate density: the dropout rates split into very fast and very slow (Gamma(0.000383, 1e-300), at the one-time-buyers limit s, beta → 0): 23% of customers drop out within 0.957 weeks of their first purchase (a tenth of the mean time between purchases), 77% are still alive after 95.7 weeks (ten times it)',
    ]);
    // β a thousandth of the mean time between purchases or more: the density, as on CDNOW (β·λ̄ = 0.61)
    expect(describeHeterogeneity({ r: 1, alpha: 10, s: 0.5, beta: 0.011 }, 'week').dropout!.symbol).toBe('μ');
    expect(describeHeterogeneity({ r: 1, alpha: 10, s: 0.5, beta: 0.0099 }, 'week').dropout).toBeNull();
  });

  it('MBG/NBD at or near its one-time-buyers limit a, b → 0: no Beta density of p (piled at 0 and 1) but the shares that drop out at once and that stay', () => {
    // the fit at the limit on 3,000 customers, 20% of them one-time buyers (test/models/mbgnbd/mbgnbd-one-time-buyers-limit)
    const limit = describeHeterogeneity({ r: 6.6168, alpha: 63.325, a: 2.3349e-21, b: 7.6651e-21 }, 'week', { dropoutAtFirstPurchase: true });
    expect(limit.dropout).toBeNull();
    expect(limit.purchaseRate!.parameters).toEqual({ shape: 6.6168, rate: 63.325 });
    expect(limit.notes).toEqual([
      'no dropout-probability density: the dropout probabilities split into near 1 and near 0 (Beta(2.33e-21, 7.67e-21), near the one-time-buyers limit a, b → 0): 23% of customers drop out right after their first purchase, 77% are still alive after ten more purchases',
    ]);
    // an interior optimum near the limit (40% one-time buyers): E[(1−p)^11] = 0.571·Π(1 − a/(a+b+j)) = 0.551
    expect(describeHeterogeneity({ r: 6.27, alpha: 61, a: 0.012357, b: 0.016453 }, 'week', { dropoutAtFirstPurchase: true }).notes[0]).toMatch(/: 43% of customers drop out right after their first purchase, 55% are still alive after ten more purchases$/);
    // BG/NBD: its first dropout chance is the first repeat purchase
    expect(describeHeterogeneity({ r: 1, alpha: 2, a: 0.03, b: 0.05 }).notes[0]).toMatch(/near the limit a, b → 0\): 38% of customers drop out right after their first repeat purchase/);
    // a + b of 0.1 or more: the density, as on CDNOW (a + b = 2.5)
    expect(describeHeterogeneity({ r: 1, alpha: 2, a: 0.05, b: 0.05 }).dropout!.symbol).toBe('p');
    expect(describeHeterogeneity({ r: 1, alpha: 2, a: 0.05, b: 0.0499 }).dropout).toBeNull();
  });
});

/** x with ∫_0^x f = q, by bisection on the numerical integral (for lifetimes' ppf(0.99) grid ends). */
function quantile(f: (x: number) => number, q: number, upper: number): number {
  let lo = 0, hi = upper;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (integrateLog(f, mid) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe("lifetimes' heterogeneity plots on the CDNOW BG/NBD fit (test_plotting: 100 points from 0 to the 0.99 quantile)", () => {
  const { r, alpha, a, b } = fitBgNbd(loadCdnowSummary()).params;
  const grid = (lim: number) => Array.from({ length: 100 }, (_, k) => (k * lim) / 99);

  it('transaction rate: Gamma(r, α) density, atol 0.01 (mean 0.055, var 0.012)', () => {
    // test_plot_transaction_rate_heterogeneity's y_expected, first point ∞
    const expected = [19.25, 11.11, 7.98, 6.26, 5.16, 4.39, 3.81, 3.36, 3.0, 2.71, 2.46, 2.24, 2.06, 1.9, 1.76, 1.64, 1.53, 1.43, 1.34, 1.26, 1.18, 1.11, 1.05, 0.99, 0.94, 0.89, 0.84, 0.8, 0.76, 0.72, 0.69, 0.66, 0.63, 0.6, 0.57, 0.55, 0.52, 0.5, 0.48, 0.46, 0.44, 0.42, 0.4, 0.39, 0.37, 0.36, 0.34, 0.33, 0.32, 0.3, 0.29, 0.28, 0.27, 0.26, 0.25, 0.24, 0.23, 0.22, 0.21, 0.21, 0.2, 0.19, 0.19, 0.18, 0.17, 0.17, 0.16, 0.16, 0.15, 0.14, 0.14, 0.13, 0.13, 0.13, 0.12, 0.12, 0.11, 0.11, 0.11, 0.1, 0.1, 0.1, 0.09, 0.09, 0.09, 0.08, 0.08, 0.08, 0.08, 0.07, 0.07, 0.07, 0.07, 0.06, 0.06, 0.06, 0.06, 0.06, 0.06];
    const x = grid(quantile((v) => gammaDensity(v, r, alpha), 0.99, 10));
    expect(x[99]).toBeCloseTo(0.54, 2);
    const y = purchaseRateDensity({ r, alpha }, x);
    expect(y[0]).toBe(Infinity);
    for (let k = 1; k < 100; k++) expect(Math.abs(y[k] - expected[k - 1]!), `x ${x[k]}: ${y[k]} vs ${expected[k - 1]}`).toBeLessThanOrEqual(0.01 + 1e-9);
    expect((r / alpha).toFixed(3)).toBe('0.055');
    expect((r / alpha ** 2).toFixed(3)).toBe('0.012');
  });

  it('dropout probability: Beta(a, b) density, atol 0.1', () => {
    const expected = [4.44, 3.8, 3.45, 3.21, 3.03, 2.88, 2.75, 2.65, 2.55, 2.46, 2.38, 2.31, 2.24, 2.18, 2.12, 2.06, 2.01, 1.96, 1.91, 1.86, 1.82, 1.77, 1.73, 1.69, 1.65, 1.61, 1.58, 1.54, 1.51, 1.47, 1.44, 1.41, 1.37, 1.34, 1.31, 1.28, 1.26, 1.23, 1.2, 1.17, 1.14, 1.12, 1.09, 1.07, 1.04, 1.02, 0.99, 0.97, 0.95, 0.92, 0.9, 0.88, 0.86, 0.84, 0.81, 0.79, 0.77, 0.75, 0.73, 0.71, 0.69, 0.68, 0.66, 0.64, 0.62, 0.6, 0.58, 0.57, 0.55, 0.53, 0.52, 0.5, 0.48, 0.47, 0.45, 0.44, 0.42, 0.41, 0.39, 0.38, 0.36, 0.35, 0.33, 0.32, 0.31, 0.29, 0.28, 0.27, 0.25, 0.24, 0.23, 0.22, 0.21, 0.2, 0.18, 0.17, 0.16, 0.15, 0.14];
    const x = grid(quantile((v) => betaDensity(v, a, b), 0.99, 1));
    expect(x[99]).toBeCloseTo(0.83, 2);
    const y = dropoutRateDensity({ a, b }, x);
    expect(y[0]).toBe(Infinity);
    for (let k = 1; k < 100; k++) expect(Math.abs(y[k] - expected[k - 1]!), `x ${x[k]}: ${y[k]} vs ${expected[k - 1]}`).toBeLessThanOrEqual(0.1);
  });
});
