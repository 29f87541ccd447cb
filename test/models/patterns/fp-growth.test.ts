import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors/user-error.js';
import { createRandom } from '../../../src/math/random.js';
import { exactSum } from '../../../src/core/exact-sum.js';
import { type Baskets, basketsFromArrays, basketsToArrays } from '../../../src/models/patterns/baskets.js';
import { listFrequentItemsets, mineFrequentItemsets } from '../../../src/models/patterns/fp-growth.js';

/** itemset key → [count, weight] for every itemset with count ≥ minCount and size ≤ maxLength, by enumerating all subsets of each basket */
function bruteForceItemsets(list: number[][], minCount: number, maxLength: number, weights?: number[]): Map<string, [number, number]> {
  const all = new Map<string, [number, number]>();
  list.forEach((basket, b) => {
    const items = [...new Set(basket)].sort((x, y) => x - y);
    const total = 1 << items.length;
    for (let mask = 1; mask < total; mask++) {
      const subset = items.filter((_, p) => (mask >> p) & 1);
      if (subset.length > maxLength) continue;
      const key = subset.join(',');
      const entry = all.get(key) ?? [0, 0];
      entry[0] += 1;
      entry[1] += weights ? weights[b] : 0;
      all.set(key, entry);
    }
  });
  for (const [key, [count]] of all) if (count < minCount) all.delete(key);
  return all;
}

function randomBaskets(seed: number, nBaskets: number, nItems: number, density: number): number[][] {
  const rng = createRandom(seed);
  const list: number[][] = [];
  for (let b = 0; b < nBaskets; b++) {
    const basket: number[] = [];
    for (let i = 0; i < nItems; i++) if (rng.uniform() < density * (1 - (0.5 * i) / nItems)) basket.push(i);
    list.push(basket);
  }
  return list;
}

