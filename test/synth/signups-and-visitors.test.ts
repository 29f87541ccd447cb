/**
 * The sign-ups and browsing of a synthetic shop (3,000 buyers, seed 5, default options) hold the shares its options
 * document, read back from the files it wrote (customers.csv, transactions.csv, events.csv) where the files show them,
 * else from truth.json's counts; and the files agree with truth.json's counts of what stitching can find.
 * Tolerances: 4 binomial standard errors for a share, 4 of the median's for the sign-up lead.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateShop } from '../../src/synth/generate-shop.js';
import { DEFAULT_VISITOR_OPTIONS } from '../../src/synth/shop-options.js';
import type { ShopTruth } from '../../src/synth/shop-truth.js';
import { scratchDir } from '../helpers/warehouse.js';
import { ordersByCustomer, readCsv, readOrders, type Csv } from './shop-test-helpers.js';

const DAY_MS = 86_400_000;
const BUYERS = 3000;

function withinShare(observed: number, n: number, share: number, label: string): void {
  expect(Math.abs(observed / n - share), `${label}: ${observed} of ${n}, expected share ${share}`).toBeLessThan(4 * Math.sqrt((share * (1 - share)) / n));
}

describe('sign-ups and visitors of a synthetic shop (3,000 buyers, seed 5)', () => {
  let dir: string;
  let truth: ShopTruth;
  let customers: Csv;
  let events: Csv;
  const firstPurchase = new Map<string, number>();
  beforeAll(async () => {
    dir = scratchDir('clvkit-synth-');
    truth = await generateShop({ outDir: dir, customers: BUYERS, seed: 5 });
    customers = readCsv(join(dir, 'customers.csv'));
    events = readCsv(join(dir, 'events.csv'));
    for (const [customer, orders] of ordersByCustomer(readOrders(dir))) firstPurchase.set(customer, orders[0]!.ms);
  }, 120_000);

  it('has prospectShare never-buying sign-ups per buyer, and signupAtCheckoutShare of buyers signed up at checkout', () => {
    const id = customers.col('customer_id');
    const prospects = customers.rows.filter((row) => !firstPurchase.has(row[id]!));
    expect(prospects.length).toBe(DEFAULT_VISITOR_OPTIONS.prospectShare * BUYERS);
    expect(truth.signups).toMatchObject({ total: customers.rows.length, neverBuy: prospects.length });
    // the sign-up day is the first purchase's (or the day before, minutes before a purchase just after midnight)
    const day = customers.col('signup_date');
    let atCheckout = 0;
    for (const row of customers.rows) {
      const first = firstPurchase.get(row[id]!);
      if (first !== undefined && Date.parse(`${row[day]}T00:00:00Z`) >= Math.floor(first / DAY_MS) * DAY_MS - DAY_MS) atCheckout++;
    }
    withinShare(atCheckout, BUYERS, DEFAULT_VISITOR_OPTIONS.signupAtCheckoutShare, 'signed up at checkout');
    // early sign-ups a day or less before the first purchase are their lead's lowest 0.05%, and those cut at the window start
    expect(Math.abs(atCheckout - truth.signups.atCheckout)).toBeLessThanOrEqual(0.005 * BUYERS);
  });

  it('signs the others up a log-normal lead of median signupLeadDays before their first purchase', () => {
    const id = customers.col('customer_id');
    const day = customers.col('signup_date');
    const startMs = Date.parse(`${truth.window.start}T00:00:00Z`);
    // first purchases 60 days or more into the window: a lead cut at the window start is still above the median
    const leads = customers.rows
      .map((row) => ({ first: firstPurchase.get(row[id]!), signup: Date.parse(`${row[day]}T00:00:00Z`) }))
      .filter((x): x is { first: number; signup: number } => x.first !== undefined && x.first >= startMs + 60 * DAY_MS)
      .map((x) => (x.first - x.signup) / DAY_MS)
      .filter((lead) => lead > 2)
      .sort((a, b) => a - b);
    const median = leads[Math.floor(leads.length / 2)]!;
    // the median of a log-normal sample: standard error of its log 1.2533·σ/√n (σ = 1), and half a day of dates
    const tolerance = (4 * 1.2533) / Math.sqrt(leads.length) + 0.5 / DEFAULT_VISITOR_OPTIONS.signupLeadDays;
    expect(leads.length).toBeGreaterThan(1000);
    expect(Math.abs(Math.log(median / DEFAULT_VISITOR_OPTIONS.signupLeadDays)), `median lead ${median} days of ${leads.length}`).toBeLessThan(tolerance);
  });

  it('starts loggedOutShare of the sessions after a sign-up without a login', () => {
    // on the visitor id each customer first logged in on (linked whatever the draws), the sessions starting after that login
    const [session, customer, visitor, ts, type] = ['session_id', 'customer_id', 'anonymous_id', 'ts', 'type'].map((c) => events.col(c));
    const firstLogin = new Map<string, { visitor: string; ts: string }>();
    const sessions = new Map<string, { visitor: string; start: string; firstType: string }>();
    for (const row of events.rows) {
      if (row[type] === 'login' && !firstLogin.has(row[customer]!)) firstLogin.set(row[customer]!, { visitor: row[visitor]!, ts: row[ts]! });
      if (!sessions.has(row[session]!)) sessions.set(row[session]!, { visitor: row[visitor]!, start: row[ts]!, firstType: row[type]! });
    }
    const signupVisitor = new Map([...firstLogin.values()].map((l) => [l.visitor, l.ts]));
    let after = 0, loggedOut = 0;
    for (const s of sessions.values()) {
      const login = signupVisitor.get(s.visitor);
      if (login === undefined || s.start <= login) continue;
      after++;
      if (s.firstType !== 'login') loggedOut++;
    }
    expect(after).toBeGreaterThan(5000);
    withinShare(loggedOut, after, DEFAULT_VISITOR_OPTIONS.loggedOutShare, 'sessions after sign-up without a login (files)');
    withinShare(truth.visitors!.sessionsLoggedOut, truth.visitors!.sessionsAfterSignup, DEFAULT_VISITOR_OPTIONS.loggedOutShare, 'truth.json');
  });

  it('gives multiDeviceShare of buyers and prospects a second visitor id, and writes the visitors who never identify', () => {
    const v = truth.visitors!;
    withinShare(v.peopleWithSecondDevice, truth.signups.total, DEFAULT_VISITOR_OPTIONS.multiDeviceShare, 'second device');
    expect(v.anonymousVisitors).toBe(DEFAULT_VISITOR_OPTIONS.anonymousVisitors * BUYERS);
    // the files: visitor ids seen with a customer id (linked), customers with two of them, and the ids never seen with one
    const [customer, visitor] = ['customer_id', 'anonymous_id'].map((c) => events.col(c));
    const customerOf = new Map<string, string>();
    const visitors = new Set<string>();
    for (const row of events.rows) {
      visitors.add(row[visitor]!);
      if (row[customer] !== '') customerOf.set(row[visitor]!, row[customer]!);
    }
    const idsPerCustomer = new Map<string, number>();
    for (const c of customerOf.values()) idsPerCustomer.set(c, (idsPerCustomer.get(c) ?? 0) + 1);
    expect(visitors.size).toBe(v.visitorIds);
    expect(customerOf.size).toBe(v.linked);
    expect(visitors.size - customerOf.size).toBe(v.neverIdentified);
    expect(v.neverIdentified).toBeGreaterThan(v.anonymousVisitors); // and second devices never logged in on
    expect(idsPerCustomer.size).toBe(truth.signups.total); // every buyer and prospect logs in at least once
    expect([...idsPerCustomer.values()].every((n) => n <= 2)).toBe(true);
    // both ids linked: fewer than the second devices linked (a first device used only before the sign-up and logged out stays anonymous)
    const both = [...idsPerCustomer.values()].filter((n) => n === 2).length;
    expect(both).toBeGreaterThan(0.5 * v.secondDevicesLinked);
    expect(both).toBeLessThanOrEqual(v.secondDevicesLinked);
    expect(v.secondDevicesLinked).toBeLessThanOrEqual(v.secondDevicesUsed);
  });

  it('has buyers browse browseRatio times as often between sign-up and first purchase as never-buyers do', () => {
    const { buyers, prospects } = truth.visitors!.considering;
    expect(prospects.people).toBe(DEFAULT_VISITOR_OPTIONS.prospectShare * BUYERS);
    expect(buyers.people).toBeGreaterThan(1000);
    const per30 = (t: { sessions: number; days: number }) => (30 * t.sessions) / t.days;
    // sessions per person ~ Poisson(rate × time), the rate Gamma(shape 2): 10% is over 4 standard errors of the ratio here
    expect(Math.abs(per30(prospects) / DEFAULT_VISITOR_OPTIONS.browseRate - 1), JSON.stringify(prospects)).toBeLessThan(0.1);
    expect(Math.abs(per30(buyers) / per30(prospects) / DEFAULT_VISITOR_OPTIONS.browseRatio - 1), JSON.stringify({ buyers, prospects })).toBeLessThan(0.15);
  });

  it('keeps every visitor id\'s events in time order and inside the window', () => {
    const [visitor, ts] = ['anonymous_id', 'ts'].map((c) => events.col(c));
    const last = new Map<string, string>();
    const outOfOrder: string[] = [];
    for (const row of events.rows) {
      if ((last.get(row[visitor]!) ?? '') > row[ts]!) outOfOrder.push(`${row[visitor]} at ${row[ts]}`);
      last.set(row[visitor]!, row[ts]!);
    }
    expect(outOfOrder.slice(0, 5)).toEqual([]);
    const times = events.rows.map((row) => row[ts]!).sort();
    expect(times.at(-1)! < `${truth.window.end}T00:00:00`).toBe(true);
  });
});
