import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors/user-error.js';
import { createRandom } from '../../../src/math/random.js';
import { mineSequentialPatterns } from '../../../src/models/patterns/prefixspan.js';
import { type Sequences, sequencesFromArrays, sequencesToArrays } from '../../../src/models/patterns/sequences.js';

const LETTERS = 'abcdefg';
/** the sequence database of Pei et al. (2004), Table 1 */
const PAPER_DB = ['a,abc,ac,d,cf', 'ad,c,bc,ae', 'ef,ab,df,c,b', 'e,g,af,c,b,c'].map((s) => s.split(',').map((e) => [...e].map((ch) => LETTERS.indexOf(ch))));

const keyOf = (elements: number[][]) => elements.map((e) => e.join(',')).join('|');
const show = (elements: number[][]) => `<${elements.map((e) => (e.length > 1 ? `(${e.map((i) => LETTERS[i]).join('')})` : LETTERS[e[0]])).join('')}>`;

/**
 * Brute force by definition: every pattern drawn from a sequence by choosing
 * orders i1 < … < ik and a non-empty subset of each, counted once per sequence.
 */
function bruteForcePatterns(db: number[][][], minCount: number, maxLength: number, maxElements: number): Map<string, number> {
  const support = new Map<string, number>();
  for (const sequence of db) {
    const found = new Set<string>();
    const walk = (from: number, elements: number[][], length: number) => {
      if (elements.length > 0) found.add(keyOf(elements));
      if (elements.length >= maxElements) return;
      for (let t = from; t < sequence.length; t++) {
        const order = sequence[t];
        for (let mask = 1; mask < 1 << order.length; mask++) {
          const subset = order.filter((_, p) => (mask >> p) & 1);
          if (length + subset.length > maxLength) continue;
          walk(t + 1, [...elements, subset], length + subset.length);
        }
      }
    };
    walk(0, [], 0);
    for (const key of found) support.set(key, (support.get(key) ?? 0) + 1);
  }
  for (const [key, count] of support) if (count < minCount) support.delete(key);
  return support;
}