function compare(list: number[][], minSupport: number, minCount: number, maxLength: number | undefined, weights?: number[]): void {
  const baskets = basketsFromArrays(list, 12);
  const mined = mineFrequentItemsets(baskets, { minSupport, maxLength, weights: weights ? Float64Array.from(weights) : undefined });
  const expected = bruteForceItemsets(list, minCount, maxLength ?? Infinity, weights);
  const got = new Map<string, [number, number]>();
  for (const itemset of listFrequentItemsets(mined)) {
    const key = itemset.items.join(',');
    expect(got.has(key), `duplicate itemset ${key}`).toBe(false);
    got.set(key, [itemset.supportCount, itemset.weightSum ?? 0]);
  }
  const context = `baskets=${JSON.stringify(list)} minSupport=${minSupport} maxLength=${maxLength}`;
  expect([...got.keys()].sort(), context).toEqual([...expected.keys()].sort());
  for (const [key, [count, weight]] of expected) {
    const [gotCount, gotWeight] = got.get(key) as [number, number];
    expect(gotCount, `${context} itemset ${key}`).toBe(count);
    // weight sums: same terms, different addition order → relative error ≤ 1e-12
    expect(Math.abs(gotWeight - weight), `${context} itemset ${key} weight ${gotWeight} vs ${weight}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(weight)) * 10);
  }
  expect(mined.minSupportCount).toBe(minCount);
}

describe('mineFrequentItemsets (FP-growth)', () => {
  it('reproduces the worked example of Han, Pei & Yin (2000), min support 3', () => {
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const transactions = ['facdgimp', 'abcflmo', 'bfhjo', 'bcksp', 'afcelpmn'];
    const baskets = basketsFromArrays(transactions.map((t) => [...t].map((ch) => letters.indexOf(ch))), 26);
    const mined = mineFrequentItemsets(baskets, { minSupport: 3 });
    const got = listFrequentItemsets(mined)
      .map((s) => `${s.items.map((i) => letters[i]).join('')}:${s.supportCount}`)
      .sort();
    // all 15 subsets of {f,c,a,m} (f and c with 4, the rest 3), plus b, p, cp
    const expected = ['a:3', 'ac:3', 'acf:3', 'acfm:3', 'acm:3', 'af:3', 'afm:3', 'am:3', 'b:3', 'c:4', 'cf:3', 'cfm:3', 'cm:3', 'cp:3', 'f:4', 'fm:3', 'm:3', 'p:3'];
    expect(got).toEqual(expected);
    expect(mined.count).toBe(18);
    expect(mined.nBaskets).toBe(5);
  });

  it('matches brute-force enumeration on 300 random data sets (counts exact, weight sums to 1e-11)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rng = createRandom(seed * 7919);
      const nItems = 3 + rng.integer(10); // 3..12
      const nBaskets = rng.integer(40); // 0..39, including no baskets at all
      const list = randomBaskets(seed, nBaskets, nItems, 0.15 + 0.5 * rng.uniform());
      const useFraction = rng.uniform() < 0.5;
      const minSupport = useFraction ? 0.05 + 0.4 * rng.uniform() : 1 + rng.integer(5);
      const minCount = useFraction ? Math.max(1, Math.ceil(minSupport * nBaskets - 1e-9 * Math.max(1, nBaskets))) : minSupport;
      const maxLength = rng.uniform() < 0.5 ? undefined : 1 + rng.integer(4);
      const weights = rng.uniform() < 0.5 ? list.map(() => rng.uniform() * 10 - 2) : undefined;
      compare(list, minSupport, minCount, maxLength, weights);
    }
  });

  it('matches brute force on a 3000-basket data set with planted bundles (trees grow and rehash)', () => {
    const rng = createRandom(2024);
    const nItems = 40;
    const bundles = [[1, 5, 9, 13], [2, 3, 4], [20, 21, 22, 23, 24], [30, 31]];
    const list: number[][] = [];
    for (let b = 0; b < 3000; b++) {
      const basket = new Set<number>();
      const size = rng.poisson(4);
      for (let k = 0; k < size; k++) basket.add(Math.floor(nItems * rng.uniform() ** 2));
      if (rng.uniform() < 0.4) for (const item of bundles[rng.integer(bundles.length)]) if (rng.uniform() < 0.85) basket.add(item);
      list.push([...basket]);
    }
    const baskets = basketsFromArrays(list, nItems);
    const mined = mineFrequentItemsets(baskets, { minSupport: 0.01, maxLength: 4 });
    const expected = bruteForceItemsets(list, 30, 4);
    const got = new Map(listFrequentItemsets(mined).map((s) => [s.items.join(','), s.supportCount]));
    expect(got.size).toBe(expected.size);
    for (const [key, [count]] of expected) expect(got.get(key), `itemset ${key}`).toBe(count);
    expect(expected.size).toBeGreaterThan(100); // the test exercises deep conditional trees
    expect(got.get('20,21,22,23')).toBeGreaterThanOrEqual(30);
  });

  it('enumerates a single-path tree completely: identical baskets of 10 items', () => {
    const list = Array.from({ length: 7 }, () => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const all = mineFrequentItemsets(basketsFromArrays(list), { minSupport: 7 });
    expect(all.count).toBe(1023);
    expect(Array.from(all.supportCounts).every((c) => c === 7)).toBe(true);
    const capped = mineFrequentItemsets(basketsFromArrays(list), { minSupport: 0.5, maxLength: 3 });
    expect(capped.count).toBe(10 + 45 + 120);
  });

  it('treats fractions below 1 as shares and values ≥ 1 as counts', () => {
    const list = [[0, 1], [0], [0, 2], [1], [0, 1]];
    const baskets = basketsFromArrays(list);
    expect(mineFrequentItemsets(baskets, { minSupport: 0.6 }).minSupportCount).toBe(3);
    expect(mineFrequentItemsets(baskets, { minSupport: 0.4 }).minSupportCount).toBe(2);
    expect(mineFrequentItemsets(baskets, { minSupport: 1 }).minSupportCount).toBe(1);
    const items = listFrequentItemsets(mineFrequentItemsets(baskets, { minSupport: 0.4 })).map((s) => `${s.items.join(',')}:${s.supportCount}:${s.support}`);
    expect(items.sort()).toEqual(['0,1:2:0.4', '0:4:0.8', '1:3:0.6']);
  });

  it('returns nothing when no item is frequent, and handles empty input', () => {
    expect(mineFrequentItemsets(basketsFromArrays([[0], [1], [2]]), { minSupport: 2 }).count).toBe(0);
    const empty = mineFrequentItemsets(basketsFromArrays([], 5), { minSupport: 0.1 });
    expect(empty.count).toBe(0);
    expect(empty.offsets.length).toBe(1);
  });

  it('rejects bad thresholds, weights and malformed baskets with UserError', () => {
    const baskets = basketsFromArrays([[0, 1], [1]]);
    for (const minSupport of [0, -1, 1.5, NaN, Infinity]) {
      expect(() => mineFrequentItemsets(baskets, { minSupport }), `minSupport ${minSupport}`).toThrow(UserError);
    }
    expect(() => mineFrequentItemsets(baskets, { minSupport: 1, maxLength: 0 })).toThrow(UserError);
    expect(() => mineFrequentItemsets(baskets, { minSupport: 1, weights: new Float64Array(3) })).toThrow(UserError);
    expect(() => mineFrequentItemsets(baskets, { minSupport: 1, weights: Float64Array.from([1, NaN]) })).toThrow(UserError);
    const unsorted: Baskets = { offsets: Uint32Array.from([0, 2]), items: Uint32Array.from([3, 1]), nItems: 4 };
    expect(() => mineFrequentItemsets(unsorted, { minSupport: 1 })).toThrow(/not sorted and distinct/);
    const outOfRange: Baskets = { offsets: Uint32Array.from([0, 1]), items: Uint32Array.from([4]), nItems: 4 };
    expect(() => mineFrequentItemsets(outOfRange, { minSupport: 1 })).toThrow(UserError);
  });

  it('basketsFromArrays sorts and de-duplicates', () => {
    const baskets = basketsFromArrays([[3, 1, 3], [], [2]]);
    expect(basketsToArrays(baskets)).toEqual([[1, 3], [], [2]]);
    expect(baskets.nItems).toBe(4);
    expect(Array.from(baskets.offsets)).toEqual([0, 2, 2, 3]);
  });
});

describe('mineFrequentItemsets with weights, in any basket order', () => {
  it('gives every itemset the same weight sum to the bit whatever order the baskets come in (they come in the order of the customers’ tokens)', () => {
    const rng = createRandom(11);
    const list = randomBaskets(12, 400, 12, 0.3);
    const weights = list.map(() => rng.uniform());
    const order = list.map((_, b) => b).sort((a, b) => ((a * 7919) % 401) - ((b * 7919) % 401));
    const sumsOf = (baskets: number[][], w: number[]) => {
      const mined = mineFrequentItemsets(basketsFromArrays(baskets, 12), { minSupport: 0.05, maxLength: 3, weights: Float64Array.from(w) });
      return { totalWeight: mined.totalWeight, itemsets: new Map(listFrequentItemsets(mined).map((s) => [s.items.join(','), s.weightSum])) };
    };
    const forward = sumsOf(list, weights);
    const shuffled = sumsOf(order.map((b) => list[b]!), order.map((b) => weights[b]!));
    expect(forward.itemsets.size).toBeGreaterThan(30);
    expect(shuffled.totalWeight).toBe(forward.totalWeight);
    expect(shuffled.itemsets).toEqual(forward.itemsets);
  });
});

describe('mineFrequentItemsets weight sums: every weight counted, exactly', () => {
  it('keeps the value support of an itemset bought only by near-zero weights beside a large one (1e-6 beside 1e4 over 1e6 baskets)', () => {
    const n = 1_000_000;
    const list = Array.from({ length: n }, (_, b) => (b === 0 ? [0] : [1]));
    const weights = Float64Array.from(list, (_, b) => (b === 0 ? 1e4 : 1e-6));
    const mined = listFrequentItemsets(mineFrequentItemsets(basketsFromArrays(list, 2), { minSupport: 1, weights }));
    const small = mined.find((s) => s.items.join(',') === '1')!;
    expect(small.supportCount).toBe(n - 1);
    // the exact sum of 999 999 × 1e-6, rounded once (on a grid set by 1e4 × 1e6 it was 0)
    expect(small.weightSum).toBe(exactSum(weights.subarray(1)));
    expect(small.weightSum).toBeCloseTo(0.999999, 12);
    expect(mined.find((s) => s.items.join(',') === '0')!.weightSum).toBe(1e4);
  });

  it('gives finite, exact sums where n · max|w| overflows a double (it gave NaN)', () => {
    // 10 baskets of 1e307 with items 0 and 2, 90 of 1 with items 1 and 2: n · max|w| = 1e309, every sum below 1.8e308
    const list = Array.from({ length: 100 }, (_, b) => (b < 10 ? [0, 2] : [1, 2]));
    const weights = Float64Array.from(list, (_, b) => (b < 10 ? 1e307 : 1));
    const mined = mineFrequentItemsets(basketsFromArrays(list, 3), { minSupport: 1, weights });
    const sums = new Map(listFrequentItemsets(mined).map((s) => [s.items.join(','), s.weightSum]));
    expect(sums.get('0')).toBe(exactSum(weights.subarray(0, 10)));
    expect(sums.get('1')).toBe(90);
    expect(sums.get('0,2')).toBe(exactSum(weights.subarray(0, 10)));
    expect(sums.get('1,2')).toBe(90);
    expect(sums.get('2')).toBe(exactSum(weights));
    expect(mined.totalWeight).toBe(exactSum(weights));
  });

  it('gives every itemset the exact sum of its baskets’ weights rounded once, weights of every size and sign', () => {
    const rng = createRandom(5);
    const list = randomBaskets(8, 300, 8, 0.35);
    const weights = list.map(() => (rng.uniform() - 0.3) * 10 ** Math.floor(rng.uniform() * 40 - 20));
    const mined = mineFrequentItemsets(basketsFromArrays(list, 8), { minSupport: 0.05, maxLength: 3, weights: Float64Array.from(weights) });
    const itemsets = listFrequentItemsets(mined);
    expect(itemsets.length).toBeGreaterThan(20);
    for (const s of itemsets) {
      const expected = exactSum(list.flatMap((basket, b) => (s.items.every((i) => basket.includes(i)) ? [weights[b]!] : [])));
      expect(s.weightSum, s.items.join(',')).toBe(expected);
    }
    expect(mined.totalWeight).toBe(exactSum(weights));
  });
});
