import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors/user-error.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { SHOP_SHAPES, type ShopShape } from '../../src/synth/shop-shapes.js';
import type { ShopTruth } from '../../src/synth/shop-truth.js';
import { scratchDir } from '../helpers/warehouse.js';
import { ordersByCustomer, readCsv, readOrders, type ShopOrder } from './shop-test-helpers.js';

const DAY_MS = 86_400_000;

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

interface Shop {
  readonly dir: string;
  readonly truth: ShopTruth;
  readonly byCustomer: Map<string, ShopOrder[]>;
  readonly endMs: number;
}

async function shop(shape: ShopShape, customers: number, seed: number): Promise<Shop> {
  const dir = scratchDir(`clvkit-shape-${shape}-`);
  const truth = await generateShop({ outDir: dir, customers, seed, shape, events: false });
  return { dir, truth, byCustomer: ordersByCustomer(readOrders(dir)), endMs: Date.parse(`${truth.window.end}T00:00:00Z`) };
}

/** Distinct UTC purchase days of a customer's orders. */
function purchaseDays(orders: readonly ShopOrder[]): Set<number> {
  return new Set(orders.map((order) => Math.floor(order.ms / DAY_MS)));
}

function gapsDays(orders: readonly ShopOrder[]): number[] {
  return orders.slice(1).map((order, i) => (order.ms - orders[i].ms) / DAY_MS);
}

/**
 * How long after their own rhythm customers go quiet: Σ (end − last order) / Σ (mean gap between orders),
 * over customers with ≥ 3 orders. About 1 for buyers who keep buying to the end (a Poisson process
 * restarted at the last order), far above 1 when they drop out.
 */
function quietRatio(s: Shop): number {
  let quiet = 0, rhythm = 0;
  for (const orders of s.byCustomer.values()) {
    if (orders.length < 3) continue;
    const gaps = gapsDays(orders);
    quiet += (s.endMs - orders.at(-1)!.ms) / DAY_MS;
    rhythm += gaps.reduce((a, b) => a + b, 0) / gaps.length;
  }
  return quiet / rhythm;
}

