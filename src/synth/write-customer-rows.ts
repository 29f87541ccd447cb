/**
 * Writes one simulated customer into the shop's files: a customers.csv row,
 * a truth-customers.csv row, their transaction rows (orders, planted dirt
 * from `simulateOrderDirt`) in time order within the customer, and their
 * browsing: a customer who signed up a day or more before the first order
 * visits anonymously before it (`drawVisitsBeforeSignup`), signs up
 * (`drawSignupSession`) and browses until the first order's own sessions
 * (`drawConsideringSessions`: until 14 days before it, 31 for an impulsive
 * buyer, who signs up off-site, without a session, when within them); then
 * the sessions before each order (`drawSessions`). Order ids are numbers from
 * 500000 up in generation order (a guest order takes the id after its
 * neighbour's).
 */
import type { Random } from '../math/random.js';
import type { ProductCatalog } from './build-product-catalog.js';
import type { CsvSink } from './csv-sink.js';
import type { CustomerProfile } from './draw-customer-profile.js';
import { drawSessions } from './draw-sessions.js';
import { drawBrowseRate, drawConsideringSessions, drawSignupSession, drawVisitsBeforeSignup } from './draw-visits.js';
import { closePerson, openPerson, type OnlinePerson, type SessionContext } from './online-person.js';
import { formatDay, formatTimestamp } from './format-timestamp.js';
import { DAY_MS, HOUR_MS } from './shop-clock.js';
import type { ShopTally } from './shop-tally.js';
import type { SimulatedCustomer } from './simulate-customer.js';
import { simulateOrderDirt, type DirtContext } from './simulate-order-dirt.js';

const FIRST_ORDER_ID = 500_000;

export interface ShopSinks {
  readonly customers: CsvSink;
  readonly transactions: CsvSink;
  readonly truth: CsvSink;
  readonly events: CsvSink | undefined;
}

export interface CustomerWriterContext {
  readonly sinks: ShopSinks;
  readonly catalog: ProductCatalog;
  readonly dirt: DirtContext;
  readonly dirtRandom: Random;
  readonly eventsRandom: Random;
  readonly tally: ShopTally;
  /** where sessions are written (and numbered); undefined without events.csv */
  readonly sessions: SessionContext | undefined;
  /** the first day of the window (no browsing before it) */
  readonly startMs: number;
}

export function money(value: number): string {
  return value.toFixed(2);
}

/** A customers.csv row (`CUSTOMER_COLUMNS`). */
export function customerRow(customerId: string, signupMs: number, profile: CustomerProfile): string {
  return `${customerId},${formatDay(signupMs)},${profile.acquisitionChannel},${money(profile.acquisitionCost)},${profile.region},${profile.country},${profile.gender},${profile.birthYear},${profile.name},${profile.email},${profile.phone}`;
}

/** One transaction row and when it happened, for sorting a customer's rows. */
interface TimedRow {
  readonly ms: number;
  readonly text: string;
}

export type CustomerWriter = (customer: SimulatedCustomer) => void;

