/**
 * CUPED (src/math/cuped.ts): θ and the adjusted uplift worked out by hand; a planted imbalance of the covariate is
 * removed; the variance reduction is ρ², up to the bootstrap's error.
 */
import { describe, expect, it } from 'vitest';
import { cupedTheta, cupedUplifts, type CovariateGroup } from '../../src/math/cuped.js';
import { estimateMeanUplifts } from '../../src/actions/estimate-uplift.js';
import { upliftVerdict } from '../../src/actions/uplift-verdict.js';
import { createRandom } from '../../src/math/random.js';

const resampling = (seed = 1) => ({ permutations: 1999, draws: 2000, permutationRandom: createRandom(seed), bootstrapRandom: createRandom(seed + 1) });

/** A group of `n` members, `rows` of them active as [x, y] (the others 0, 0); one outcome. */
const group = (n: number, rows: readonly (readonly [number, number])[]): CovariateGroup => ({ n, x: [rows.map((r) => r[0])], y: [rows.map((r) => r[1])] });
const repeat = (times: number, row: readonly [number, number]) => Array.from({ length: times }, () => row);

describe('CUPED', () => {
  it('θ and the adjusted uplift of a tiny fixture, by hand', () => {
    // treatment: X [1, 0], Y [1, 1]; control: X [0, 0], Y [0, 1] → X̄ 1/4, Ȳ 3/4, Σ(X−X̄)(Y−Ȳ) = 1 − 4·3/16 = 1/4,
    // Σ(X−X̄)² = 1 − 4/16 = 3/4: θ = 1/3; adjusted (1 − 1/2) − 1/3 · (1/2 − 0) = 1/3
    const t = group(2, [[1, 1], [0, 1]]);
    const c = group(2, [[0, 1]]);
    expect(cupedTheta(t, c, 0)).toBeCloseTo(1 / 3, 12);
    const [u] = cupedUplifts(t, c, resampling());
    expect(u!.theta).toBeCloseTo(1 / 3, 12);
    expect(u!.absoluteUplift).toBeCloseTo(1 / 3, 12);
    // the order of the members does not matter
    const [again] = cupedUplifts(group(2, [[0, 1], [1, 1]]), c, resampling());
    expect(again).toEqual(u);
  });

  it('X without variance: θ = 0 and the adjusted uplift is the unadjusted one', () => {
    const [u] = cupedUplifts(group(10, [[0, 1], [0, 2]]), group(10, [[0, 1]]), resampling());
    expect(u!.theta).toBe(0);
    expect(u!.absoluteUplift).toBeCloseTo(0.3 - 0.1, 12);
  });

  it('a treated group that bought more before and the same after: a raw uplift, an adjusted one of 0 whose interval holds 0', () => {
    // heavy members X = 3, Y 3 or 1 (half each: mean 2); light ones X = 0, Y 1 or 0 (mean ½) — in both groups alike.
    // The treatment group holds 80 heavy of 200, the control 40: raw uplift (1.1 − 0.8) = 0.3, all of it the imbalance;
    // θ = (2 − ½)/3 = ½ and adjusted 0.3 − ½ · (1.2 − 0.6) = 0
    const members = (heavy: number, n: number) => [...repeat(heavy / 2, [3, 3]), ...repeat(heavy / 2, [3, 1]), ...repeat((n - heavy) / 2, [0, 1])];
    const t = group(200, members(80, 200));
    const c = group(200, members(40, 200));
    const raw = estimateMeanUplifts({ n: 200, values: t.y }, { n: 200, values: c.y })[0]!;
    expect(raw.absoluteUplift).toBeCloseTo(0.3, 12);
    expect(upliftVerdict(raw)).toBe('raised');
    const [u] = cupedUplifts(t, c, resampling());
    expect(u!.theta).toBeCloseTo(0.5, 12);
    expect(u!.absoluteUplift).toBeCloseTo(0, 12);
    expect(u!.absoluteUpliftInterval[0]).toBeLessThan(0);
    expect(u!.absoluteUpliftInterval[1]).toBeGreaterThan(0);
    expect(u!.pValue).toBeGreaterThan(0.5);
  });

  // members active in X or Y: X ~ Poisson(1), Y = X + Poisson(1) noise, so ρ² = ½ (zero-heavy: ~13% have X = Y = 0)
  const correlated = (n: number, seed: number) => {
    const r = createRandom(seed);
    const rows: [number, number][] = [];
    for (let i = 0; i < n; i++) {
      const x = r.poisson(1);
      const y = x + r.poisson(1);
      if (x !== 0 || y !== 0) rows.push([x, y]);
    }
    return group(n, rows);
  };
  const rhoSquared = (t: CovariateGroup, c: CovariateGroup) => {
    const n = t.n + c.n;
    const xs = [...Array.from(t.x[0]!), ...Array.from(c.x[0]!)];
    const ys = [...Array.from(t.y[0]!), ...Array.from(c.y[0]!)];
    const [mx, my] = [xs.reduce((a, b) => a + b, 0) / n, ys.reduce((a, b) => a + b, 0) / n];
    // the members left out are (0, 0)
    let [sxy, sxx, syy] = [(n - xs.length) * mx * my, (n - xs.length) * mx * mx, (n - xs.length) * my * my];
    xs.forEach((x, i) => {
      sxy += (x - mx) * (ys[i]! - my);
      sxx += (x - mx) ** 2;
      syy += (ys[i]! - my) ** 2;
    });
    return (sxy * sxy) / (sxx * syy);
  };

  it.each([
    ['exactly weighted (up to 1,000 active members a group)', 500],
    ['from the normal approximation (more than 1,000)', 4000],
  ])('the variance reduction is ρ² from the data, %s', (_, n) => {
    const [t, c] = [correlated(n, 11), correlated(n, 12)];
    const rho2 = rhoSquared(t, c);
    expect(rho2).toBeGreaterThan(0.4);
    expect(rho2).toBeLessThan(0.6);
    const [u] = cupedUplifts(t, c, resampling(5));
    expect(Math.abs(u!.varianceReduction - rho2)).toBeLessThan(0.06);
  });
});
