import { describe, expect, it } from 'vitest';
import {
  computeGammaGammaCustomerLogLikelihood,
  computeGammaGammaLogLikelihood,
  computeGammaGammaLogLikelihoods,
  createGammaGammaProblem,
  fitGammaGamma,
  predictGammaGammaConditionalSpend,
  predictGammaGammaConditionalSpendAll,
  predictGammaGammaPopulationMean,
  type GammaGammaParams,
  type SpendData,
} from '../../../src/models/gamma-gamma/gamma-gamma.js';
import { createRandom } from '../../../src/math/random.js';
import { loadCdnowSpend } from '../cdnow-fixture.js';
import { maxGradientError, relativeError } from '../model-test-helpers.js';

const PUBLISHED: GammaGammaParams = { p: 6.25, q: 3.74, gamma: 15.44 };
const spend = loadCdnowSpend();

function expectThreeSignificant(label: string, actual: number, expected: number): void {
  const unit = 10 ** (Math.floor(Math.log10(Math.abs(expected))) - 2);
  expect(Math.abs(actual - expected), `${label}: expected ${expected} to 3 s.f., got ${actual}`).toBeLessThanOrEqual(0.5 * unit + 1e-12);
}

function compressSpend(data: SpendData): SpendData {
  const map = new Map<string, number>();
  const f: number[] = [], m: number[] = [], w: number[] = [];
  for (let i = 0; i < data.frequency.length; i++) {
    const key = `${data.frequency[i]}|${data.monetary[i]}`;
    const k = map.get(key);
    if (k === undefined) {
      map.set(key, f.length);
      f.push(data.frequency[i]);
      m.push(data.monetary[i]);
      w.push(data.weight[i]);
    } else w[k] += data.weight[i];
  }
  return { frequency: Float64Array.from(f), monetary: Float64Array.from(m), weight: Float64Array.from(w) };
}

describe('Gamma-Gamma on CDNOW (Fader, Hardie & Lee 2005, JMR; note 025)', () => {
  const fitted = fitGammaGamma(spend);

  it('the fixture has 2,357 customers of whom 946 are repeat buyers', () => {
    expect(spend.frequency.length).toBe(2357);
    expect(spend.frequency.filter((x) => x > 0).length).toBe(946);
  });

  it('reproduces the published estimates p = 6.25, q = 3.74, γ = 15.44 (3 s.f.) fitted on the 946 repeat buyers', () => {
    expect(fitted.fit.converged, fitted.fit.message).toBe(true);
    expect(fitted.n).toBe(946);
    for (const name of ['p', 'q', 'gamma'] as const) expectThreeSignificant(name, fitted.params[name], PUBLISHED[name]);
    for (const name of ['p', 'q', 'gamma'] as const) {
      const [lo, hi] = fitted.intervals95[name];
      expect(lo < fitted.params[name] && fitted.params[name] < hi).toBe(true);
    }
  });

  it('conditional expected spend of the first CDNOW customers matches the lifetimes documentation (24.66, 18.91, 35.17, 71.46, 27.28; 3 s.f.)', () => {
    const e = predictGammaGammaConditionalSpendAll(fitted.params, spend);
    const documented = [24.658619, 18.911489, 35.170981, 35.170981, 35.170981, 71.462843, 18.911489, 35.170981, 27.282408, 35.170981];
    documented.forEach((value, i) => expectThreeSignificant(`customer ${i + 1}`, e[i], value));
  });

  it('compressed (x, m̄) tuples give the same estimates as per-customer rows (rel. difference < 1e-6)', () => {
    const compressed = compressSpend(spend);
    expect(compressed.frequency.length).toBeLessThan(spend.frequency.length);
    const fromTuples = fitGammaGamma(compressed);
    for (const name of ['p', 'q', 'gamma'] as const) {
      expect(relativeError(fromTuples.params[name], fitted.params[name]), name).toBeLessThan(1e-6);
    }
    expect(fromTuples.n).toBe(946);
  });
});

