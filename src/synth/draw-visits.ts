/**
 * Browsing away from the orders (the order sessions: draw-sessions.ts):
 *
 * - visits before a sign-up: Poisson(`visitsBeforeSignup`) anonymous
 *   sessions in the 30 days before it (within the span given), each of 2–10
 *   minutes viewing 1–4 products, sometimes after a search;
 * - the sign-up session: 0–2 anonymous views, the login at the sign-up
 *   moment, 1–2 views logged in (an impulsive buyer who signs up within 31
 *   days of the first order signs up off-site, a newsletter form say, and
 *   has none: the buyer types look at the 30 days before each purchase, and
 *   an impulsive buyer browses nowhere in them but in the order's session);
 * - considering: a signed-up person who has not bought browses in sessions
 *   of 3–15 minutes, each starting an Exponential gap (mean 30 days ÷ rate)
 *   after the previous one ends, at `ratePer30Days` — per person
 *   Gamma(shape 2) around `browseRate` for a never-buyer and `browseRatio`
 *   times that for an early sign-up who will buy (`drawBrowseRate`). With
 *   equal shapes the odds of being a buyer rise by a factor
 *   exp(2·(1 − 1/browseRatio)/browseRate) per session per 30 days of the
 *   rate: the propensity signal. Each views 1–5 products and with
 *   probability 0.3 adds the last to the cart (removed again half the time);
 *   it logs in as `loginMode` draws, on either device;
 * - a visitor who never identifies: 1 + Poisson(0.5) sessions, the first
 *   at a uniform time in the window, each next one an Exponential(mean 7
 *   days) gap after the previous one ends; 1–4 views, a search first with
 *   probability 0.2, the last viewed product added to the cart (and left
 *   there) with probability 0.1; never a login.
 *
 * Every session ends before the span it is drawn in, so a person's events
 * stay in time order.
 */
import type { Random } from '../math/random.js';
import { searchQuery } from './draw-sessions.js';
import { closePerson, loginMode, newVisitorId, openPerson, pickDevice, writeSession, type ConsideringTally, type OnlinePerson, type PlannedEvent, type SessionContext } from './online-person.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './shop-clock.js';

const view = (product: number): PlannedEvent => ({ type: 'view', product, query: '' });

/** 1–`most` views of products drawn uniformly from the catalog. */
function views(random: Random, context: SessionContext, most: number): PlannedEvent[] {
  const planned: PlannedEvent[] = [];
  const n = 1 + random.integer(most);
  for (let v = 0; v < n; v++) planned.push(view(random.integer(context.catalog.size)));
  return planned;
}

/** Anonymous sessions in the 30 days before the person's sign-up, within [fromMs, toMs); one per equal slot, each in its slot's first half. */
export function drawVisitsBeforeSignup(random: Random, context: SessionContext, person: OnlinePerson, fromMs: number, toMs: number): void {
  const count = random.poisson(context.options.visitsBeforeSignup);
  const a = Math.max(fromMs, person.signupMs - 30 * DAY_MS);
  const b = Math.min(toMs, person.signupMs - HOUR_MS);
  if (count === 0 || b - a < HOUR_MS) return;
  const slot = (b - a) / count;
  for (let k = 0; k < count; k++) {
    const start = a + k * slot + 0.5 * random.uniform() * slot;
    const length = Math.min((2 + 8 * random.uniform()) * MINUTE_MS, 0.5 * slot);
    const planned = views(random, context, 4);
    if (random.uniform() < 0.3) planned.unshift({ type: 'search', product: -1, query: searchQuery(random, context.catalog, [planned[0].product]) });
    writeSession(random, context, person, 0, start, start + length, planned, 'none');
  }
}

/** The session of the sign-up, on the first device: views around the login at the sign-up. */
export function drawSignupSession(random: Random, context: SessionContext, person: OnlinePerson): void {
  const s = person.signupMs;
  const before = s - 10 * MINUTE_MS < context.windowStartMs ? 0 : random.integer(3);
  const after = 1 + random.integer(2);
  const planned: PlannedEvent[] = [];
  for (let v = 0; v < before + after; v++) planned.push(view(random.integer(context.catalog.size)));
  // the views spread evenly: about `before` of them fall before the sign-up's login
  const step = (2 + 3 * random.uniform()) * MINUTE_MS;
  writeSession(random, context, person, 0, s - before * step, s + after * step, planned, 'start');
}

/** A person's browsing rate while considering, in sessions per 30 days: Gamma(shape 2) around `browseRate`, × `browseRatio` for a future buyer. */
export function drawBrowseRate(random: Random, context: SessionContext, willBuy: boolean): number {
  const mean = context.options.browseRate * (willBuy ? context.options.browseRatio : 1);
  return random.gamma(2, mean / 2);
}

/** Sessions at `ratePer30Days` from `fromMs`, each ending before `toMs`; counted in `tally` (the time only when there is some). */
export function drawConsideringSessions(random: Random, context: SessionContext, person: OnlinePerson, fromMs: number, toMs: number, ratePer30Days: number, tally: ConsideringTally): void {
  if (toMs <= fromMs) return;
  tally.people++;
  tally.days += (toMs - fromMs) / DAY_MS;
  const rate = ratePer30Days / (30 * DAY_MS);
  let start = fromMs + random.exponential(rate);
  while (start < toMs) {
    const length = Math.min((3 + 12 * random.uniform()) * MINUTE_MS, toMs - start);
    const planned = views(random, context, 5);
    if (random.uniform() < 0.3) {
      const last = planned[planned.length - 1].product;
      planned.push({ type: 'add_to_cart', product: last, query: '' });
      if (random.uniform() < 0.5) planned.push({ type: 'remove_from_cart', product: last, query: '' });
    }
    writeSession(random, context, person, pickDevice(random, person), start, start + length, planned, loginMode(random, context, false));
    tally.sessions++;
    start += length + random.exponential(rate);
  }
}

/** A visitor who browses and never identifies, within [startMs, endMs − 1 hour). */
export function drawAnonymousVisitor(random: Random, context: SessionContext, startMs: number, endMs: number): void {
  const person = openPerson(random, context, '', newVisitorId(random), Number.POSITIVE_INFINITY, false);
  const last = endMs - HOUR_MS;
  const sessions = 1 + random.poisson(0.5);
  let start = startMs + random.uniform() * (last - startMs);
  for (let k = 0; k < sessions && start < last; k++) {
    const length = (2 + 8 * random.uniform()) * MINUTE_MS;
    const planned = views(random, context, 4);
    if (random.uniform() < 0.2) planned.unshift({ type: 'search', product: -1, query: searchQuery(random, context.catalog, [planned[0].product]) });
    if (random.uniform() < 0.1) planned.push({ type: 'add_to_cart', product: planned[planned.length - 1].product, query: '' });
    writeSession(random, context, person, 0, start, start + length, planned, 'none');
    start += length + random.exponential(1 / (7 * DAY_MS));
  }
  context.tally.anonymousVisitors++;
  closePerson(context, person);
}
