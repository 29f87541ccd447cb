/**
 * A synthetic shop at any scale, with its truth: customers, products,
 * transactions (Online Retail-like layout that `clvkit ingest` reads without
 * flags), behaviour events, dirt at known rates, and `truth.json` with
 * everything planted.
 *
 * Streaming: customers are generated one at a time and their rows written
 * through `CsvSink`s with backpressure, so memory is fixed (the product
 * catalog plus one customer's rows) whatever the number of customers.
 * Transactions are grouped by customer, in time order within a customer
 * (returns and guest orders at their own times); they are not globally
 * sorted by time. Order ids are numbers from 500000 up in generation order.
 *
 * Per customer i (id 100001 + i):
 * 1. profile (channel, cost, country, gender, birth year, fake name, email,
 *    phone — see `draw-customer-profile.ts`);
 * 2. buyer type (impulsive with probability `impulsiveShare`), first
 *    purchase t0 uniform over the acquisition period (the model's time 0;
 *    sign-up 1–20 minutes earlier), T = window end − t0;
 * 3. repeat purchases over (0, T] from BG/NBD or Pareto/NBD
 *    (`drawPurchaseTimes`);
 * 4. spend: ν ~ Gamma(q, rate γ) per customer, each order's target value
 *    z ~ Gamma(p, rate ν) (Gamma-Gamma), realised as a basket (`drawBasket`)
 *    with the planted association rules and the planted sequences (a
 *    customer's first order with X puts Y into their next order with the
 *    sequence's probability);
 * 5. dirt per order: duplicated lines, a postage line, a later return, a
 *    guest order without customer id (rates in `DirtRates`);
 * 6. browsing sessions before each order (`drawSessions`).
 *
 * Each concern draws from its own seeded stream (profiles, purchases, spend,
 * baskets, dirt, events), so turning events off or changing dirt rates leaves
 * the customers' purchases and baskets unchanged (order ids shift when guest
 * orders change). The same seed and options give byte-identical files.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors/user-error.js';
import { DAYS_PER_UNIT } from '../core/time-unit.js';
import { createRandom, type Random } from '../math/random.js';
import { buildProductCatalog, type ProductCatalog } from './build-product-catalog.js';
import { convertCsvToParquet, type ParquetConversion } from './convert-csv-to-parquet.js';
import { openCsvSink, type CsvSink } from './csv-sink.js';
import { drawBasket, type ResolvedRule } from './draw-basket.js';
import { COUNTRIES, drawCustomerProfile, drawShare } from './draw-customer-profile.js';
import { drawPurchaseTimes } from './draw-purchase-times.js';
import { drawSessions, EVENT_COLUMNS, type SessionContext } from './draw-sessions.js';
import { formatDay, formatTimestamp } from './format-timestamp.js';
import { parseDayMs, resolveShopOptions, type ResolvedShopOptions, type ShopOptions } from './shop-options.js';
import type { PlantedRuleTruth, PlantedSequenceTruth, ShopTruth } from './shop-truth.js';
import { createZipfSampler } from './zipf-sampler.js';

export const CUSTOMER_COLUMNS = ['customer_id', 'signup_date', 'acquisition_channel', 'acquisition_cost', 'region', 'country', 'gender', 'birth_year', 'name', 'email', 'phone'] as const;
export const PRODUCT_COLUMNS = ['product_id', 'description', 'category', 'unit_price', 'unit_cost'] as const;
export const TRANSACTION_COLUMNS = ['order_id', 'customer_id', 'order_date', 'product_id', 'description', 'quantity', 'unit_price', 'country', 'cost'] as const;
export const TRUTH_CUSTOMER_COLUMNS = ['customer_id', 'buyer_type', 'first_purchase', 'T', 'lambda', 'dropout', 'mean_order_value', 'repeat_purchases', 'alive_at_end'] as const;

/** DuckDB types of every column, for the Parquet conversion. */
const COLUMN_TYPES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  customers: { customer_id: 'VARCHAR', signup_date: 'DATE', acquisition_channel: 'VARCHAR', acquisition_cost: 'DOUBLE', region: 'VARCHAR', country: 'VARCHAR', gender: 'VARCHAR', birth_year: 'INTEGER', name: 'VARCHAR', email: 'VARCHAR', phone: 'VARCHAR' },
  products: { product_id: 'VARCHAR', description: 'VARCHAR', category: 'VARCHAR', unit_price: 'DOUBLE', unit_cost: 'DOUBLE' },
  transactions: { order_id: 'VARCHAR', customer_id: 'VARCHAR', order_date: 'TIMESTAMP', product_id: 'VARCHAR', description: 'VARCHAR', quantity: 'BIGINT', unit_price: 'DOUBLE', country: 'VARCHAR', cost: 'DOUBLE' },
  events: { session_id: 'VARCHAR', customer_id: 'VARCHAR', anonymous_id: 'VARCHAR', ts: 'TIMESTAMP', type: 'VARCHAR', product_id: 'VARCHAR', category: 'VARCHAR', query: 'VARCHAR' },
  'truth-customers': { customer_id: 'VARCHAR', buyer_type: 'VARCHAR', first_purchase: 'TIMESTAMP', T: 'DOUBLE', lambda: 'DOUBLE', dropout: 'DOUBLE', mean_order_value: 'DOUBLE', repeat_purchases: 'BIGINT', alive_at_end: 'BOOLEAN' },
};

