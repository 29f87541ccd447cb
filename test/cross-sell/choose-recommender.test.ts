/**
 * The recommender written is chosen on the training window and never worse
 * than best-sellers on the test window: two seeded synthetic shops, one in
 * which what sells is simply what is popular (best-sellers must win) and one
 * in which customers stay within a product family of equally popular items
 * (item similarity must win).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { blendRecommendations } from '../../src/cross-sell/blend-recommendations.js';
import { chooseRecommender } from '../../src/cross-sell/choose-recommender.js';
import { addDays } from '../../src/core/calendar-days.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { createRandom } from '../../src/math/random.js';
import { RecommendationsBuilder, type Recommendations } from '../../src/models/recommend/recommendations.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

const START = '2023-01-01';
const DAYS = 360;

/**
 * `customers` customers, each with 2–6 orders of 1–3 items spread over the
 * year; `pick(customer, random)` draws an item.
 */
function writeShop(path: string, seed: number, customers: number, pick: (customer: number, random: ReturnType<typeof createRandom>) => number): void {
  const random = createRandom(seed);
  const lines = ['order_id,customer_id,date,product_id,quantity,unit_price'];
  let order = 1;
  for (let c = 1; c <= customers; c++) {
    const orders = 2 + random.integer(5);
    for (let o = 0; o < orders; o++, order++) {
      const day = addDays(START, random.integer(DAYS));
      const items = new Set(Array.from({ length: 1 + random.integer(3) }, () => pick(c, random)));
      for (const item of items) lines.push(`${order},${c},${day},P${item},1,2.5`);
    }
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

/** Zipf-like popularity over `n` items: P(i) ∝ 1 / (i + 1)^1.2. */
function zipf(n: number): (random: ReturnType<typeof createRandom>) => number {
  const weights = Array.from({ length: n }, (_, i) => 1 / (i + 1) ** 1.2);
  const total = weights.reduce((a, b) => a + b, 0);
  return (random) => {
    let u = random.uniform() * total;
    for (let i = 0; i < n; i++) if ((u -= weights[i]!) <= 0) return i;
    return n - 1;
  };
}

describe('chooseRecommender', () => {
  let warehouse: Warehouse | null = null;
  afterEach(async () => {
    await warehouse?.close();
    warehouse = null;
  });

  async function shop(seed: number, pick: (customer: number, random: ReturnType<typeof createRandom>) => number) {
    const file = join(scratchDir('clvkit-recommender-'), 'orders.csv');
    writeShop(file, seed, 1500, pick);
    warehouse = await memoryWarehouse();
    await ingestFiles(warehouse, [file]);
    return chooseRecommender(warehouse, { level: 'product', k: 10, cutoff: addDays(START, 240) });
  }

  it('a shop where everyone buys the popular items: best-sellers are written', async () => {
    const draw = zipf(200);
    const selection = (await shop(21, (_c, random) => draw(random)))!;
    expect(selection.choice.written.name).toBe('best-sellers');
    expect(selection.choice.innerCutoff).toBe(addDays(START, 240 - 120));
    expect(selection.model.mapAtK).toBe(selection.baseline.mapAtK);
    const inner = selection.choice.candidates;
    const bestSellersInner = inner.find((c) => c.recommender === 'best-sellers')!.innerMapAtK!;
    for (const c of inner) expect(c.innerMapAtK!, c.recommender).toBeLessThanOrEqual(bestSellersInner);
    expect(selection.choice.reason).toMatch(/^best-sellers had the best MAP@10 on the training window's own split .*; on the test window they score 0\.\d{3} \(item similarity \+ rules 0\.\d{3}\)$/);
  }, 60_000);

  it('a shop of product families (40 families of 8 equally popular items, one family per customer): item similarity wins and beats best-sellers on the test window', async () => {
    const selection = (await shop(22, (c, random) => (c % 40) * 8 + random.integer(8)))!;
    expect(selection.choice.written.name).not.toBe('best-sellers');
    expect(selection.model.mapAtK).toBeGreaterThan(2 * selection.baseline.mapAtK);
    expect(selection.choice.reason).toContain('confirmed on the test window');
    const written = selection.choice.candidates.find((c) => c.recommender === selection.choice.label)!;
    expect(written.testMapAtK).toBe(selection.model.mapAtK);
  }, 60_000);

  it('returns null when the test window is empty', async () => {
    const draw = zipf(50);
    const file = join(scratchDir('clvkit-recommender-'), 'orders.csv');
    writeShop(file, 3, 100, (_c, random) => draw(random));
    warehouse = await memoryWarehouse();
    await ingestFiles(warehouse, [file]);
    expect(await chooseRecommender(warehouse, { level: 'product', k: 10, cutoff: addDays(START, DAYS + 10) })).toBeNull();
  });
});

describe('blendRecommendations', () => {
  it('ranks the union of two lists by weighted normalised ranks', () => {
    const list = (items: number[][]) => {
      const b = new RecommendationsBuilder(items.length, 2);
      for (const row of items) {
        row.forEach((item, r) => b.push(item, 1 - r / 10, false));
        b.endCustomer();
      }
      return b.build();
    };
    // a = [x=1, y=2], b = [y=2, z=3]: y scores 0.5·0.5 + 0.5·1 = 0.75, x 0.5, z 0.25
    const blended = blendRecommendations(list([[1, 2]]), list([[2, 3]]), 0.5, 2);
    expect(Array.from(blended.items)).toEqual([2, 1]);
    expect(Array.from(blended.scores)).toEqual([0.75, 0.5]);
    // all weight on b: b's order
    expect(Array.from(blendRecommendations(list([[1, 2]]), list([[2, 3]]), 0, 2).items)).toEqual([2, 3]);
  });

  // the blend's first form, one Map of objects per customer: the arrays reused across customers must give the same
  // lists, scores and fallback flags, ties (equal scores: a's order, then b's) and items shared between customers included
  it('gives the Map-based blend’s lists on 200 customers with shared items, ties and fallbacks', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const n = 5;
    const randomList = () => {
      const b = new RecommendationsBuilder(200, n);
      for (let c = 0; c < 200; c++) {
        const items = new Set<number>();
        const length = Math.floor(random() * (n + 1));
        while (items.size < length) items.add(Math.floor(random() * 12));
        for (const item of items) b.push(item, random(), random() < 0.3);
        b.endCustomer();
      }
      return b.build();
    };
    const reference = (a: Recommendations, b: Recommendations, weightA: number) => {
      const out: [number, number, boolean][][] = [];
      for (let c = 0; c < a.nCustomers; c++) {
        const scores = new Map<number, { score: number; order: number; fallback: boolean }>();
        let order = 0;
        const add = (list: Recommendations, weight: number, fromA: boolean) => {
          for (let k = 0; k < list.offsets[c + 1]! - list.offsets[c]!; k++) {
            const item = list.items[list.offsets[c]! + k]!;
            const entry = scores.get(item) ?? { score: 0, order: order++, fallback: true };
            entry.score += (weight * (n - k)) / n;
            if (fromA && list.fromFallback[list.offsets[c]! + k] === 0) entry.fallback = false;
            scores.set(item, entry);
          }
        };
        add(a, weightA, true);
        add(b, 1 - weightA, false);
        out.push([...scores].sort((x, y) => y[1].score - x[1].score || x[1].order - y[1].order).slice(0, n).map(([item, e]) => [item, e.score, e.fallback]));
      }
      return out;
    };
    const lists = (r: Recommendations) => Array.from({ length: r.nCustomers }, (_, c) => Array.from({ length: r.offsets[c + 1]! - r.offsets[c]! }, (_, k) => [r.items[r.offsets[c]! + k]!, r.scores[r.offsets[c]! + k]!, r.fromFallback[r.offsets[c]! + k] === 1]));
    let ties = 0;
    for (const weight of [0.5, 0.3, 1]) {
      const a = randomList();
      const b = randomList();
      const expected = reference(a, b, weight);
      expect(lists(blendRecommendations(a, b, weight, n))).toEqual(expected);
      ties += expected.filter((row) => row.some((x, i) => i > 0 && x[1] === row[i - 1]![1])).length;
    }
    expect(ties).toBeGreaterThan(10);
  });
});
