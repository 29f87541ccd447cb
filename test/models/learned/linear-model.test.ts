import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/math/random.js';
import { fitLinearModel, predictLinearModel } from '../../../src/models/learned/linear-model.js';

const logit = (p: number) => Math.log(p / (1 - p));

describe('regularised linear models', () => {
  it('Gaussian without penalty fits an exact line exactly', () => {
    const x = Float64Array.of(0, 1, 2, 3, 4);
    const model = fitLinearModel({ columns: [x], label: Float64Array.from(x, (v) => 1 + 2 * v) }, { family: 'gaussian', l2: 0 });
    expect(model.intercept).toBeCloseTo(1, 8);
    expect(model.coefficients[0]).toBeCloseTo(2, 8);
    expect(model.fit.converged).toBe(true);
  });

  it('Gaussian ridge shrinks the standardised slope by 1/(1 + λ) (one feature, by hand)', () => {
    // x = (0, 1, 2, 3), y = (1, 3, 2, 6): mean x 1.5, sd √1.25, ȳ = 3; the objective mean ½(y − b₀ − βz)² + ½λβ²
    // has β = mean(y·z)/(1 + λ) = (cov/sd)/(1 + λ) with cov = Σ(x−x̄)(y−ȳ)/n = 1.75
    const x = Float64Array.of(0, 1, 2, 3), y = Float64Array.of(1, 3, 2, 6);
    const sd = Math.sqrt(1.25);
    const cov = ((-1.5) * (1 - 3) + (-0.5) * (3 - 3) + 0.5 * (2 - 3) + 1.5 * (6 - 3)) / 4; // 1.75
    const model = fitLinearModel({ columns: [x], label: y }, { family: 'gaussian', l2: 0.5 });
    expect(model.standardisedCoefficients[0]).toBeCloseTo(cov / sd / 1.5, 8);
    expect(model.standardisedIntercept).toBeCloseTo(3, 8);
  });

  it('logistic and Poisson on one binary feature give the saturated MLE (group logits and log means)', () => {
    // x = 0: y = (0, 1, 1, 1) → p0 = 3/4; x = 1: y = (0, 0, 0, 1, 1) → p1 = 2/5
    const x = Float64Array.of(0, 0, 0, 0, 1, 1, 1, 1, 1);
    const yBinary = Float64Array.of(0, 1, 1, 1, 0, 0, 0, 1, 1);
    const logistic = fitLinearModel({ columns: [x], label: yBinary }, { family: 'logistic', l2: 0 });
    expect(logistic.intercept).toBeCloseTo(logit(3 / 4), 6);
    expect(logistic.coefficients[0]).toBeCloseTo(logit(2 / 5) - logit(3 / 4), 6);
    // counts: x = 0 mean 2, x = 1 mean 5
    const yCount = Float64Array.of(1, 2, 3, 2, 4, 6, 5, 5, 5);
    const poisson = fitLinearModel({ columns: [x], label: yCount }, { family: 'poisson', l2: 0 });
    expect(poisson.intercept).toBeCloseTo(Math.log(2), 6);
    expect(poisson.coefficients[0]).toBeCloseTo(Math.log(5 / 2), 6);
    expect(Array.from(predictLinearModel(poisson, [Float64Array.of(0, 1)]))).toEqual([expect.closeTo(2, 5), expect.closeTo(5, 5)]);
  });

  it('Poisson recovers a known log-linear function from seeded data', () => {
    const random = createRandom(3);
    const n = 20000;
    const x1 = Float64Array.from({ length: n }, () => random.normal());
    const x2 = Float64Array.from({ length: n }, () => 10 + 5 * random.uniform());
    const y = Float64Array.from({ length: n }, (_, i) => random.poisson(Math.exp(-1 + 0.6 * x1[i] + 0.1 * x2[i])));
    const model = fitLinearModel({ columns: [x1, x2], label: y }, { family: 'poisson', l2: 0 });
    expect(model.coefficients[0]).toBeCloseTo(0.6, 1);
    expect(model.coefficients[1]).toBeCloseTo(0.1, 1);
    expect(Math.abs(model.intercept + 1)).toBeLessThan(0.2);
  });

  it('imputes a missing value at the training mean and refuses bad input', () => {
    const x = Float64Array.of(0, 1, 2, 3, 4);
    const model = fitLinearModel({ columns: [x], label: Float64Array.from(x, (v) => 1 + 2 * v) }, { family: 'gaussian', l2: 0 });
    expect(predictLinearModel(model, [Float64Array.of(NaN)])[0]).toBeCloseTo(5, 8);
    expect(() => fitLinearModel({ columns: [x], label: Float64Array.of(0, 1, 2, 0, 1) }, { family: 'logistic' })).toThrow(/label 2 at row 2/);
    expect(() => fitLinearModel({ columns: [x], label: x }, { family: 'gaussian', l2: -1 })).toThrow(/l2/);
  });
});
