import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors/user-error.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { logHyp2f1 } from '../../src/math/hyp2f1.js';
import { predictBgNbdExpectedPurchases, type BgNbdParams } from '../../src/models/bgnbd/bgnbd.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import type { ShopProgress } from '../../src/synth/shop-options.js';
import type { ShopTruth } from '../../src/synth/shop-truth.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';
import { ordersByCustomer, readCsv, readOrders, readTruth, type ShopOrder } from './shop-test-helpers.js';

const WEEK_MS = 7 * 86_400_000;

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function dataRows(path: string): number {
  const text = readFileSync(path, 'utf8');
  return text.split('\n').length - 2; // header and the final newline
}

/** BG/NBD E[X(t)] (Fader, Hardie & Lee 2005, eq. 9): (a+b−1)/(a−1)·[1 − (α/(α+t))^r · 2F1(r, b; a+b−1; t/(α+t))]. */
function bgNbdExpectedRepeats(params: Record<string, number>, t: number): number {
  const { r, alpha, a, b } = params;
  const h = logHyp2f1(r, b, a + b - 1, t / (alpha + t));
  return ((a + b - 1) / (a - 1)) * (1 - Math.exp(r * Math.log(alpha / (alpha + t)) + h.logAbs) * h.sign);
}

/** Pareto/NBD E[X(t)] (Schmittlein, Morrison & Colombo 1987): rβ/(α(s−1))·[1 − (β/(β+t))^(s−1)]. */
function paretoNbdExpectedRepeats(params: Record<string, number>, t: number): number {
  const { r, alpha, s, beta } = params;
  return ((r * beta) / (alpha * (s - 1))) * (1 - Math.pow(beta / (beta + t), s - 1));
}

/**
 * Mean observed repeat orders per customer vs the mean of E[X(T_i)] over the
 * customers' own windows T_i (first order → window end). Tolerance: 4
 * standard errors of the mean of the per-customer differences x_i − E[X(T_i)].
 */
function checkPurchaseRecovery(dir: string, truth: ShopTruth, expected: (params: Record<string, number>, t: number) => number) {
  const byCustomer = ordersByCustomer(readOrders(dir));
  const endMs = Date.parse(`${truth.window.end}T00:00:00Z`);
  const unitMs = truth.purchaseModel!.daysPerUnit * 86_400_000;
  let sumObserved = 0, sumExpected = 0, sumSquares = 0;
  for (const orders of byCustomer.values()) {
    const T = (endMs - orders[0].ms) / unitMs;
    const x = orders.length - 1;
    const e = expected(truth.purchaseModel!.params, T);
    sumObserved += x;
    sumExpected += e;
    sumSquares += (x - e) ** 2;
  }
  const n = byCustomer.size;
  const observed = sumObserved / n, expectedMean = sumExpected / n;
  const se = Math.sqrt(sumSquares / n - (observed - expectedMean) ** 2) / Math.sqrt(n);
  return { n, observed, expected: expectedMean, se, repeats: sumObserved };
}

