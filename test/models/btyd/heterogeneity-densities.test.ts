import { describe, expect, it } from 'vitest';
import { createGaussLegendreRule } from '../../../src/math/gauss-legendre.js';
import { betaDensity, gammaDensity } from '../../../src/math/probability-densities.js';
import { purchaseRateDensity } from '../../../src/models/btyd/purchase-rate-density.js';
import { dropoutRateDensity } from '../../../src/models/btyd/dropout-rate-density.js';
import { describeHeterogeneity } from '../../../src/models/btyd/heterogeneity-densities.js';

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
});
