/**
 * Behaviour events before one order, as browsing sessions that end with the
 * order:
 *
 * - impulsive buyers: one short session of 1–6 minutes right before the
 *   order — (login), maybe one view of an alternative, then view and
 *   add_to_cart of each bought product;
 * - deliberate buyers: 2 + Poisson(0.5) sessions (at most 5) spread over the
 *   1–10 days before the order (one long session when the time since the
 *   previous order is under 3 hours): earlier sessions of 5–20 minutes search,
 *   view alternatives in the bought products' categories and bought products,
 *   sometimes add an alternative to the cart and remove it again; the last
 *   session (8–25 minutes, ending at the order) views alternatives and the
 *   bought products and adds the bought ones to the cart.
 *
 * Sessions never start before `earliestMs` (the previous order), so a
 * customer's events are in time order. Events before sign-up carry only the
 * anonymous id (customer_id empty) and no login; a session during which the
 * customer signs up (checkout of the first order) has a login at the moment
 * of sign-up, so every customer's anonymous id is linked to their customer id.
 */
import type { Random } from '../math/random.js';
import type { ProductCatalog } from './build-product-catalog.js';
import { formatTimestamp } from './format-timestamp.js';

export const EVENT_COLUMNS = ['session_id', 'customer_id', 'anonymous_id', 'ts', 'type', 'product_id', 'category', 'query'] as const;

export type EventType = 'view' | 'search' | 'add_to_cart' | 'remove_from_cart' | 'login';

export interface SessionContext {
  readonly catalog: ProductCatalog;
  /** next session number; advanced by each session */
  nextSession: number;
  writeLine(line: string): void;
}