describe('generateShop: a small shop (1,500 customers, seed 11, default dirt 1%)', () => {
  let dir = '';
  let truth: ShopTruth;
  const progress: ShopProgress[] = [];
  beforeAll(async () => {
    dir = scratchDir('clvkit-synth-');
    truth = await generateShop({ outDir: dir, customers: 1500, seed: 11, onProgress: (p) => progress.push(p) });
  });

  it('is byte-identical for the same seed and differs for another seed', async () => {
    const again = scratchDir('clvkit-synth-');
    await generateShop({ outDir: again, customers: 1500, seed: 11 });
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['customers.csv', 'events.csv', 'products.csv', 'transactions.csv', 'truth-customers.csv', 'truth.json']);
    expect(readdirSync(again).sort()).toEqual(files);
    for (const file of files) expect(sha256(join(again, file)), file).toBe(sha256(join(dir, file)));
    const other = scratchDir('clvkit-synth-');
    await generateShop({ outDir: other, customers: 1500, seed: 12 });
    expect(sha256(join(other, 'transactions.csv'))).not.toBe(sha256(join(dir, 'transactions.csv')));
  });

  it('returns what it writes to truth.json, and row counts match every file', () => {
    expect(readTruth(dir)).toEqual(JSON.parse(JSON.stringify(truth)));
    expect(truth.files).toEqual(['customers.csv', 'products.csv', 'transactions.csv', 'events.csv', 'truth-customers.csv']);
    for (const file of truth.files) expect(dataRows(join(dir, file)), file).toBe(truth.rows[file.replace('.csv', '')]);
    // 1,500 buyers and 750 prospects (prospectShare 0.5): profiles and browsing, no purchase
    expect(truth.customers.prospects).toBe(750);
    expect(truth.rows.customers).toBe(2250);
    expect(truth.rows['truth-customers']).toBe(1500);
    expect(truth.rows.products).toBe(500);
    const q = truth.dirt.quarantine;
    // transactions = purchase lines + every kind of dirt
    expect(truth.rows.transactions).toBe(truth.transactions.purchaseLines + q.duplicate + q.missing_customer_id + q.non_product + truth.dirt.returns.rows);
    expect(truth.purchaseModel).toMatchObject({ name: 'bgnbd', timeUnit: 'week', daysPerUnit: 7, params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } });
    expect(truth.window).toMatchObject({ start: '2022-01-01', end: '2024-01-01', days: 730, acquisitionDays: 365 });
    expect(progress.length).toBe(100);
    expect(progress.at(-1)).toMatchObject({ phase: 'generate', customersDone: 1500, transactionRows: truth.rows.transactions, eventRows: truth.rows.events });
  });

  it('plants dirt at the counted numbers, and clvkit ingest finds exactly those', async () => {
    const csv = readCsv(join(dir, 'transactions.csv'));
    const seen = new Set<string>();
    let duplicate = 0, missing = 0, post = 0, returns = 0;
    for (const row of csv.rows) {
      const line = row.join(',');
      if (seen.has(line)) duplicate++;
      seen.add(line);
      if (row[csv.col('customer_id')] === '') missing++;
      if (row[csv.col('product_id')] === 'POST') post++;
      if (row[csv.col('order_id')].startsWith('C')) returns++;
    }
    const q = truth.dirt.quarantine;
    expect({ duplicate, missing, post, returns }).toEqual({ duplicate: q.duplicate, missing: q.missing_customer_id, post: q.non_product, returns: truth.dirt.returns.rows });
    // 1% rates: about 1% of lines / orders (4 sd bounds)
    const orders = truth.transactions.orders;
    for (const [kind, n, base] of [['duplicate', q.duplicate, truth.transactions.purchaseLines], ['non_product', q.non_product, orders]] as const) {
      expect(Math.abs(n - 0.01 * base), `${kind}: ${n} of ${base}`).toBeLessThan(4 * Math.sqrt(0.01 * base));
    }
    expect(truth.transactions.guestOrders).toBeGreaterThan(0);
    expect(q.missing_customer_id).toBeGreaterThanOrEqual(truth.transactions.guestOrders);

    const warehouse = await memoryWarehouse();
    try {
      const report = await ingestFiles(warehouse, [join(dir, 'transactions.csv')], { now: new Date('2025-01-01T00:00:00Z') });
      expect(report.rowsRead).toBe(truth.rows.transactions);
      // the three planted reasons at their counts, every other reason 0
      const planted: Record<string, number> = { missing_customer_id: q.missing_customer_id, non_product: q.non_product, duplicate: q.duplicate };
      const rules = report.rules as unknown as Record<string, number>;
      for (const reason of Object.keys(rules)) expect(rules[reason], reason).toBe(planted[reason] ?? 0);
      expect(Object.keys(rules)).toEqual(expect.arrayContaining(Object.keys(planted)));
      expect(report.quarantined).toBe(q.missing_customer_id + q.non_product + q.duplicate);
      expect(report.files[0].returns).toBe(truth.dirt.returns.rows);
      expect(report.files[0].mapping).toMatchObject({ customer_id: 'customer_id', date: 'order_date', order_id: 'order_id', quantity: 'quantity', unit_price: 'unit_price', product_id: 'product_id', cost: 'cost' });
    } finally {
      await warehouse.close();
    }
  });

  it('returns refer to an earlier purchase line of the same customer: C + its order id, later, same product and price, at most the bought quantity', () => {
    const csv = readCsv(join(dir, 'transactions.csv'));
    const [order, customer, date, product, quantity, price] = ['order_id', 'customer_id', 'order_date', 'product_id', 'quantity', 'unit_price'].map((c) => csv.col(c));
    const lines = new Map<string, string[]>();
    for (const row of csv.rows) if (!row[order].startsWith('C')) lines.set(`${row[order]}|${row[product]}`, row);
    let checked = 0;
    for (const row of csv.rows) {
      if (!row[order].startsWith('C')) continue;
      const original = lines.get(`${row[order].slice(1)}|${row[product]}`);
      expect(original, `return ${row.join(',')} has no original line`).toBeDefined();
      expect(row[customer]).toBe(original![customer]);
      expect(Date.parse(row[date]) > Date.parse(original![date]), `${row[date]} after ${original![date]}`).toBe(true);
      expect(row[price]).toBe(original![price]);
      expect(Number(row[quantity])).toBeLessThan(0);
      expect(-Number(row[quantity])).toBeLessThanOrEqual(Number(original![quantity]));
      checked++;
    }
    expect(checked).toBe(truth.dirt.returns.rows);
    expect(checked).toBeGreaterThan(20);
  });

  it('personal fields are fake: emails only at RFC 2606 domains, phones only in the Ofcom drama and NANP 555-01xx ranges', () => {
    const csv = readCsv(join(dir, 'customers.csv'));
    expect(csv.header).toEqual(['customer_id', 'signup_date', 'acquisition_channel', 'acquisition_cost', 'region', 'country', 'gender', 'birth_year', 'name', 'email', 'phone']);
    const domains = new Set<string>();
    for (const row of csv.rows) {
      const email = row[csv.col('email')];
      const phone = row[csv.col('phone')];
      expect(email, email).toMatch(/^[a-z]+\.[a-z]+\.\d+@example\.(com|org|net)$/);
      expect(email.startsWith(row[csv.col('name')].toLowerCase().replace(' ', '.') + `.${row[csv.col('customer_id')]}@`), email).toBe(true);
      expect(phone, phone).toMatch(/^(\+44 7700 900\d{3}|\+1 \d{3} 555 01\d{2})$/);
      domains.add(email.split('@')[1]);
    }
    expect([...domains].sort()).toEqual(['example.com', 'example.net', 'example.org']);
    // channel mix: organic 35% ± 4 sd, over buyers and prospects
    const organic = csv.rows.filter((row) => row[csv.col('acquisition_channel')] === 'organic').length;
    const n = csv.rows.length;
    expect(Math.abs(organic - 0.35 * n)).toBeLessThan(4 * Math.sqrt(n * 0.35 * 0.65));
    expect(csv.rows.filter((row) => row[csv.col('acquisition_channel')] === 'organic').every((row) => row[csv.col('acquisition_cost')] === '0.00')).toBe(true);
  });

  it('planted association rules are visible: lift of each planted pair ≫ 1, a popular unplanted pair ≈ 1', () => {
    const orders = readOrders(dir);
    const n = orders.length;
    const count = (...products: string[]) => orders.filter((o) => products.every((p) => o.products.has(p))).length;
    for (const rule of truth.associationRules) {
      const nA = count(rule.ifProductId), nB = count(rule.thenProductId), nAB = count(rule.ifProductId, rule.thenProductId);
      const lift = (nAB * n) / (nA * nB);
      const confidence = nAB / nA;
      const label = `${rule.ifProductId} → ${rule.thenProductId} (planted c = ${rule.confidence}): n = ${n}, nA = ${nA}, nB = ${nB}, nAB = ${nAB}, lift ${lift.toFixed(1)}, confidence ${confidence.toFixed(3)}`;
      expect(lift, label).toBeGreaterThan(5);
      // observed confidence = c + (1 − c)·P(B drawn anyway): within 4 sd below c, and above c by at most 4 sd plus B's overall share
      const sd = Math.sqrt((rule.confidence * (1 - rule.confidence)) / nA);
      expect(confidence, label).toBeGreaterThan(rule.confidence - 4 * sd);
      expect(confidence, label).toBeLessThan(rule.confidence + 4 * sd + nB / n);
      expect(rule.fired, label).toBeLessThanOrEqual(nAB);
      expect(rule.fired, label).toBeGreaterThan(0);
    }
    // control: the two most frequently bought products
    const frequency = new Map<string, number>();
    for (const o of orders) for (const p of o.products) frequency.set(p, (frequency.get(p) ?? 0) + 1);
    const [first, second] = [...frequency.entries()].sort((a, b) => b[1] - a[1]).map(([p]) => p);
    const controlLift = (count(first, second) * n) / (count(first) * count(second));
    expect(controlLift, `control ${first}, ${second}`).toBeGreaterThan(0.5);
    expect(controlLift, `control ${first}, ${second}`).toBeLessThan(2);
  });

  it('planted sequences are visible: after a first order with X, the next order holds Y far more often than orders in general', () => {
    const byCustomer = ordersByCustomer(readOrders(dir));
    const all = [...byCustomer.values()].flat();
    for (const sequence of truth.sequences) {
      let eligible = 0, hits = 0;
      for (const orders of byCustomer.values()) {
        const k = orders.findIndex((o: ShopOrder) => o.products.has(sequence.firstProductId));
        if (k < 0 || k === orders.length - 1) continue;
        eligible++;
        if (orders[k + 1].products.has(sequence.thenProductId)) hits++;
      }
      const base = all.filter((o) => o.products.has(sequence.thenProductId)).length / all.length;
      const c = sequence.probability;
      const label = `${sequence.firstProductId} ⇒ ${sequence.thenProductId} (planted ${c}): eligible ${eligible}, hits ${hits}, fired ${sequence.fired}, base rate ${base.toFixed(4)}`;
      expect(eligible, label).toBeGreaterThan(30);
      // every planted consequent is a hit; the planted share is c within 4 sd
      expect(sequence.fired, label).toBeLessThanOrEqual(hits);
      expect(Math.abs(sequence.fired / eligible - c), label).toBeLessThan(4 * Math.sqrt((c * (1 - c)) / eligible));
      expect(hits / eligible / base, label).toBeGreaterThan(5);
    }
  });

  it('realises Gamma-Gamma order values as baskets: realised mean within 2% of the drawn targets; the file agrees with truth.json', () => {
    const orders = readOrders(dir);
    expect(orders.length).toBe(truth.transactions.orders);
    const mean = orders.reduce((s, o) => s + o.value, 0) / orders.length;
    expect(Math.abs(mean / truth.spend.meanRealisedOrderValue - 1)).toBeLessThan(1e-9);
    expect(Math.abs(truth.spend.meanRealisedOrderValue / truth.spend.meanTargetOrderValue - 1), JSON.stringify(truth.spend)).toBeLessThan(0.02);
    expect(truth.spend.populationMeanOrderValue).toBeCloseTo((6.25 * 15.44) / 2.74, 10);
  });

  it('events: before each order, impulsive buyers browse in one short session, deliberate ones in several longer sessions', () => {
    const truthCustomers = readCsv(join(dir, 'truth-customers.csv'));
    const typeOf = new Map(truthCustomers.rows.map((row) => [row[0], row[truthCustomers.col('buyer_type')]]));
    const orders = ordersByCustomer(readOrders(dir));
    const events = readCsv(join(dir, 'events.csv'));
    expect(events.header).toEqual(['session_id', 'customer_id', 'anonymous_id', 'ts', 'type', 'product_id', 'category', 'query']);
    const sessions = new Map<string, { anonymousId: string; first: number; last: number }>();
    const customerOfAnonymous = new Map<string, string>();
    const lastTs = new Map<string, number>();
    // every row checked, the offenders collected and asserted once (two expect calls per row were most of this file's
    // CPU: ~11 s of its ~21 s wall)
    const TYPES = new Set(['view', 'search', 'add_to_cart', 'remove_from_cart', 'login']);
    const otherTypes: string[] = [];
    const outOfOrder: string[] = [];
    for (const row of events.rows) {
      const [session, customer, anonymous, ts, type] = row;
      if (!TYPES.has(type)) otherTypes.push(`${session}: ${type}`);
      const ms = Date.parse(`${ts}Z`);
      if (!(ms >= (lastTs.get(anonymous) ?? -Infinity))) outOfOrder.push(`${anonymous} at ${ts}`);
      lastTs.set(anonymous, ms);
      if (customer !== '') customerOfAnonymous.set(anonymous, customer);
      const s = sessions.get(session) ?? { anonymousId: anonymous, first: ms, last: ms };
      s.last = ms;
      sessions.set(session, s);
    }
    expect(otherTypes.slice(0, 10), 'event types other than view, search, add_to_cart, remove_from_cart, login').toEqual([]);
    expect(outOfOrder.slice(0, 10), 'events of an anonymous id out of time order').toEqual([]);
    // the sessions the buyer types look at: in the 30 days before an order, after the previous one (a buyer's earlier
    // browsing, before and after signing up, lies before them)
    const stats = { impulsive: { sessions: 0, minutes: 0, maxMinutes: 0, orders: 0 }, deliberate: { sessions: 0, minutes: 0, maxMinutes: 0, orders: 0 } };
    for (const s of sessions.values()) {
      const customer = customerOfAnonymous.get(s.anonymousId);
      const type = typeOf.get(customer!) as 'impulsive' | 'deliberate' | undefined;
      if (type === undefined) continue; // a prospect's session, a visitor's who never identifies, or a device never logged in on
      const list = orders.get(customer!)!;
      const k = list.findIndex((o) => o.ms >= s.last);
      if (k < 0 || s.first < list[k]!.ms - 30 * 86_400_000 || (k > 0 && s.first <= list[k - 1]!.ms)) continue;
      const minutes = (s.last - s.first) / 60_000;
      stats[type].sessions++;
      stats[type].minutes += minutes;
      stats[type].maxMinutes = Math.max(stats[type].maxMinutes, minutes);
    }
    for (const [customer, type] of typeOf) stats[type as 'impulsive' | 'deliberate'].orders += orders.get(customer)!.length;
    const label = JSON.stringify(stats);
    expect(stats.impulsive.sessions, label).toBe(stats.impulsive.orders); // exactly one session per order
    expect(stats.impulsive.maxMinutes, label).toBeLessThanOrEqual(6);
    expect(stats.deliberate.sessions / stats.deliberate.orders, label).toBeGreaterThan(2);
    expect(stats.deliberate.minutes / stats.deliberate.sessions, label).toBeGreaterThan(3 * (stats.impulsive.minutes / stats.impulsive.sessions));
    expect(truth.customers.impulsive + truth.customers.deliberate).toBe(1500);
    expect(Math.abs(truth.customers.impulsive - 0.35 * 1500)).toBeLessThan(4 * Math.sqrt(1500 * 0.35 * 0.65));
  });
});

