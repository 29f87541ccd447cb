/**
 * The uplift model counted as better than random whenever its Qini area on the validation half was above 0; with no
 * real uplift that happens about half the time by luck, and playbook --budget then targeted by noise. The permutation
 * test (scores shuffled across the validation customers) says how often chance gives such an area.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/math/random.js';
import { shuffleInPlace } from '../../../src/math/shuffle.js';
import { qiniCurve } from '../../../src/models/uplift/qini-curve.js';
import { qiniPermutationTest } from '../../../src/models/uplift/qini-permutation-test.js';

/** n customers, 30% control, P(buy) = 0.2 + effect·x when treated; x is uniform */
function campaign(n: number, effect: number, seed: number) {
  const r = createRandom(seed);
  const x = new Float64Array(n);
  const treated = new Float64Array(n);
  const outcome = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = r.uniform();
    treated[i] = r.uniform() < 0.7 ? 1 : 0;
    outcome[i] = r.uniform() < 0.2 + treated[i]! * effect * x[i]! ? 1 : 0;
  }
  return { x, treated, outcome, noise: Float64Array.from({ length: n }, () => r.uniform()) };
}

describe('permutation test of the Qini area', () => {
  it('a tiny case, every order enumerated: p = 8/24 by hand', () => {
    // customers 0..3 ranked in input order: treated buyer, control, treated, control. With one buyer and no control
    // buyer, Q(k) = 1 once the buyer and a control are among the top k, else 0; the area is (#{k ≤ 3: Q(k) = 1} − 1.5)/4,
    // here (2 − 1.5)/4 = 0.125. An order reaches it when the buyer and a control fill the first two places: 2 × 2 × 2 = 8
    // of the 4! = 24 orders.
    const score = [4, 3, 2, 1];
    const treated = [1, 0, 1, 0];
    const outcome = [1, 0, 0, 0];
    expect(qiniCurve(score, treated, outcome, 4).area).toBeCloseTo(0.125, 12);
    const test = qiniPermutationTest([score], treated, outcome, { random: createRandom(1), points: 4 });
    expect(test).toMatchObject({ test: 'permutation', exhaustive: true, permutations: 24 });
    expect(test.areas[0]).toBeCloseTo(0.125, 12);
    expect(test.pValues[0]).toBeCloseTo(8 / 24, 12);
    expect(test.pValue).toBeCloseTo(8 / 24, 12);
  });

  it('the enumeration agrees with qiniCurve on every permutation of the scores (ties included)', () => {
    const score = [0.5, 0.1, 0.5, 0.9, 0.3, 0.1];
    const treated = [1, 0, 1, 1, 0, 0];
    const outcome = [2, 1, 0, 1, 0, 3];
    const observed = qiniCurve(score, treated, outcome).area;
    let atLeast = 0;
    let all = 0;
    const permute = (rest: number[], taken: number[]) => {
      if (rest.length === 0) {
        all++;
        if (qiniCurve(taken, treated, outcome).area >= observed - 1e-9) atLeast++;
        return;
      }
      for (let k = 0; k < rest.length; k++) permute([...rest.slice(0, k), ...rest.slice(k + 1)], [...taken, rest[k]!]);
    };
    permute(score, []);
    expect(all).toBe(720);
    const test = qiniPermutationTest([score], treated, outcome, { random: createRandom(1) });
    expect(test.exhaustive).toBe(true);
    expect(test.areas[0]).toBeCloseTo(observed, 12);
    expect(test.pValue).toBeCloseTo(atLeast / all, 12);
  });

  it("draws its shuffles with shuffleInPlace: p equals counting qiniCurve's areas over the permutations it gives from the same seed", () => {
    const { treated, outcome, noise } = campaign(60, 0.2, 4);
    const observed = qiniCurve(noise, treated, outcome).area;
    const random = createRandom(8);
    // each shuffle moves the previous permutation on; the customer rho[i] takes customer i's score
    const rho = Int32Array.from({ length: 60 }, (_, i) => i);
    const moved = new Float64Array(60);
    let atLeast = 0;
    for (let s = 0; s < 199; s++) {
      shuffleInPlace(rho, random);
      for (let i = 0; i < 60; i++) moved[rho[i]!] = noise[i]!;
      if (qiniCurve(moved, treated, outcome).area >= observed - 1e-9) atLeast++;
    }
    const test = qiniPermutationTest([noise], treated, outcome, { random: createRandom(8), permutations: 199 });
    expect(test.exhaustive).toBe(false);
    expect(test.pValue).toBe((1 + atLeast) / 200);
    expect(atLeast).toBe(21); // p = 0.11
  });

  it('scores that are all equal rank by input order whatever the shuffle: p = 1', () => {
    const { treated, outcome } = campaign(50, 0.3, 7);
    const test = qiniPermutationTest([new Float64Array(50).fill(0.2)], treated, outcome, { random: createRandom(1), permutations: 99 });
    expect(test.pValue).toBe(1);
  });

  it('no real uplift, random scores: area > 0 in about half the campaigns (the old rule), p < 0.05 in about 5%', () => {
    let oldRule = 0;
    let newRule = 0;
    const campaigns = 200;
    for (let seed = 1; seed <= campaigns; seed++) {
      const { treated, outcome, noise } = campaign(300, 0, seed);
      const test = qiniPermutationTest([noise], treated, outcome, { random: createRandom(10_000 + seed), permutations: 199 });
      expect(test.areas[0]).toBeCloseTo(qiniCurve(noise, treated, outcome).area, 9);
      if (test.areas[0]! > 0) oldRule++;
      if (test.pValue < 0.05) newRule++;
    }
    // 104 and 5 of 200 (a discrete statistic: ties with the observed area count against it, so the test errs on the safe side)
    expect(oldRule / campaigns).toBeGreaterThan(0.4);
    expect(newRule / campaigns).toBeLessThan(0.06);
    // one of them: better than random by the old rule (area 2.43 > 0), p = 0.23 by the test
    const { treated, outcome, noise } = campaign(300, 0, 6);
    const one = qiniPermutationTest([noise], treated, outcome, { random: createRandom(1), permutations: 999 });
    expect(one.areas[0]).toBeCloseTo(2.432, 3);
    expect(one.pValue).toBeCloseTo(0.23, 3);
  });

  it('a strong planted uplift passes with the smallest p the shuffles allow; the better of two rankings is tested by the max statistic', () => {
    const { x, treated, outcome, noise } = campaign(1000, 0.4, 11);
    const test = qiniPermutationTest([x, noise], treated, outcome, { random: createRandom(3), permutations: 999 });
    expect(test.areas[0]).toBeGreaterThan(10);
    expect(test.pValues[0]).toBe(1 / 1000);
    expect(test.pValue).toBe(1 / 1000);
    // the same seed, the same p-values
    expect(qiniPermutationTest([x, noise], treated, outcome, { random: createRandom(3), permutations: 999 })).toEqual(test);
    // two random rankings: the max statistic's p is at least the better one's own p (choosing the better is paid for)
    const two = campaign(300, 0, 5);
    const other = Float64Array.from({ length: 300 }, (_, i) => (i * 7919) % 300);
    const both = qiniPermutationTest([two.noise, other], two.treated, two.outcome, { random: createRandom(2), permutations: 499 });
    const better = both.areas[0]! >= both.areas[1]! ? 0 : 1;
    expect(both.pValue).toBeGreaterThanOrEqual(both.pValues[better]!);
  });
});