describe('Gamma-Gamma likelihood', () => {
  const synthetic: SpendData = {
    frequency: Float64Array.of(1, 2, 1000, 5, 0, 30),
    monetary: Float64Array.of(0.01, 15, 35.5, 1e5, 0, 2),
    weight: Float64Array.of(1, 4, 1, 2, 9, 1),
  };

  it('analytic gradient matches finite differences (rel. error < 1e-5) at several params, incl. x = 1000 and tiny/huge spend', () => {
    for (const [label, data] of [['cdnow', spend], ['synthetic', synthetic]] as const) {
      const problem = createGammaGammaProblem(data);
      for (const point of [PUBLISHED, { p: 0.3, q: 0.8, gamma: 2 }, { p: 50, q: 20, gamma: 1000 }]) {
        const z = Float64Array.of(Math.log(point.p), Math.log(point.q), Math.log(point.gamma));
        const { error, analytic, numeric } = maxGradientError(problem, z);
        expect(error, `${label} at ${JSON.stringify(point)}: analytic ${analytic}, numeric ${numeric}`).toBeLessThan(1e-5);
      }
    }
  });

  it('problem, per-row and total agree; rows with x = 0 are NaN per row and excluded from the total', () => {
    const rows = computeGammaGammaLogLikelihoods(PUBLISHED, synthetic);
    expect(rows[4]).toBeNaN();
    let expected = 0;
    for (let i = 0; i < rows.length; i++) if (synthetic.frequency[i] > 0) expected += synthetic.weight[i] * rows[i];
    expect(computeGammaGammaLogLikelihood(PUBLISHED, synthetic)).toBeCloseTo(expected, 9);
    const fromProblem = createGammaGammaProblem(synthetic).logLikelihood(Float64Array.of(Math.log(6.25), Math.log(3.74), Math.log(15.44)), new Float64Array(3));
    expect(relativeError(fromProblem, expected)).toBeLessThan(1e-12);
  });

  it('the density of m̄ integrates to 1 (x = 3)', () => {
    // ∫ f(m̄) dm̄ over m̄ = e^u, trapezoid on u
    let total = 0;
    const h = 0.001;
    for (let u = -15; u <= 15; u += h) total += Math.exp(computeGammaGammaCustomerLogLikelihood(PUBLISHED, 3, Math.exp(u)) + u) * h;
    expect(Math.abs(total - 1)).toBeLessThan(1e-6);
  });

  it('recovers parameters from simulated spend (true values inside the 95 % intervals; 5,000 buyers)', () => {
    const truth = { p: 4, q: 5, gamma: 30 };
    const random = createRandom(99);
    const n = 5000;
    const frequency = new Float64Array(n), monetary = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = 1 + random.poisson(3);
      const nu = random.gamma(truth.q, 1 / truth.gamma);
      let sum = 0;
      for (let k = 0; k < x; k++) sum += random.gamma(truth.p, 1 / nu);
      frequency[i] = x;
      monetary[i] = sum / x;
    }
    const fitted = fitGammaGamma({ frequency, monetary, weight: new Float64Array(n).fill(1) });
    expect(fitted.fit.converged, fitted.fit.message).toBe(true);
    for (const name of ['p', 'q', 'gamma'] as const) {
      const [lo, hi] = fitted.intervals95[name];
      expect(lo <= truth[name] && truth[name] <= hi, `${name}: ${truth[name]} in [${lo}, ${hi}]`).toBe(true);
    }
  });

  it('rejects non-positive spend of a repeat buyer and data with no repeat buyers', () => {
    expect(() => fitGammaGamma({ ...synthetic, monetary: Float64Array.of(0.01, -3, 35.5, 1e5, 0, 2) })).toThrow(/row 1/);
    expect(() => fitGammaGamma({ frequency: Float64Array.of(0, 0), monetary: Float64Array.of(0, 0), weight: Float64Array.of(1, 1) })).toThrow(/no repeat buyers/);
  });
});