describe('generateShop: the purchase process recovers its truth', () => {
  it('BG/NBD (CDNOW params, weeks): mean repeat orders per customer = mean E[X(T_i)] within 4 standard errors', async () => {
    const dir = scratchDir('clvkit-synth-');
    const truth = await generateShop({ outDir: dir, customers: 5000, seed: 21, events: false });
    const result = checkPurchaseRecovery(dir, truth, bgNbdExpectedRepeats);
    expect(result.n).toBe(5000);
    expect(result.repeats).toBe(truth.customers.repeatPurchases);
    expect(Math.abs(result.observed - result.expected), JSON.stringify(result)).toBeLessThan(4 * result.se);
    // the test's closed form agrees with the library's (independently written) BG/NBD prediction
    for (const t of [1, 39, 104]) {
      const library = predictBgNbdExpectedPurchases(truth.purchaseModel!.params as BgNbdParams, t);
      expect(Math.abs(bgNbdExpectedRepeats(truth.purchaseModel!.params, t) / library - 1), `t = ${t}: library ${library}`).toBeLessThan(1e-10);
    }
    // per-customer truth file agrees with the transactions
    const truthCustomers = readCsv(join(dir, 'truth-customers.csv'));
    const byCustomer = ordersByCustomer(readOrders(dir));
    for (const row of truthCustomers.rows) expect(Number(row[truthCustomers.col('repeat_purchases')])).toBe(byCustomer.get(row[0])!.length - 1);
  });

  it('Pareto/NBD (CDNOW params, weeks): mean repeat orders per customer = mean E[X(T_i)] within 4 standard errors', async () => {
    const dir = scratchDir('clvkit-synth-');
    const truth = await generateShop({ outDir: dir, customers: 5000, seed: 22, model: 'paretonbd', events: false, dirtRate: 0 });
    expect(truth.purchaseModel!.params).toEqual({ r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 });
    expect(truth.dirt.quarantine).toEqual({ duplicate: 0, missing_customer_id: 0, non_product: 0 });
    const result = checkPurchaseRecovery(dir, truth, paretoNbdExpectedRepeats);
    expect(Math.abs(result.observed - result.expected), JSON.stringify(result)).toBeLessThan(4 * result.se);
  });
});

