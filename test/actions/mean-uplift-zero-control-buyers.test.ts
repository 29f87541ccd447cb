/**
 * A control group without a buyer: its share of buyers was drawn from the Jeffreys posterior Beta(½, n + ½), whose
 * upper tail is too short at 0 (Brown, Cai & DasGupta 2001), so the purchases interval of 26 treated buyers of 1,600
 * against 0 of 184 excluded 0 ([+0.001, +0.041]) beside a permutation p of 0.126. Under equal shares (1.5%) such an
 * interval excluded 0 in 38% of the evaluations whose control bought nothing (205 of 3,000 simulated). At k = 0 the share
 * is now drawn from Beta(1, n), whose 97.5% point is the Clopper–Pearson upper limit 1 − 0.025^(1/n).
 */
import { describe, expect, it } from 'vitest';
import { estimateMeanUplifts } from '../../src/actions/estimate-uplift.js';
import { createRandom } from '../../src/math/random.js';
import { quantile, twoPartBootstrap } from '../../src/math/zero-heavy-means.js';

const treated = [...Array<number>(10).fill(1), ...Array<number>(12).fill(2), ...Array<number>(4).fill(3)];

describe('a control group without a buyer', () => {
  it("draws its share with the Clopper–Pearson upper limit at 97.5%: 0 of 184 → 1 − 0.025^(1/184) = 0.0198 (Jeffreys' 0.0136)", () => {
    // 0/1 outcomes: the control's draws are its share draws (the extra customer's value is 1)
    const b = twoPartBootstrap({ n: 1600, values: [Array<number>(26).fill(1)] }, { n: 184, values: [[]] }, createRandom(3), 40_000);
    expect(quantile(b.control[0]!, 0.975)).toBeCloseTo(1 - 0.025 ** (1 / 184), 3);
    expect(quantile(b.control[0]!, 0.5)).toBeCloseTo(1 - 0.5 ** (1 / 184), 3); // Beta(1, 184)'s median 0.00376
  });

  it('gives a purchases interval holding 0 where the permutation test does not reject (26 of 1,600 treated bought 46 times, 0 of 184)', () => {
    const [purchases] = estimateMeanUplifts({ n: 1600, values: [treated] }, { n: 184, values: [[]] });
    expect(purchases!.absoluteUplift).toBeCloseTo(0.02875, 5);
    expect(purchases!.pValue).toBeGreaterThan(0.1);
    // measured: [−0.011, +0.038] (with Jeffreys at 0: [+0.001, +0.041])
    expect(purchases!.absoluteUpliftInterval[0]).toBeCloseTo(-0.011, 3);
    expect(purchases!.absoluteUpliftInterval[1]).toBeCloseTo(0.038, 3);
  });
});