export interface SessionCustomer {
  readonly customerId: string;
  readonly anonymousId: string;
  readonly signupMs: number;
  readonly impulsive: boolean;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface PlannedEvent {
  type: EventType;
  product: number;
  query: string;
}

function alternative(random: Random, catalog: ProductCatalog, bought: readonly number[]): number {
  const base = bought[random.integer(bought.length)];
  const members = catalog.membersOfCategory.get(catalog.category[base])!;
  return members[random.integer(members.length)];
}

function searchQuery(random: Random, catalog: ProductCatalog, bought: readonly number[]): string {
  const product = bought[random.integer(bought.length)];
  if (random.uniform() < 0.5) return catalog.category[product];
  // drop the style word: "VINTAGE PINK CAKE TIN" → "pink cake tin"
  return catalog.description[product].split(' ').slice(1).join(' ').toLowerCase();
}

function writeSession(random: Random, context: SessionContext, customer: SessionCustomer, startMs: number, endMs: number, planned: PlannedEvent[]): void {
  const session = `S${context.nextSession++}`;
  const { catalog } = context;
  const login: PlannedEvent = { type: 'login', product: -1, query: '' };
  const events: PlannedEvent[] = startMs >= customer.signupMs ? [login, ...planned] : planned;
  const step = (endMs - startMs) / events.length;
  // sign-up during the session (checkout of the first order): a login at that moment, after which events carry the customer id
  let signupPending = startMs < customer.signupMs && customer.signupMs < endMs;
  const write = (ms: number, event: PlannedEvent) => {
    const product = event.product >= 0 ? catalog.productId[event.product] : '';
    const category = event.product >= 0 ? catalog.category[event.product] : '';
    const customerId = ms >= customer.signupMs ? customer.customerId : '';
    context.writeLine(`${session},${customerId},${customer.anonymousId},${formatTimestamp(ms)},${event.type},${product},${category},${event.query}`);
  };
  for (let j = 0; j < events.length; j++) {
    const ms = startMs + (j + 0.8 * random.uniform()) * step;
    if (signupPending && ms >= customer.signupMs) {
      write(customer.signupMs, login);
      signupPending = false;
    }
    write(ms, events[j]);
  }
  if (signupPending) write(customer.signupMs, login);
}

/** Write the sessions before an order at `orderMs` of the products `bought`; the first session starts after `earliestMs`. */
export function drawSessions(random: Random, context: SessionContext, customer: SessionCustomer, orderMs: number, earliestMs: number, bought: readonly number[]): void {
  const { catalog } = context;
  const gap = Math.max(1000, orderMs - earliestMs);
  const view = (product: number): PlannedEvent => ({ type: 'view', product, query: '' });
  const cart = (product: number): PlannedEvent => ({ type: 'add_to_cart', product, query: '' });
  if (customer.impulsive) {
    const length = Math.min((1 + 5 * random.uniform()) * MINUTE, 0.9 * gap);
    const planned: PlannedEvent[] = [];
    if (random.uniform() < 0.3) planned.push(view(alternative(random, catalog, bought)));
    for (const product of bought) planned.push(view(product), cart(product));
    writeSession(random, context, customer, orderMs - length, orderMs, planned);
    return;
  }
  const span = Math.min((1 + 9 * random.uniform()) * DAY, 0.9 * gap);
  const sessions = span < 3 * HOUR ? 1 : Math.min(5, 2 + random.poisson(0.5));
  const finalLength = Math.min((8 + 17 * random.uniform()) * MINUTE, sessions === 1 ? 0.9 * gap : HOUR);
  const earlierEnd = orderMs - finalLength - HOUR;
  const slot = (earlierEnd - (orderMs - span)) / Math.max(1, sessions - 1);
  for (let k = 0; k < sessions - 1; k++) {
    const start = orderMs - span + k * slot + 0.5 * random.uniform() * slot;
    const length = Math.min((5 + 15 * random.uniform()) * MINUTE, 0.5 * slot);
    const planned: PlannedEvent[] = [{ type: 'search', product: -1, query: searchQuery(random, catalog, bought) }];
    const views = 2 + random.integer(3);
    for (let v = 0; v < views; v++) planned.push(view(random.uniform() < 0.5 ? alternative(random, catalog, bought) : bought[random.integer(bought.length)]));
    if (random.uniform() < 0.3) {
      const other = alternative(random, catalog, bought);
      planned.push(cart(other), { type: 'remove_from_cart', product: other, query: '' });
    }
    writeSession(random, context, customer, start, start + length, planned);
  }
  const planned: PlannedEvent[] = [];
  if (random.uniform() < 0.5) planned.push({ type: 'search', product: -1, query: searchQuery(random, catalog, bought) });
  const alternatives = 1 + random.integer(2);
  for (let v = 0; v < alternatives; v++) planned.push(view(alternative(random, catalog, bought)));
  for (const product of bought) planned.push(view(product));
  if (random.uniform() < 0.3) {
    const other = alternative(random, catalog, bought);
    planned.push(cart(other), { type: 'remove_from_cart', product: other, query: '' });
  }
  for (const product of bought) planned.push(cart(product));
  writeSession(random, context, customer, orderMs - finalLength, orderMs, planned);
}

/**
 * Browsing of a prospect (signed up, never buys): 1 + Poisson(1) sessions,
 * the first at sign-up, each next one an Exponential(mean 15 days) later
 * while before `endMs`; each session of 3–15 minutes starts with a login,
 * views 1–5 products, and with probability 0.3 adds one viewed product to the
 * cart (removed again with probability 0.5). Returns the sessions written.
 */
export function drawProspectSessions(random: Random, context: SessionContext, customer: SessionCustomer, endMs: number): number {
  const { catalog } = context;
  const sessions = 1 + random.poisson(1);
  let startMs = customer.signupMs;
  let written = 0;
  for (let k = 0; k < sessions && startMs < endMs - HOUR; k++) {
    const planned: PlannedEvent[] = [];
    const views = 1 + random.integer(5);
    let last = 0;
    for (let v = 0; v < views; v++) {
      last = random.integer(catalog.size);
      planned.push({ type: 'view', product: last, query: '' });
    }
    if (random.uniform() < 0.3) {
      planned.push({ type: 'add_to_cart', product: last, query: '' });
      if (random.uniform() < 0.5) planned.push({ type: 'remove_from_cart', product: last, query: '' });
    }
    const length = (3 + 12 * random.uniform()) * MINUTE;
    writeSession(random, context, customer, startMs, startMs + length, planned);
    written++;
    startMs += length + random.exponential(1 / (15 * DAY)) ;
  }
  return written;
}