const FILE_STEMS = ['customers', 'products', 'transactions', 'events', 'truth-customers'] as const;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const FIRST_ORDER_ID = 500_000;
const FIRST_CUSTOMER_ID = 100_001;
/** mean delay of a return after its order */
const RETURN_DELAY_MEAN_DAYS = 14;

/** Stream numbers of the seeded generators, one per concern. */
const STREAMS = ['catalog', 'profile', 'purchase', 'spend', 'basket', 'dirt', 'events'] as const;
type StreamName = (typeof STREAMS)[number];

function createStreams(seed: number): Record<StreamName, Random> {
  const master = createRandom(seed);
  const streams = {} as Record<StreamName, Random>;
  for (const name of STREAMS) streams[name] = createRandom(master.integer(0x100000000) + 0x100000000 * master.integer(0x200000));
  return streams;
}

function roundToSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

function money(value: number): string {
  return value.toFixed(2);
}

/** One transaction row and when it happened, for sorting a customer's rows. */
interface TimedRow {
  readonly ms: number;
  readonly text: string;
}

/**
 * Generate a synthetic shop into `options.outDir`; resolves with its truth
 * (also written as truth.json, last, so a folder with truth.json is complete).
 * Throws `UserError` on bad options or an unusable folder.
 */
export async function generateShop(options: ShopOptions): Promise<ShopTruth> {
  const resolved = resolveShopOptions(options);
  const outDir = options.outDir;
  try {
    if (!statSync(outDir).isDirectory()) throw new UserError(`${outDir} is a file, not a folder`, "pass a folder for the shop's files (it is created when missing)");
  } catch (error) {
    if (error instanceof UserError) throw error;
    try {
      await mkdir(outDir, { recursive: true });
    } catch (mkdirError) {
      throw new UserError(`cannot create the folder ${outDir}: ${(mkdirError as Error).message}`, 'pass a writable --out folder');
    }
  }
  await rm(join(outDir, 'truth.json'), { force: true });
  for (const stem of FILE_STEMS) {
    await rm(join(outDir, `${stem}.csv`), { force: true });
    await rm(join(outDir, `${stem}.parquet`), { force: true });
  }
  const started = Date.now();
  const streams = createStreams(resolved.seed);
  const catalog = buildProductCatalog(streams.catalog, resolved.products);
  const zipf = createZipfSampler(catalog.size, resolved.zipfExponent);
  const rules: ResolvedRule[] = resolved.associationRules.map((rule) => ({
    ifProduct: catalog.productOfRank[rule.ifRank - 1],
    thenProduct: catalog.productOfRank[rule.thenRank - 1],
    confidence: rule.confidence,
    fired: 0,
  }));
  const sequences = resolved.sequences.map((sequence) => ({
    firstProduct: catalog.productOfRank[sequence.firstRank - 1],
    thenProduct: catalog.productOfRank[sequence.thenRank - 1],
    probability: sequence.probability,
    fired: 0,
  }));

  const path = (stem: string) => join(outDir, `${stem}.csv`);
  const productsSink = openCsvSink(path('products'), PRODUCT_COLUMNS);
  for (let j = 0; j < catalog.size; j++) {
    productsSink.writeLine(`${catalog.productId[j]},${catalog.description[j]},${catalog.category[j]},${money(catalog.unitPrice[j])},${money(catalog.unitCost[j])}`);
  }
  await productsSink.close();

  const sinks: CsvSink[] = [];
  const customersSink = openCsvSink(path('customers'), CUSTOMER_COLUMNS);
  const transactionsSink = openCsvSink(path('transactions'), TRANSACTION_COLUMNS);
  const truthSink = openCsvSink(path('truth-customers'), TRUTH_CUSTOMER_COLUMNS);
  sinks.push(customersSink, transactionsSink, truthSink);
  const eventsSink = resolved.events ? openCsvSink(path('events'), EVENT_COLUMNS) : undefined;
  if (eventsSink) sinks.push(eventsSink);
  try {
    const counts = await generateCustomers(resolved, streams, catalog, zipf, rules, sequences, { customersSink, transactionsSink, truthSink, eventsSink }, options.onProgress, started);
    for (const sink of sinks) await sink.close();

    const rows: Record<string, number> = { customers: customersSink.rows, products: productsSink.rows, transactions: transactionsSink.rows, 'truth-customers': truthSink.rows };
    if (eventsSink) rows.events = eventsSink.rows;
    const stems = FILE_STEMS.filter((stem) => rows[stem] !== undefined);
    let files = stems.map((stem) => `${stem}.csv`);
    if (resolved.format === 'parquet') {
      const conversions: ParquetConversion[] = stems.map((stem) => ({ csvPath: path(stem), parquetPath: join(outDir, `${stem}.parquet`), columns: COLUMN_TYPES[stem] }));
      options.onProgress?.({ phase: 'convert', customersDone: resolved.customers, customers: resolved.customers, transactionRows: rows.transactions, eventRows: rows.events ?? 0, elapsedMs: Date.now() - started });
      await convertCsvToParquet(conversions);
      for (const conversion of conversions) await rm(conversion.csvPath);
      files = stems.map((stem) => `${stem}.parquet`);
    }
    const truth = buildTruth(resolved, catalog, rules, sequences, counts, rows, files);
    await writeFile(join(outDir, 'truth.json'), JSON.stringify(truth, null, 2) + '\n');
    return truth;
  } catch (error) {
    for (const sink of sinks) await sink.close().catch(() => undefined);
    throw error;
  }
}