describe('Gamma-Gamma predictions', () => {
  it('E[M | x, m̄] = p(γ + x m̄)/(px + q − 1) is a weighted average of the population mean and m̄', () => {
    const mean = predictGammaGammaPopulationMean(PUBLISHED);
    expect(mean).toBeCloseTo((6.25 * 15.44) / 2.74, 12);
    for (const [x, m] of [[1, 10], [2, 100], [50, 20]] as const) {
      const e = predictGammaGammaConditionalSpend(PUBLISHED, x, m);
      expect(e).toBeCloseTo((6.25 * (15.44 + x * m)) / (6.25 * x + 2.74), 12);
      expect(e).toBeGreaterThanOrEqual(Math.min(mean, m));
      expect(e).toBeLessThanOrEqual(Math.max(mean, m));
    }
    // more transactions pull the estimate towards the customer's own mean
    expect(Math.abs(predictGammaGammaConditionalSpend(PUBLISHED, 100, 100) - 100)).toBeLessThan(Math.abs(predictGammaGammaConditionalSpend(PUBLISHED, 1, 100) - 100));
  });

  it('x = 0 gives the population mean; q ≤ 1 gives NaN (infinite mean), never a negative value', () => {
    expect(predictGammaGammaConditionalSpend(PUBLISHED, 0, 0)).toBe(predictGammaGammaPopulationMean(PUBLISHED));
    expect(predictGammaGammaConditionalSpend({ p: 2, q: 0.9, gamma: 10 }, 0, 0)).toBeNaN();
    expect(predictGammaGammaPopulationMean({ p: 2, q: 1, gamma: 10 })).toBeNaN();
    // px + q > 1: finite and positive even though q < 1
    expect(predictGammaGammaConditionalSpend({ p: 2, q: 0.9, gamma: 10 }, 1, 5)).toBeGreaterThan(0);
    // px + q ≤ 1: posterior mean infinite
    expect(predictGammaGammaConditionalSpend({ p: 0.05, q: 0.5, gamma: 10 }, 1, 5)).toBeNaN();
    expect(predictGammaGammaConditionalSpend(PUBLISHED, 2, -1)).toBeNaN();
  });
});

describe('Gamma-Gamma with qConstraint (q > 1, lifetimes q_constraint)', () => {
  it('leaves the CDNOW estimates unchanged where q is well above 1', () => {
    const free = fitGammaGamma(spend);
    const constrained = fitGammaGamma(spend, { qConstraint: true });
    for (const name of ['p', 'q', 'gamma'] as const) expect(relativeError(constrained.params[name], free.params[name])).toBeLessThan(1e-6);
    expect(constrained.logLikelihood).toBeCloseTo(free.logLikelihood, 6);
    expect(relativeError(constrained.stdErrors.q, free.stdErrors.q)).toBeLessThan(1e-3);
    expect(relativeError(constrained.covarianceLog[1]![1]!, free.covarianceLog[1]![1]!)).toBeLessThan(1e-3);
  });

  it('keeps q above 1 where the free fit has q < 1 (heavy-tailed spend), so the population mean is finite', () => {
    const random = createRandom(3);
    const n = 2000;
    const frequency = new Float64Array(n), monetary = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const nu = random.gamma(0.7, 1 / 5);
      frequency[i] = 1 + random.integer(6);
      let sum = 0;
      for (let k = 0; k < frequency[i]!; k++) sum += random.gamma(2, 1 / nu);
      monetary[i] = sum / frequency[i]!;
    }
    const data = { frequency, monetary, weight: new Float64Array(n).fill(1) };
    const free = fitGammaGamma(data);
    expect(free.params.q).toBeLessThan(1);
    const constrained = fitGammaGamma(data, { qConstraint: true });
    expect(constrained.params.q).toBeGreaterThan(1);
    expect(Number.isFinite(predictGammaGammaPopulationMean(constrained.params))).toBe(true);
    expect(constrained.logLikelihood).toBeLessThanOrEqual(free.logLikelihood + 1e-6);
  });
});