describe('synth shapes', () => {
  const shops = new Map<ShopShape, Shop>();
  beforeAll(async () => {
    for (const [shape, customers] of [['bgnbd', 800], ['steady', 600], ['regular', 150], ['daily', 40], ['one-time', 300], ['one-day', 300], ['decade', 1500]] as const) {
      shops.set(shape, await shop(shape, customers, 21));
    }
  }, 120_000);

  it('every shape: every customer has a first purchase, truth.json names the shape and its generating parameters', () => {
    for (const [shape, s] of shops) {
      expect(s.byCustomer.size, shape).toBe(s.truth.customers.total);
      expect(s.truth.shape.name, shape).toBe(shape);
      expect(s.truth.options.shape, shape).toBe(shape);
      expect(s.truth.shape.story.length, shape).toBeGreaterThan(20);
    }
    expect(shops.get('steady')!.truth.shape.params).toEqual({ r: 4, alpha: 40 });
    expect(shops.get('regular')!.truth.shape.params).toEqual({ cadenceMinDays: 25, cadenceMaxDays: 35, jitterDays: 2 });
    expect(shops.get('daily')!.truth.shape.params).toEqual({ a: 8, b: 2 });
    expect(shops.get('one-day')!.truth.shape.params).toEqual({ secondOrderShare: 0.2 });
    expect(shops.get('decade')!.truth.shape.params).toEqual({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 });
    expect(shops.get('decade')!.truth.purchaseModel?.name).toBe('bgnbd');
    expect(shops.get('steady')!.truth.purchaseModel).toBeUndefined();
  });

  it('steady: nobody drops out — customers go quiet at the end no longer than their own rhythm, unlike the BG/NBD shop', () => {
    const steady = shops.get('steady')!;
    const truth = readCsv(join(steady.dir, 'truth-customers.csv'));
    expect(truth.rows.every((row) => row[truth.col('alive_at_end')] === 'true' && row[truth.col('dropout')] === '0.0000000')).toBe(true);
    expect(steady.truth.window).toMatchObject({ days: 365, acquisitionDays: 28 });
    const steadyRatio = quietRatio(steady);
    const bgnbdRatio = quietRatio(shops.get('bgnbd')!);
    expect(steadyRatio).toBeGreaterThan(0.6);
    expect(steadyRatio).toBeLessThan(1.4);
    expect(bgnbdRatio).toBeGreaterThan(2);
    // ≈ 5 repeat orders a year (λ mean r/α = 0.1 a week) over ≈ 50 weeks
    const meanOrders = steady.truth.transactions.orders / steady.truth.customers.total;
    expect(meanOrders).toBeGreaterThan(5);
    expect(meanOrders).toBeLessThan(7.5);
  });

  it('regular: each customer orders about once a month with regular gaps (coefficient of variation < 0.1) up to the end', () => {
    const s = shops.get('regular')!;
    for (const [customer, orders] of s.byCustomer) {
      const gaps = gapsDays(orders);
      const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
      const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
      expect(gaps.length, customer).toBeGreaterThanOrEqual(19);
      expect(mean, customer).toBeGreaterThan(24);
      expect(mean, customer).toBeLessThan(36);
      expect(sd / mean, customer).toBeLessThan(0.1);
      expect((s.endMs - orders.at(-1)!.ms) / DAY_MS, customer).toBeLessThan(37);
    }
  });

  it('daily: customers buy on most days of the year (mean share of days ≈ 0.8, Beta(8, 2))', () => {
    const s = shops.get('daily')!;
    const shares = [...s.byCustomer.values()].map((orders) => purchaseDays(orders).size / 365);
    const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
    expect(mean).toBeGreaterThan(0.72);
    expect(mean).toBeLessThan(0.88);
    expect(shares.filter((share) => share > 0.5).length / shares.length).toBeGreaterThan(0.9);
  });

  it('one-time: every customer exactly one purchase day, and no repeat purchases in the truth', () => {
    const s = shops.get('one-time')!;
    for (const [customer, orders] of s.byCustomer) expect(purchaseDays(orders).size, customer).toBe(1);
    expect(s.truth.customers.repeatPurchases).toBe(0);
    expect(s.truth.transactions.orders).toBe(300);
  });

  it('one-day: every transaction row (orders, returns, guest orders) is dated on one day; about 20% of customers order twice', () => {
    const s = shops.get('one-day')!;
    const csv = readCsv(join(s.dir, 'transactions.csv'));
    const dates = new Set(csv.rows.map((row) => row[csv.col('order_date')].slice(0, 10)));
    expect([...dates]).toEqual(['2022-01-01']);
    const twice = [...s.byCustomer.values()].filter((orders) => orders.length === 2).length;
    expect(Math.abs(twice - 0.2 * 300)).toBeLessThan(4 * Math.sqrt(300 * 0.2 * 0.8));
    expect(s.truth.window).toMatchObject({ start: '2022-01-01', end: '2022-01-02', days: 1 });
  });

  it('decade: ten years of daily history — orders from 2015 to 2024 and on most days of the first nine years', () => {
    const s = shops.get('decade')!;
    const days = new Set<number>();
    for (const orders of s.byCustomer.values()) for (const day of purchaseDays(orders)) days.add(day);
    const first = Math.min(...days), last = Math.max(...days);
    expect(new Date(first * DAY_MS).toISOString().slice(0, 4)).toBe('2015');
    expect(new Date(last * DAY_MS).toISOString().slice(0, 4)).toBe('2024');
    expect((last - first) / 365.25).toBeGreaterThan(9);
    expect(s.truth.window).toMatchObject({ start: '2015-01-01', end: '2025-01-01', days: 3653 });
    // 1,500 first purchases over 3,288 days plus repeats: most of those days see an order
    const firstNineYears = [...days].filter((day) => day < first + 3288).length;
    expect(firstNineYears / 3288).toBeGreaterThan(0.4);
  });

  it('every shape: the same seed gives the same bytes, another seed other bytes', async () => {
    for (const shape of SHOP_SHAPES) {
      const a = scratchDir('clvkit-shape-'), b = scratchDir('clvkit-shape-'), c = scratchDir('clvkit-shape-');
      await generateShop({ outDir: a, customers: 30, seed: 5, shape });
      await generateShop({ outDir: b, customers: 30, seed: 5, shape });
      await generateShop({ outDir: c, customers: 30, seed: 6, shape });
      for (const file of ['transactions.csv', 'events.csv', 'truth-customers.csv', 'truth.json']) expect(sha256(join(b, file)), `${shape} ${file}`).toBe(sha256(join(a, file)));
      expect(sha256(join(c, 'transactions.csv')), shape).not.toBe(sha256(join(a, 'transactions.csv')));
    }
  }, 60_000);

  it('the default shape is bgnbd: the same bytes as asking for it', async () => {
    const a = scratchDir('clvkit-shape-'), b = scratchDir('clvkit-shape-');
    await generateShop({ outDir: a, customers: 200, seed: 9 });
    await generateShop({ outDir: b, customers: 200, seed: 9, shape: 'bgnbd' });
    for (const file of ['transactions.csv', 'events.csv', 'truth.json']) expect(sha256(join(b, file)), file).toBe(sha256(join(a, file)));
  });

  it('bad shape options are user errors naming the fix', async () => {
    const dir = scratchDir('clvkit-shape-');
    await expect(generateShop({ outDir: dir, customers: 5, seed: 1, shape: 'weekly' as ShopShape })).rejects.toThrow(/shape must be one of bgnbd, steady, regular, daily, one-time, one-day, decade, got weekly/);
    await expect(generateShop({ outDir: dir, customers: 5, seed: 1, shape: 'steady', model: 'paretonbd' })).rejects.toThrow(UserError);
    await expect(generateShop({ outDir: dir, customers: 5, seed: 1, shape: 'one-day', days: 5 })).rejects.toThrow(/one-day has a window of one day/);
  });
});
