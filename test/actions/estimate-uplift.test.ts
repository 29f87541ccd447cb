import { describe, expect, it } from 'vitest';
import { estimateMeanUplifts, estimateShareUplift, estimateUplift, studentTQuantile, studentTTwoSided, type GroupMoments } from '../../src/actions/estimate-uplift.js';
import { createRandom, type Random } from '../../src/math/random.js';

function moments(values: ArrayLike<number>): GroupMoments {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const mean = sum / values.length;
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += (values[i]! - mean) ** 2;
  return { n: values.length, mean, variance: values.length > 1 ? ss / (values.length - 1) : 0 };
}

function draw(n: number, sample: () => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = sample();
  return out;
}

/** Share of `reps` simulated campaigns whose 95% relative interval holds the true relative uplift. */
function coverage(reps: number, seed: number, nT: number, nC: number, outcome: (r: Random, lift: number) => number, lift: number): { relative: number; absolute: number } {
  const random = createRandom(seed);
  // true means from a large sample of each arm's distribution
  const truthT = moments(draw(400_000, () => outcome(random, lift))).mean;
  const truthC = moments(draw(400_000, () => outcome(random, 0))).mean;
  let relative = 0;
  let absolute = 0;
  for (let rep = 0; rep < reps; rep++) {
    const u = estimateUplift(moments(draw(nT, () => outcome(random, lift))), moments(draw(nC, () => outcome(random, 0))));
    if (u.relativeUpliftInterval![0] <= truthT / truthC - 1 && truthT / truthC - 1 <= u.relativeUpliftInterval![1]) relative++;
    if (u.absoluteUpliftInterval[0] <= truthT - truthC && truthT - truthC <= u.absoluteUpliftInterval[1]) absolute++;
  }
  return { relative: relative / reps, absolute: absolute / reps };
}

describe('estimateUplift', () => {
  it('Student t tails and quantiles match published table values', () => {
    // t(0.975, df) from any t table: df 10 → 2.228, df 30 → 2.042, ∞ → 1.960
    expect(studentTQuantile(0.05, 10)).toBeCloseTo(2.2281, 3);
    expect(studentTQuantile(0.05, 30)).toBeCloseTo(2.0423, 3);
    expect(studentTQuantile(0.05, Number.POSITIVE_INFINITY)).toBeCloseTo(1.96, 3);
    expect(studentTTwoSided(2.2281389, 10)).toBeCloseTo(0.05, 5);
    expect(studentTTwoSided(0, 10)).toBeCloseTo(1, 12);
  });

  it('computes means, uplifts and a Welch interval by hand on a small case', () => {
    const u = estimateUplift({ n: 100, mean: 1.2, variance: 1 }, { n: 50, mean: 1, variance: 0.81 });
    expect(u.absoluteUplift).toBeCloseTo(0.2, 12);
    expect(u.relativeUplift).toBeCloseTo(0.2, 12);
    const se = Math.sqrt(1 / 100 + 0.81 / 50);
    const df = (1 / 100 + 0.81 / 50) ** 2 / ((1 / 100) ** 2 / 99 + (0.81 / 50) ** 2 / 49);
    const q = studentTQuantile(0.05, df);
    expect(u.absoluteUpliftInterval[0]).toBeCloseTo(0.2 - q * se, 12);
    expect(u.pValue).toBeCloseTo(studentTTwoSided(0.2 / se, df), 12);
    const seLog = Math.sqrt(1 / 100 / 1.44 + 0.81 / 50 / 1);
    expect(u.relativeUpliftInterval![1]).toBeCloseTo(1.2 * Math.exp(q * seLog) - 1, 12);
    expect(u.incremental).toBeCloseTo(20, 9);
  });

  it('has no relative uplift when the control bought nothing, and says why', () => {
    const u = estimateUplift({ n: 80, mean: 0.1, variance: 0.09 }, { n: 20, mean: 0, variance: 0 });
    expect(u.relativeUplift).toBeNull();
    expect(u.relativeUpliftInterval).toBeNull();
    expect(u.note).toMatch(/control group’s mean is 0/);
    expect(u.absoluteUplift).toBeCloseTo(0.1, 12);
  });

  it('95% intervals cover the true uplift 93–97% of the time (purchases, buyers, revenue; 20% control)', () => {
    const purchases = (r: Random, lift: number) => r.poisson(0.5 * (1 + lift));
    const buyers = (r: Random, lift: number) => (r.uniform() < 0.3 * (1 + lift) ? 1 : 0);
    // zero-inflated, skewed spend: 30% buy, Gamma(2, 25) spend
    const revenue = (r: Random, lift: number) => (r.uniform() < 0.3 * (1 + lift) ? r.gamma(2, 25) : 0);
    for (const [name, outcome, seed] of [['purchases', purchases, 1], ['buyers', buyers, 2], ['revenue', revenue, 3]] as const) {
      for (const lift of [0, 0.25]) {
        const c = coverage(1000, seed, 800, 200, outcome, lift);
        expect(c.relative, `${name} lift ${lift} relative`).toBeGreaterThan(0.93);
        expect(c.relative, `${name} lift ${lift} relative`).toBeLessThan(0.97);
        expect(c.absolute, `${name} lift ${lift} absolute`).toBeGreaterThan(0.93);
        expect(c.absolute, `${name} lift ${lift} absolute`).toBeLessThan(0.97);
      }
    }
  }, 60_000);
});