export function createCustomerWriter(context: CustomerWriterContext): CustomerWriter {
  const { sinks, catalog, tally } = context;
  const sessionContext = context.sessions;
  let nextOrderId = FIRST_ORDER_ID;
  const rows: TimedRow[] = [];
  const line = (orderId: string, customerId: string, ts: string, product: number, quantity: number, country: string, unitPrice = catalog.unitPrice[product]) =>
    `${orderId},${customerId},${ts},${catalog.productId[product]},${catalog.description[product]},${quantity},${money(unitPrice)},${country},${money(quantity * catalog.unitCost[product])}`;

  return (customer) => {
    const { customerId, profile, purchases, impulsive } = customer;
    const country = profile.country;
    if (impulsive) tally.impulsive++;
    tally.repeatPurchases += purchases.repeatMs.length;
    if (purchases.aliveAtEnd) tally.aliveAtEnd++;
    if (customer.signupAtCheckout) tally.signupsAtCheckout++;
    if (customer.signupCutAtWindowStart) tally.signupsCutAtWindowStart++;
    sinks.customers.writeLine(customerRow(customerId, customer.signupMs, profile));
    sinks.truth.writeLine(
      `${customerId},${impulsive ? 'impulsive' : 'deliberate'},${formatTimestamp(purchases.firstMs)},${customer.T.toPrecision(10)},${purchases.lambda.toPrecision(8)},${purchases.dropout.toPrecision(8)},${customer.meanOrderValue.toPrecision(8)},${purchases.repeatMs.length},${purchases.aliveAtEnd}`,
    );

    let person: OnlinePerson | undefined;
    let previousMs = purchases.firstMs - 14 * DAY_MS;
    if (sessionContext) {
      person = openPerson(context.eventsRandom, sessionContext, customerId, profile.anonymousId, customer.signupMs, impulsive);
      previousMs = browseBeforeFirstOrder(context, sessionContext, person, customer);
    }
    rows.length = 0;
    for (const { ms: orderMs, target, basket } of customer.orders) {
      tally.orders++;
      tally.purchaseLines += basket.products.length;
      tally.targetValueSum += target;
      tally.realisedValueSum += basket.value;
      const dirt = simulateOrderDirt(context.dirtRandom, context.dirt, orderMs, basket);
      const orderId = String(nextOrderId++);
      const ts = formatTimestamp(orderMs);
      for (let j = 0; j < basket.products.length; j++) {
        const text = line(orderId, customerId, ts, basket.products[j], basket.quantities[j], country, basket.unitPrices[j]);
        rows.push({ ms: orderMs, text });
        if (dirt.duplicated[j]) {
          rows.push({ ms: orderMs, text });
          tally.duplicate++;
        }
      }
      if (dirt.postage) {
        const price = country === 'United Kingdom' ? 4.95 : 18;
        rows.push({ ms: orderMs, text: `${orderId},${customerId},${ts},POST,POSTAGE,1,${money(price)},${country},${money(price)}` });
        tally.nonProduct++;
      }
      if (dirt.returned) {
        const { line: j, ms, quantity } = dirt.returned;
        rows.push({ ms, text: line(`C${orderId}`, customerId, formatTimestamp(ms), basket.products[j], -quantity, country, basket.unitPrices[j]) });
        tally.returnOrders++;
        tally.returnRows++;
      }
      if (dirt.guest) {
        const guestId = String(nextOrderId++);
        const { ms, country: guestCountry, lines } = dirt.guest;
        for (const { product, quantity } of lines) rows.push({ ms, text: line(guestId, '', formatTimestamp(ms), product, quantity, guestCountry) });
        tally.missingCustomerId += lines.length;
        tally.guestOrders++;
      }
      if (sessionContext) drawSessions(context.eventsRandom, sessionContext, person!, orderMs, previousMs, basket.products);
      previousMs = orderMs;
    }
    if (sessionContext) closePerson(sessionContext, person!);
    // time order within the customer; stable, so duplicates stay right after their original
    rows.sort((a, b) => a.ms - b.ms);
    for (const row of rows) sinks.transactions.writeLine(row.text);
  };
}

/**
 * The browsing of a customer before their first order's own sessions, when they signed up a day or more before it;
 * returns the earliest time those sessions may start (14 days before the order, or after the sign-up's session).
 */
function browseBeforeFirstOrder(context: CustomerWriterContext, sessions: SessionContext, person: OnlinePerson, customer: SimulatedCustomer): number {
  const firstMs = customer.purchases.firstMs;
  const signupMs = customer.signupMs;
  const earliest = firstMs - 14 * DAY_MS;
  if (customer.signupAtCheckout || signupMs > firstMs - DAY_MS) return earliest;
  const random = context.eventsRandom;
  // nothing but the order's sessions in the 14 days before it (31 for an impulsive buyer: the buyer types look 30 days back)
  const quietFromMs = firstMs - (customer.impulsive ? 31 : 14) * DAY_MS;
  drawVisitsBeforeSignup(random, sessions, person, context.startMs, customer.impulsive ? quietFromMs : signupMs);
  // an impulsive buyer signing up within 31 days of the order signs up off-site (no session: nothing to look at before the order)
  if (!customer.impulsive || signupMs + HOUR_MS <= quietFromMs) drawSignupSession(random, sessions, person);
  drawConsideringSessions(random, sessions, person, signupMs + HOUR_MS, quietFromMs, drawBrowseRate(random, sessions, true), sessions.tally.consideringBuyers);
  return Math.max(earliest, signupMs + HOUR_MS);
}