describe('mineSequentialPatterns (PrefixSpan)', () => {
  it('finds the 53 sequential patterns of the worked example in Pei et al. (2004), min support 2', () => {
    const result = mineSequentialPatterns(sequencesFromArrays(PAPER_DB), { minSupport: 2 });
    expect(result.patterns.length).toBe(53);
    const got = new Map(result.patterns.map((p) => [show(p.elements), p.supportCount]));
    // hand-checked entries of the paper's table
    expect(got.get('<a>')).toBe(4);
    expect(got.get('<d>')).toBe(3);
    expect(got.get('<(ab)c>')).toBe(2);
    expect(got.get('<acb>')).toBe(3);
    expect(got.get('<a(bc)a>')).toBe(2);
    expect(got.get('<eacb>')).toBe(2);
    expect(got.get('<(bc)a>')).toBe(2);
    expect(got.has('<g>')).toBe(false);
    const expected = bruteForcePatterns(PAPER_DB, 2, Infinity, Infinity);
    expect(new Map(result.patterns.map((p) => [keyOf(p.elements), p.supportCount]))).toEqual(expected);
  });

  it('matches brute-force enumeration on 200 random sequence databases', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rng = createRandom(seed * 31337);
      const nItems = 2 + rng.integer(3); // 2..4
      const nSequences = rng.integer(12);
      const db: number[][][] = [];
      for (let s = 0; s < nSequences; s++) {
        const orders: number[][] = [];
        const nOrders = rng.integer(5);
        let budget = 9; // ≤ 9 items per sequence keeps the brute force at ≤ 2^9 sub-patterns
        for (let t = 0; t < nOrders && budget > 0; t++) {
          const order = Array.from({ length: nItems }, (_, i) => i).filter(() => rng.uniform() < 0.45).slice(0, budget);
          budget -= order.length;
          orders.push(order); // empty orders are allowed and must be harmless
        }
        db.push(orders);
      }
      const minSupport = 1 + rng.integer(3);
      const maxLength = rng.uniform() < 0.5 ? undefined : 1 + rng.integer(4);
      const maxElements = rng.uniform() < 0.7 ? undefined : 1 + rng.integer(3);
      const result = mineSequentialPatterns(sequencesFromArrays(db, nItems), { minSupport, maxLength, maxElements });
      const expected = bruteForcePatterns(db, minSupport, maxLength ?? Infinity, maxElements ?? Infinity);
      const got = new Map<string, number>();
      for (const p of result.patterns) {
        expect(got.has(keyOf(p.elements)), `duplicate ${keyOf(p.elements)}`).toBe(false);
        got.set(keyOf(p.elements), p.supportCount);
      }
      expect(got, `seed ${seed}: db=${JSON.stringify(db)} minSupport=${minSupport} maxLength=${maxLength} maxElements=${maxElements}`).toEqual(expected);
      expect(result.nSequences).toBe(nSequences);
    }
  });

  it('maxPatterns raises the minimum support to the smallest count that leaves at most maxPatterns, exactly (brute force, 150 databases)', () => {
    let raised = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const rng = createRandom(seed * 7717);
      const nItems = 2 + rng.integer(3);
      const db: number[][][] = [];
      for (let s = 0, n = 2 + rng.integer(10); s < n; s++) {
        const orders: number[][] = [];
        let budget = 9;
        for (let t = 0, m = rng.integer(5); t < m && budget > 0; t++) {
          const order = Array.from({ length: nItems }, (_, i) => i).filter(() => rng.uniform() < 0.5).slice(0, budget);
          budget -= order.length;
          orders.push(order);
        }
        db.push(orders);
      }
      const minSupport = 1 + rng.integer(2);
      const maxLength = rng.uniform() < 0.5 ? undefined : 2 + rng.integer(3);
      const maxPatterns = 1 + rng.integer(25);
      const all = bruteForcePatterns(db, minSupport, maxLength ?? Infinity, Infinity);
      const atLeast = (t: number) => [...all.values()].filter((c) => c >= t).length;
      let expectedCount = minSupport;
      while (atLeast(expectedCount) > maxPatterns) expectedCount++;
      if (expectedCount > minSupport) raised++;
      const result = mineSequentialPatterns(sequencesFromArrays(db, nItems), { minSupport, maxLength, maxPatterns });
      const context = `seed ${seed}: minSupport ${minSupport} maxLength ${maxLength} maxPatterns ${maxPatterns}`;
      expect(result.minSupportCount, context).toBe(expectedCount);
      expect(result.patterns.length, context).toBeLessThanOrEqual(maxPatterns);
      expect(new Map(result.patterns.map((p) => [keyOf(p.elements), p.supportCount])), context).toEqual(new Map([...all].filter(([, c]) => c >= expectedCount)));
    }
    expect(raised).toBeGreaterThan(50); // the cap is exercised, not just passed through
  });

  it('stays bounded when everyone buys nearly everything (regression: daily buyers, 500² frequent pairs and 500³ triples ran out of memory)', () => {
    const rng = createRandom(2024);
    // 60 customers, an order on most of 250 days, 1–4 of 500 products each: like `clvkit synth --shape daily`
    const db = Array.from({ length: 60 }, () => Array.from({ length: 250 }, () => Array.from({ length: 1 + rng.integer(4) }, () => rng.integer(500))));
    const result = mineSequentialPatterns(sequencesFromArrays(db, 500), { minSupport: 0.02, maxLength: 3, maxPatterns: 5000 });
    expect(result.patterns.length).toBeGreaterThan(1000);
    expect(result.patterns.length).toBeLessThanOrEqual(5000);
    expect(result.minSupportCount).toBeGreaterThan(2);
    expect(Math.min(...result.patterns.map((p) => p.supportCount))).toBe(result.minSupportCount);
  }, 120_000); // a bound on a hang (5 s at load 12), not a time it must beat: PrefixSpan's times are bench lines (--only patterns)

  it('counts leaf extensions on long sequences exactly (regression guard for the indexed leaf count: each pattern of ≤ 3 items checked by containment)', () => {
    // every pattern of ≤ 3 items over 4 items, and its support by greedy leftmost containment
    const contains = (sequence: number[][], elements: number[][]) => {
      let e = 0;
      for (const order of sequence) if (e < elements.length && elements[e].every((y) => order.includes(y))) e++;
      return e === elements.length;
    };
    const subsets = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map((mask) => [0, 1, 2, 3].filter((i) => (mask >> i) & 1)).filter((e) => e.length <= 3);
    const candidates: number[][][] = [];
    const extend = (elements: number[][], length: number) => {
      if (elements.length > 0) candidates.push(elements);
      for (const e of subsets) if (length + e.length <= 3) extend([...elements, e], length + e.length);
    };
    extend([], 0);
    for (let seed = 1; seed <= 40; seed++) {
      const rng = createRandom(seed * 4241);
      // dense shops (most sequences hold every item late: the complement count) and sparse ones (the direct count)
      const density = seed % 2 === 0 ? 0.6 : 0.15;
      const db = Array.from({ length: 5 + rng.integer(20) }, () =>
        Array.from({ length: rng.integer(40) }, () => [0, 1, 2, 3].filter(() => rng.uniform() < density)),
      );
      const minSupport = 1 + rng.integer(4);
      const maxElements = seed % 5 === 0 ? 2 : undefined;
      const result = mineSequentialPatterns(sequencesFromArrays(db, 4), { minSupport, maxLength: 3, maxElements });
      const expected = new Map<string, number>();
      for (const elements of candidates) {
        if (elements.length > (maxElements ?? Infinity)) continue;
        const count = db.filter((sequence) => contains(sequence, elements)).length;
        if (count >= minSupport) expected.set(keyOf(elements), count);
      }
      expect(new Map(result.patterns.map((p) => [keyOf(p.elements), p.supportCount])), `seed ${seed}`).toEqual(expected);
      expect(result.patterns.length, `seed ${seed}`).toBe(expected.size);
    }
  });

  it('counts a customer once however often the pattern recurs', () => {
    const db = [[[0], [1], [0], [1]], [[0, 1]], [[1], [0]]];
    const result = mineSequentialPatterns(sequencesFromArrays(db), { minSupport: 1 });
    const got = new Map(result.patterns.map((p) => [keyOf(p.elements), p.supportCount]));
    expect(got.get('0')).toBe(3);
    expect(got.get('0|1')).toBe(1);
    expect(got.get('1|0')).toBe(2);
    expect(got.get('0,1')).toBe(1);
    expect(got.get('0|1|0|1')).toBe(1);
  });

  it('uses fractions of customers and rejects bad input with UserError', () => {
    const sequences = sequencesFromArrays(PAPER_DB);
    expect(mineSequentialPatterns(sequences, { minSupport: 0.5 }).minSupportCount).toBe(2);
    // support ≥ 3 of 4: the 14 entries of the paper's table with counts 3 or 4
    expect(mineSequentialPatterns(sequences, { minSupport: 0.75 }).patterns.map((p) => show(p.elements)).sort()).toEqual(
      ['<a>', '<ab>', '<ac>', '<acb>', '<acc>', '<b>', '<bc>', '<c>', '<cb>', '<cc>', '<d>', '<dc>', '<e>', '<f>'],
    );
    expect(() => mineSequentialPatterns(sequences, { minSupport: 0 })).toThrow(UserError);
    expect(() => mineSequentialPatterns(sequences, { minSupport: 2, maxElements: 0 })).toThrow(UserError);
    const broken: Sequences = { sequenceOffsets: Uint32Array.from([0, 1]), itemsetOffsets: Uint32Array.from([0, 2]), items: Uint32Array.from([2, 2]), nItems: 3 };
    expect(() => mineSequentialPatterns(broken, { minSupport: 1 })).toThrow(/not sorted and distinct/);
    expect(sequencesToArrays(sequencesFromArrays([[[2, 1, 2]], []]))).toEqual([[[1, 2]], []]);
  });
});
