/**
 * A synthetic shop at any scale, with its truth: customers, products,
 * transactions (Online Retail-like layout that `clvkit ingest` reads without
 * flags), behaviour events, dirt at known rates, and `truth.json` with
 * everything planted.
 *
 * Streaming: customers are simulated one at a time (`simulateCustomer`) and
 * written (`createCustomerWriter`) through `CsvSink`s with backpressure, so
 * memory is fixed (the product catalog plus one customer's rows) whatever the
 * number of customers. Transactions are grouped by customer, in time order
 * within a customer (returns and guest orders at their own times); they are
 * not globally sorted by time.
 *
 * Per customer i (id 100001 + i): profile and sign-up, buyer type
 * (impulsive with probability `impulsiveShare`), purchase dates by the shop's
 * shape (`simulateShapePurchases`; the default `bgnbd` shape: first purchase
 * uniform over the acquisition period, BG/NBD or Pareto/NBD repeats), spend
 * and baskets (`simulateCustomer`), dirt per order (`simulateOrderDirt`),
 * browsing before the first order and before each order
 * (write-customer-rows.ts). Then the prospects (simulate-prospects.ts) and
 * the visitors who never identify (`anonymousVisitors` per buyer,
 * `drawAnonymousVisitor`), who are in events.csv only.
 *
 * Each concern draws from its own seeded stream (`createShopStreams`), so
 * turning events off, changing dirt rates or the sign-up and browsing
 * options leaves the customers' purchases and baskets unchanged — the
 * transactions byte for byte unless the dirt changes (order ids shift when
 * guest orders change). The same seed and options give byte-identical files.
 */