interface Sinks {
  readonly customersSink: CsvSink;
  readonly transactionsSink: CsvSink;
  readonly truthSink: CsvSink;
  readonly eventsSink: CsvSink | undefined;
}

interface GenerationCounts {
  impulsive: number;
  repeatPurchases: number;
  aliveAtEnd: number;
  orders: number;
  purchaseLines: number;
  guestOrders: number;
  duplicate: number;
  missingCustomerId: number;
  nonProduct: number;
  returnOrders: number;
  returnRows: number;
  targetValueSum: number;
  realisedValueSum: number;
}

async function generateCustomers(
  options: ResolvedShopOptions,
  streams: Record<StreamName, Random>,
  catalog: ProductCatalog,
  zipf: ReturnType<typeof createZipfSampler>,
  rules: ResolvedRule[],
  sequences: { firstProduct: number; thenProduct: number; probability: number; fired: number }[],
  sinks: Sinks,
  onProgress: ShopOptions['onProgress'],
  started: number,
): Promise<GenerationCounts> {
  const counts: GenerationCounts = {
    impulsive: 0, repeatPurchases: 0, aliveAtEnd: 0, orders: 0, purchaseLines: 0, guestOrders: 0,
    duplicate: 0, missingCustomerId: 0, nonProduct: 0, returnOrders: 0, returnRows: 0, targetValueSum: 0, realisedValueSum: 0,
  };
  const { profile: profileRandom, purchase: purchaseRandom, spend: spendRandom, basket: basketRandom, dirt: dirtRandom, events: eventsRandom } = streams;
  const startMs = parseDayMs(options.start);
  const endMs = startMs + options.days * DAY;
  const acquisitionMs = options.acquisitionDays * DAY;
  const unitMs = DAYS_PER_UNIT[options.timeUnit] * DAY;
  const { p, q, gamma } = options.spend;
  const basketContext = { catalog, zipf, meanBasketLines: options.meanBasketLines, rules };
  const sessionContext: SessionContext | undefined = sinks.eventsSink ? { catalog, nextSession: 1, writeLine: (line) => sinks.eventsSink!.writeLine(line) } : undefined;
  const dirt = options.dirt;
  const progressEvery = Math.max(1, Math.floor(options.customers / 100));
  let nextOrderId = FIRST_ORDER_ID;
  const firstSeen = new Uint8Array(sequences.length);
  const rows: TimedRow[] = [];

  for (let i = 0; i < options.customers; i++) {
    const customerId = String(FIRST_CUSTOMER_ID + i);
    const profile = drawCustomerProfile(profileRandom, customerId);
    const signupLeadMs = roundToSecond((1 + 19 * profileRandom.uniform()) * MINUTE);
    const impulsive = purchaseRandom.uniform() < options.impulsiveShare;
    const firstMs = roundToSecond(startMs + purchaseRandom.uniform() * acquisitionMs);
    const T = (endMs - firstMs) / unitMs;
    const purchases = drawPurchaseTimes(purchaseRandom, options.model, options.purchaseParams, T);
    const nu = spendRandom.gamma(q, 1 / gamma);
    const signupMs = firstMs - signupLeadMs;
    if (impulsive) counts.impulsive++;
    counts.repeatPurchases += purchases.times.length;
    if (purchases.aliveAtEnd) counts.aliveAtEnd++;
    sinks.customersSink.writeLine(
      `${customerId},${formatDay(signupMs)},${profile.acquisitionChannel},${money(profile.acquisitionCost)},${profile.region},${profile.country},${profile.gender},${profile.birthYear},${profile.name},${profile.email},${profile.phone}`,
    );
    sinks.truthSink.writeLine(
      `${customerId},${impulsive ? 'impulsive' : 'deliberate'},${formatTimestamp(firstMs)},${T.toPrecision(10)},${purchases.lambda.toPrecision(8)},${purchases.dropout.toPrecision(8)},${(p / nu).toPrecision(8)},${purchases.times.length},${purchases.aliveAtEnd}`,
    );

    firstSeen.fill(0);
    let pending: number[] = [];
    let previousMs = firstMs - 14 * DAY;
    const country = profile.country;
    const customer = { customerId, anonymousId: profile.anonymousId, signupMs, impulsive };
    rows.length = 0;
    for (let k = 0; k <= purchases.times.length; k++) {
      const orderMs = k === 0 ? firstMs : Math.min(roundToSecond(firstMs + purchases.times[k - 1] * unitMs), endMs - 1000);
      const target = spendRandom.gamma(p, 1 / nu);
      const forced: number[] = [];
      for (const s of pending) {
        sequences[s].fired++;
        forced.push(sequences[s].thenProduct);
      }
      pending = [];
      const basket = drawBasket(basketRandom, basketContext, target, impulsive, forced);
      for (let s = 0; s < sequences.length; s++) {
        if (firstSeen[s] || !basket.products.includes(sequences[s].firstProduct)) continue;
        firstSeen[s] = 1;
        if (basketRandom.uniform() < sequences[s].probability) pending.push(s);
      }
      counts.orders++;
      counts.purchaseLines += basket.products.length;
      counts.targetValueSum += target;
      counts.realisedValueSum += basket.value;
      const orderId = String(nextOrderId++);
      const ts = formatTimestamp(orderMs);
      const lineTexts: string[] = [];
      for (let j = 0; j < basket.products.length; j++) {
        const product = basket.products[j];
        const quantity = basket.quantities[j];
        const text = `${orderId},${customerId},${ts},${catalog.productId[product]},${catalog.description[product]},${quantity},${money(catalog.unitPrice[product])},${country},${money(quantity * catalog.unitCost[product])}`;
        lineTexts.push(text);
        rows.push({ ms: orderMs, text });
        if (dirtRandom.uniform() < dirt.duplicate) {
          rows.push({ ms: orderMs, text });
          counts.duplicate++;
        }
      }
      if (dirtRandom.uniform() < dirt.postage) {
        const price = country === 'United Kingdom' ? 4.95 : 18;
        rows.push({ ms: orderMs, text: `${orderId},${customerId},${ts},POST,POSTAGE,1,${money(price)},${country},${money(price)}` });
        counts.nonProduct++;
      }
      if (dirtRandom.uniform() < dirt.returns) {
        const j = dirtRandom.integer(basket.products.length);
        const returnMs = roundToSecond(orderMs + HOUR + dirtRandom.exponential(1 / (RETURN_DELAY_MEAN_DAYS * DAY)));
        const returned = 1 + dirtRandom.integer(basket.quantities[j]);
        if (returnMs < endMs) {
          const product = basket.products[j];
          rows.push({
            ms: returnMs,
            text: `C${orderId},${customerId},${formatTimestamp(returnMs)},${catalog.productId[product]},${catalog.description[product]},${-returned},${money(catalog.unitPrice[product])},${country},${money(-returned * catalog.unitCost[product])}`,
          });
          counts.returnOrders++;
          counts.returnRows++;
        }
      }
      if (dirtRandom.uniform() < dirt.missingCustomerId) {
        const guestId = String(nextOrderId++);
        const guestMs = roundToSecond(orderMs + dirtRandom.uniform() * Math.min(DAY, endMs - 1000 - orderMs));
        const guestCountry = COUNTRIES[drawShare(dirtRandom, COUNTRIES)].country;
        const lines = 1 + dirtRandom.integer(3);
        const used: number[] = [];
        for (let j = 0; j < lines; j++) {
          const product = catalog.productOfRank[zipf.draw(dirtRandom)];
          const quantity = 1 + dirtRandom.integer(6);
          if (used.includes(product)) continue;
          used.push(product);
          rows.push({
            ms: guestMs,
            text: `${guestId},,${formatTimestamp(guestMs)},${catalog.productId[product]},${catalog.description[product]},${quantity},${money(catalog.unitPrice[product])},${guestCountry},${money(quantity * catalog.unitCost[product])}`,
          });
          counts.missingCustomerId++;
        }
        counts.guestOrders++;
      }
      if (sessionContext) drawSessions(eventsRandom, sessionContext, customer, orderMs, previousMs, basket.products);
      previousMs = orderMs;
    }
    // time order within the customer; stable, so duplicates stay right after their original
    rows.sort((a, b) => a.ms - b.ms);
    for (const row of rows) sinks.transactionsSink.writeLine(row.text);

    for (const sink of [sinks.customersSink, sinks.transactionsSink, sinks.truthSink, sinks.eventsSink]) {
      const wait = sink?.flushIfFull();
      if (wait) await wait;
    }
    if (onProgress && ((i + 1) % progressEvery === 0 || i + 1 === options.customers)) {
      onProgress({
        phase: 'generate',
        customersDone: i + 1,
        customers: options.customers,
        transactionRows: sinks.transactionsSink.rows,
        eventRows: sinks.eventsSink?.rows ?? 0,
        elapsedMs: Date.now() - started,
      });
    }
  }
  return counts;
}