describe('generateShop: formats and options', () => {
  it('--format parquet: converts every file through DuckDB with the same rows, and removes the CSVs', async () => {
    const dir = scratchDir('clvkit-synth-');
    const truth = await generateShop({ outDir: dir, customers: 300, seed: 5, format: 'parquet' });
    expect(truth.files).toEqual(['customers.parquet', 'products.parquet', 'transactions.parquet', 'events.parquet', 'truth-customers.parquet']);
    expect(readdirSync(dir).filter((f) => f.endsWith('.csv'))).toEqual([]);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      for (const file of truth.files) {
        const reader = await connection.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet('${join(dir, file)}')`);
        expect(reader.getRowObjects()[0].n, file).toBe(truth.rows[file.replace('.parquet', '')]);
      }
      const reader = await connection.runAndReadAll(
        `SELECT count(*) FILTER (WHERE customer_id IS NULL)::INTEGER AS missing, count(*) FILTER (WHERE order_id LIKE 'C%')::INTEGER AS returns, typeof(any_value(order_date)) AS ts_type FROM read_parquet('${join(dir, 'transactions.parquet')}')`,
      );
      expect(reader.getRowObjects()[0]).toEqual({ missing: truth.dirt.quarantine.missing_customer_id, returns: truth.dirt.returns.rows, ts_type: 'TIMESTAMP' });
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    // deterministic with this DuckDB version too
    const again = scratchDir('clvkit-synth-');
    await generateShop({ outDir: again, customers: 300, seed: 5, format: 'parquet' });
    for (const file of [...truth.files, 'truth.json']) expect(sha256(join(again, file)), file).toBe(sha256(join(dir, file)));
    // a CSV run into the same folder replaces the parquet files
    await generateShop({ outDir: dir, customers: 50, seed: 5, events: false });
    expect(readdirSync(dir).sort()).toEqual(['customers.csv', 'products.csv', 'transactions.csv', 'truth-customers.csv', 'truth.json']);
  });

  it('turning events off or changing dirt leaves the customers and their purchase lines unchanged', async () => {
    const a = scratchDir('clvkit-synth-'), b = scratchDir('clvkit-synth-');
    const ta = await generateShop({ outDir: a, customers: 400, seed: 9 });
    const tb = await generateShop({ outDir: b, customers: 400, seed: 9, events: false, dirtRate: 0 });
    expect(existsSync(join(b, 'events.csv'))).toBe(false);
    expect(sha256(join(b, 'customers.csv'))).toBe(sha256(join(a, 'customers.csv')));
    expect(sha256(join(b, 'truth-customers.csv'))).toBe(sha256(join(a, 'truth-customers.csv')));
    expect(tb.transactions.purchaseLines).toBe(ta.transactions.purchaseLines);
    expect(tb.rows.transactions).toBe(tb.transactions.purchaseLines);
    const strip = (dir: string) => readOrders(dir).map((o) => `${o.customerId}|${o.ms}|${[...o.products].sort().join(' ')}`);
    expect(strip(b)).toEqual(strip(a));
  });

  it('rejects bad options with a UserError naming the option', async () => {
    const dir = scratchDir('clvkit-synth-');
    await expect(generateShop({ outDir: dir, customers: 0, seed: 1 })).rejects.toThrow(/customers must be a whole number ≥ 1, got 0/);
    await expect(generateShop({ outDir: dir, customers: 10, seed: 1, start: '2022-02-30' })).rejects.toThrow(UserError);
    const rule = { ifRank: 5, thenRank: 80, confidence: 0.5 };
    await expect(generateShop({ outDir: dir, customers: 10, seed: 1, products: 50, associationRules: [rule] })).rejects.toThrow(/association rule thenRank must be a popularity rank from 1 to the number of products \(50\), got 80/);
    await expect(generateShop({ outDir: dir, customers: 10, seed: 1, bgnbd: { r: 0.2, alpha: -1, a: 1, b: 1 } })).rejects.toThrow(/BG\/NBD parameter alpha must be a finite number > 0/);
    await expect(generateShop({ outDir: dir, customers: 10, seed: 1, timeUnit: 'day' })).rejects.toThrow(/time unit day needs bgnbd parameters in that unit/);
    await expect(generateShop({ outDir: join(dir, 'x'), customers: 10, seed: 1, dirtRate: 0.9 })).rejects.toThrow(/dirt rate must be a rate from 0 to 0.5, got 0.9/);
    expect(existsSync(join(dir, 'truth.json'))).toBe(false);
  });

  it('a small catalog keeps only the default rules and sequences that fit it', async () => {
    const truth = await generateShop({ outDir: scratchDir('clvkit-synth-'), customers: 20, seed: 1, products: 45, events: false });
    expect(truth.associationRules.map((r) => [r.ifRank, r.thenRank])).toEqual([[5, 30]]);
    expect(truth.sequences.map((s) => [s.firstRank, s.thenRank])).toEqual([[8, 40]]);
  });
});