import { rm, writeFile } from 'node:fs/promises';
import { lstatSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors/user-error.js';
import { makeFolders } from '../core/make-folders.js';
import { openCsvSink, type CsvSink } from './csv-sink.js';
import { CUSTOMER_COLUMNS, EVENT_COLUMNS, PRODUCT_COLUMNS, SHOP_COLUMN_TYPES, SHOP_FILE_STEMS, TRANSACTION_COLUMNS, TRUTH_CUSTOMER_COLUMNS } from './shop-columns.js';
import { resolveShopOptions, type ShopOptions } from './shop-options.js';
import { createShopStreams } from './shop-streams.js';
import { createShopTally } from './shop-tally.js';
import { buildShopTruth, type ShopTruth } from './shop-truth.js';
import { createCustomerContext, simulateCustomer } from './simulate-customer.js';
import { drawAnonymousVisitor } from './draw-visits.js';
import { createVisitorTally, type SessionContext } from './online-person.js';
import { writeProspect } from './simulate-prospects.js';
import { createCustomerWriter, money, type ShopSinks } from './write-customer-rows.js';

/** `lstatSync(path)`, or undefined when it fails (nothing there). */
function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** Make sure `outDir` is a folder and holds none of the shop's files (truth.json first: a folder with truth.json is complete); a folder of one's name is refused. */
async function prepareOutputFolder(outDir: string): Promise<void> {
  try {
    if (!statSync(outDir).isDirectory()) throw new UserError(`${outDir} is a file, not a folder`, "pass a folder for the shop's files (it is created when missing)");
  } catch (error) {
    if (error instanceof UserError) throw error;
    makeFolders(outDir, { flag: '--out' }); // one line when it cannot be made (Node's recursive mkdir loops for ever under /proc)
  }
  // a folder of a file's name: one line before anything is removed or written (rm would fail on it, a stack trace)
  const names = ['truth.json', ...SHOP_FILE_STEMS.flatMap((stem) => [`${stem}.csv`, `${stem}.parquet`])];
  const folder = names.find((name) => lstatOrUndefined(join(outDir, name))?.isDirectory());
  if (folder) throw new UserError(`${outDir} holds a folder named ${folder}, where the shop's file of that name is written`, 'remove or rename that folder, or pass another folder');
  await rm(join(outDir, 'truth.json'), { force: true });
  for (const stem of SHOP_FILE_STEMS) {
    await rm(join(outDir, `${stem}.csv`), { force: true });
    await rm(join(outDir, `${stem}.parquet`), { force: true });
  }
}

/**
 * Generate a synthetic shop into `options.outDir`; resolves with its truth
 * (also written as truth.json, last, so a folder with truth.json is complete).
 * Throws `UserError` on bad options or an unusable folder.
 */
export async function generateShop(options: ShopOptions): Promise<ShopTruth> {
  const resolved = resolveShopOptions(options);
  const outDir = options.outDir;
  await prepareOutputFolder(outDir);
  const started = Date.now();
  const streams = createShopStreams(resolved.seed);
  const context = createCustomerContext(resolved, streams);
  const { catalog } = context.basket;
  const { rules, sequences, window } = context;

  const path = (stem: string) => join(outDir, `${stem}.csv`);
  const productsSink = openCsvSink(path('products'), PRODUCT_COLUMNS);
  for (let j = 0; j < catalog.size; j++) {
    productsSink.writeLine(`${catalog.productId[j]},${catalog.description[j]},${catalog.category[j]},${money(catalog.unitPrice[j])},${money(catalog.unitCost[j])}`);
  }
  await productsSink.close();

  const sinks: ShopSinks = {
    customers: openCsvSink(path('customers'), CUSTOMER_COLUMNS),
    transactions: openCsvSink(path('transactions'), TRANSACTION_COLUMNS),
    truth: openCsvSink(path('truth-customers'), TRUTH_CUSTOMER_COLUMNS),
    events: resolved.events ? openCsvSink(path('events'), EVENT_COLUMNS) : undefined,
  };
  const open: CsvSink[] = [sinks.customers, sinks.transactions, sinks.truth, ...(sinks.events ? [sinks.events] : [])];
  try {
    const tally = createShopTally();
    const sessions: SessionContext | undefined = sinks.events
      ? { catalog, options: resolved, tally: createVisitorTally(), windowStartMs: window.startMs, nextSession: 1, writeLine: (line) => sinks.events!.writeLine(line) }
      : undefined;
    const writeCustomer = createCustomerWriter({ sinks, catalog, tally, sessions, startMs: window.startMs, dirt: { rates: resolved.dirt, catalog, zipf: context.basket.zipf, endMs: window.endMs }, dirtRandom: streams.dirt, eventsRandom: streams.events });
    const progressEvery = Math.max(1, Math.floor(resolved.customers / 100));
    const prospects = Math.round(resolved.prospectShare * resolved.customers);
    for (let i = 0; i < resolved.customers; i++) {
      writeCustomer(simulateCustomer(context, i));
      for (const sink of open) {
        const wait = sink.flushIfFull();
        if (wait) await wait;
      }
      // the last report waits for the prospects, so it counts every row
      if (options.onProgress && ((i + 1) % progressEvery === 0 || i + 1 === resolved.customers) && !(i + 1 === resolved.customers && prospects > 0)) {
        options.onProgress({ phase: 'generate', customersDone: i + 1, customers: resolved.customers, transactionRows: sinks.transactions.rows, eventRows: sinks.events?.rows ?? 0, elapsedMs: Date.now() - started });
      }
    }
    const flush = async () => {
      for (const sink of open) {
        const wait = sink.flushIfFull();
        if (wait) await wait;
      }
    };
    for (let i = 0; i < prospects; i++) {
      writeProspect(streams.prospects, streams.events, sinks, sessions, window, resolved.customers, i);
      await flush();
    }
    tally.prospects = prospects;
    if (sessions) {
      const visitors = Math.round(resolved.anonymousVisitors * resolved.customers);
      for (let i = 0; i < visitors; i++) {
        drawAnonymousVisitor(streams.events, sessions, window.startMs, window.endMs);
        await flush();
      }
    }
    if (options.onProgress && prospects > 0) {
      options.onProgress({ phase: 'generate', customersDone: resolved.customers, customers: resolved.customers, transactionRows: sinks.transactions.rows, eventRows: sinks.events?.rows ?? 0, elapsedMs: Date.now() - started });
    }
    for (const sink of open) await sink.close();

    const rows: Record<string, number> = { customers: sinks.customers.rows, products: productsSink.rows, transactions: sinks.transactions.rows, 'truth-customers': sinks.truth.rows };
    if (sinks.events) rows.events = sinks.events.rows;
    const stems = SHOP_FILE_STEMS.filter((stem) => rows[stem] !== undefined);
    let files = stems.map((stem) => `${stem}.csv`);
    if (resolved.format === 'parquet') {
      options.onProgress?.({ phase: 'convert', customersDone: resolved.customers, customers: resolved.customers, transactionRows: rows.transactions, eventRows: rows.events ?? 0, elapsedMs: Date.now() - started });
      // DuckDB is loaded only when a shop is converted
      const { convertCsvToParquet } = await import('./convert-csv-to-parquet.js');
      const conversions = stems.map((stem) => ({ csvPath: path(stem), parquetPath: join(outDir, `${stem}.parquet`), columns: SHOP_COLUMN_TYPES[stem] }));
      await convertCsvToParquet(conversions);
      for (const conversion of conversions) await rm(conversion.csvPath);
      files = stems.map((stem) => `${stem}.parquet`);
    }
    const truth = buildShopTruth({ options: resolved, catalog, rules, sequences, tally, visitors: sessions?.tally, rows, files });
    await writeFile(join(outDir, 'truth.json'), JSON.stringify(truth, null, 2) + '\n');
    return truth;
  } catch (error) {
    for (const sink of open) await sink.close().catch(() => undefined);
    throw error;
  }
}