function buildTruth(
  options: ResolvedShopOptions,
  catalog: ProductCatalog,
  rules: readonly ResolvedRule[],
  sequences: readonly { firstProduct: number; thenProduct: number; probability: number; fired: number }[],
  counts: GenerationCounts,
  rows: Record<string, number>,
  files: string[],
): ShopTruth {
  const startMs = parseDayMs(options.start);
  const { p, q, gamma } = options.spend;
  const associationRules: PlantedRuleTruth[] = rules.map((rule) => ({
    ifProductId: catalog.productId[rule.ifProduct],
    ifDescription: catalog.description[rule.ifProduct],
    ifRank: catalog.rankOfProduct[rule.ifProduct] + 1,
    thenProductId: catalog.productId[rule.thenProduct],
    thenDescription: catalog.description[rule.thenProduct],
    thenRank: catalog.rankOfProduct[rule.thenProduct] + 1,
    confidence: rule.confidence,
    fired: rule.fired,
  }));
  const plantedSequences: PlantedSequenceTruth[] = sequences.map((sequence) => ({
    firstProductId: catalog.productId[sequence.firstProduct],
    firstDescription: catalog.description[sequence.firstProduct],
    firstRank: catalog.rankOfProduct[sequence.firstProduct] + 1,
    thenProductId: catalog.productId[sequence.thenProduct],
    thenDescription: catalog.description[sequence.thenProduct],
    thenRank: catalog.rankOfProduct[sequence.thenProduct] + 1,
    probability: sequence.probability,
    fired: sequence.fired,
  }));
  const story =
    options.model === 'bgnbd'
      ? 'BG/NBD (Fader, Hardie & Lee 2005): λ ~ Gamma(r, rate alpha), p ~ Beta(a, b); Poisson(λ) repeat purchases after the first purchase at time 0; dropout with probability p after each repeat purchase'
      : 'Pareto/NBD (Schmittlein, Morrison & Colombo 1987): λ ~ Gamma(r, rate alpha), μ ~ Gamma(s, rate beta); lifetime ~ Exponential(μ); Poisson(λ) repeat purchases after the first purchase at time 0 while alive';
  return {
    generator: 'clvkit synth',
    truthVersion: 1,
    seed: options.seed,
    format: options.format,
    options,
    purchaseModel: {
      name: options.model,
      label: options.model === 'bgnbd' ? 'BG/NBD' : 'Pareto/NBD',
      timeUnit: options.timeUnit,
      daysPerUnit: DAYS_PER_UNIT[options.timeUnit],
      params: { ...options.purchaseParams },
      story,
    },
    spend: {
      model: 'gamma-gamma',
      params: { ...options.spend },
      populationMeanOrderValue: q > 1 ? (p * gamma) / (q - 1) : null,
      meanTargetOrderValue: counts.targetValueSum / counts.orders,
      meanRealisedOrderValue: counts.realisedValueSum / counts.orders,
    },
    window: {
      start: options.start,
      end: formatDay(startMs + options.days * DAY),
      days: options.days,
      acquisitionDays: options.acquisitionDays,
      lengthInUnits: options.days / DAYS_PER_UNIT[options.timeUnit],
    },
    customers: {
      total: options.customers,
      impulsive: counts.impulsive,
      deliberate: options.customers - counts.impulsive,
      withPurchase: options.customers,
      repeatPurchases: counts.repeatPurchases,
      aliveAtEnd: counts.aliveAtEnd,
    },
    associationRules,
    sequences: plantedSequences,
    dirt: {
      rates: options.dirt,
      quarantine: { duplicate: counts.duplicate, missing_customer_id: counts.missingCustomerId, non_product: counts.nonProduct },
      returns: { orders: counts.returnOrders, rows: counts.returnRows },
    },
    transactions: { orders: counts.orders, purchaseLines: counts.purchaseLines, guestOrders: counts.guestOrders },
    rows,
    files,
  };
}
