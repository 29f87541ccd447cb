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
 * customer's events are in time order. Each session is on one of the
 * customer's devices and logs in as `loginMode` draws (online-person.ts):
 * the earlier sessions at their start or not at all, the last one at its
 * start or at checkout. Events before the sign-up carry only the visitor id;
 * a session during which the customer signs up (at the checkout of the first
 * order) has a login at the moment of sign-up.
 */
import type { Random } from '../math/random.js';
import type { ProductCatalog } from './build-product-catalog.js';
import { loginMode, pickDevice, writeSession, type OnlinePerson, type PlannedEvent, type SessionContext } from './online-person.js';

export { EVENT_COLUMNS } from './online-person.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function alternative(random: Random, catalog: ProductCatalog, bought: readonly number[]): number {
  const base = bought[random.integer(bought.length)];
  const members = catalog.membersOfCategory.get(catalog.category[base])!;
  return members[random.integer(members.length)];
}

export function searchQuery(random: Random, catalog: ProductCatalog, bought: readonly number[]): string {
  const product = bought[random.integer(bought.length)];
  if (random.uniform() < 0.5) return catalog.category[product];
  // drop the style word: "VINTAGE PINK CAKE TIN" → "pink cake tin"
  return catalog.description[product].split(' ').slice(1).join(' ').toLowerCase();
}

/** Write the sessions before an order at `orderMs` of the products `bought`; the first session starts after `earliestMs`. */
export function drawSessions(random: Random, context: SessionContext, customer: OnlinePerson, orderMs: number, earliestMs: number, bought: readonly number[]): void {
  const { catalog } = context;
  const gap = Math.max(1000, orderMs - earliestMs);
  const view = (product: number): PlannedEvent => ({ type: 'view', product, query: '' });
  const cart = (product: number): PlannedEvent => ({ type: 'add_to_cart', product, query: '' });
  if (customer.impulsive) {
    const length = Math.min((1 + 5 * random.uniform()) * MINUTE, 0.9 * gap);
    const planned: PlannedEvent[] = [];
    if (random.uniform() < 0.3) planned.push(view(alternative(random, catalog, bought)));
    for (const product of bought) planned.push(view(product), cart(product));
    writeSession(random, context, customer, pickDevice(random, customer), orderMs - length, orderMs, planned, loginMode(random, context, true));
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
    writeSession(random, context, customer, pickDevice(random, customer), start, start + length, planned, loginMode(random, context, false));
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
  writeSession(random, context, customer, pickDevice(random, customer), orderMs - finalLength, orderMs, planned, loginMode(random, context, true));
}