describe('a control group without buyers is not taken as certain (regression: the user trial, 15 of 259 treated bought against 0 of 29 control)', () => {
  // the trial's per-buyer figures are not needed: purchases 1–2, revenue and margin of a few tens
  const random = createRandom(3);
  const purchases = Array.from({ length: 15 }, (_, i) => (i < 4 ? 2 : 1));
  const revenue = purchases.map((p) => p * (10 + 30 * random.uniform()));
  const margin = revenue.map((r) => 0.48 * r);
  const treated = { n: 259, values: [purchases, revenue, margin] };
  const control = { n: 29, values: [[], [], []] };

  it("buyers: Fisher's exact p = 0.378 and Newcombe's interval [−0.061, +0.093] (Welch: p = 8.9e-5, [0.029, 0.087])", () => {
    const buyers = estimateShareUplift({ n: 259, count: 15 }, { n: 29, count: 0 });
    expect(buyers.test).toBe('fisher-exact');
    expect(buyers.pValue).toBeCloseTo(0.3776, 4);
    expect(buyers.absoluteUplift).toBeCloseTo(15 / 259, 12);
    expect(buyers.absoluteUpliftInterval[0]).toBeCloseTo(-0.0612, 4);
    expect(buyers.absoluteUpliftInterval[1]).toBeCloseTo(0.0933, 4);
    expect(buyers.incrementalInterval[0]).toBeCloseTo(-0.0612 * 259, 1);
    expect(buyers.relativeUplift).toBeNull();
    expect(buyers.note).toMatch(/control group’s mean is 0/);
  });

  it('purchases, revenue, margin: permutation p-values above 0.05 and intervals holding 0; the same figures on every run', () => {
    const estimates = estimateMeanUplifts(treated, control);
    expect(estimates).toHaveLength(3);
    for (const [i, u] of estimates.entries()) {
      expect(u.test, `outcome ${i}`).toBe('permutation');
      expect(u.pValue, `outcome ${i}`).toBeGreaterThan(0.2);
      expect(u.absoluteUpliftInterval[0], `outcome ${i}`).toBeLessThan(0);
      expect(u.absoluteUpliftInterval[1], `outcome ${i}`).toBeGreaterThan(u.absoluteUplift);
      expect(u.relativeUplift).toBeNull();
    }
    expect(estimates[0]!.treatment).toBeCloseTo(19 / 259, 12);
    expect(estimateMeanUplifts(treated, control)).toEqual(estimates);
  });

  it('a real, large effect is still significant: 60 of 259 against 0 of 29, and 450 of 1,000 against 100 of 1,000', () => {
    expect(estimateShareUplift({ n: 259, count: 60 }, { n: 29, count: 0 }).pValue).toBeLessThan(0.01);
    const big = estimateShareUplift({ n: 1000, count: 450 }, { n: 1000, count: 100 });
    expect(big.pValue).toBeLessThan(1e-40);
    expect(big.absoluteUpliftInterval[0]).toBeGreaterThan(0.3);
    expect(big.relativeUpliftInterval![0]).toBeGreaterThan(2.5 - 1);
    const spend = (share: number) => Array.from({ length: Math.round(1000 * share) }, () => random.gamma(2, 25));
    const [revenue] = estimateMeanUplifts({ n: 1000, values: [spend(0.45)] }, { n: 1000, values: [spend(0.1)] });
    expect(revenue!.pValue).toBe(1 / 10_000);
    expect(revenue!.absoluteUpliftInterval[0]).toBeGreaterThan(10);
    expect(revenue!.relativeUpliftInterval![0]).toBeGreaterThan(1.5);
  });
});

