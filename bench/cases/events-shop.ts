// The synthetic shop events of the events bench lines (bench/cases/events*.ts), generated once and kept in the bench data folder.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { generateShop } from '../../src/synth/generate-shop.js';

/**
 * Events a synthetic buyer brings on average, prospects and visitors who never identify included (`clvkit synth`:
 * 169,229 events for 3,000 buyers, 1,500 prospects and 1,500 anonymous visitors, seed 16; 39 before session 35, when
 * buyers signed up at checkout, every visitor logged in and there were a fifth as many prospects).
 */
export const SYNTH_EVENTS_PER_CUSTOMER = 56;

/** Raised when the generator's events change, so that a shop kept from before is not read as one of now. */
const SHOP_VERSION = 2;

/** The folder of a synthetic shop of about `events` events (seed 16). */
export async function synthEventsShop(events: number): Promise<string> {
  const customers = Math.ceil(events / SYNTH_EVENTS_PER_CUSTOMER);
  const dir = join(tmpdir(), 'clvkit-bench', `events-shop-v${SHOP_VERSION}-${customers}`);
  if (!existsSync(join(dir, 'truth.json'))) {
    mkdirSync(dir, { recursive: true });
    await generateShop({ outDir: dir, customers, seed: 16 });
  }
  return dir;
}

/**
 * Load the shop's events as they are (session ids withheld with `withoutSessionIds`, so the gap split runs) and one
 * transaction per order into a DuckDB warehouse; returns the events held and the as-of date (the shop's last day).
 */
export async function loadSyntheticEvents(warehouse: Warehouse, events: number, withoutSessionIds: boolean): Promise<{ events: number; asOf: string; dir: string }> {
  const dir = await synthEventsShop(events);
  const quoted = (file: string) => join(dir, file).replaceAll("'", "''");
  await warehouse.execute(`
    INSERT INTO events (session_id, customer_id, anonymous_id, ts, type, product_id, category, query)
    SELECT ${withoutSessionIds ? 'NULL' : 'session_id'}, customer_id, anonymous_id, CAST(ts AS TIMESTAMP), type, product_id, category, query
    FROM read_csv('${quoted('events.csv')}', all_varchar = true)`);
  await warehouse.execute(`
    INSERT INTO transactions (order_id, customer_id, ts, quantity, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash)
    SELECT order_id, customer_id, min(CAST(order_date AS TIMESTAMP)), 1, 10, FALSE, FALSE, 1, 'bench', 0, md5(order_id || customer_id)
    FROM read_csv('${quoted('transactions.csv')}', all_varchar = true)
    WHERE customer_id IS NOT NULL AND order_id IS NOT NULL GROUP BY order_id, customer_id`);
  const [read] = await warehouse.query('SELECT count(*) AS n FROM events');
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as { window?: { end?: string } };
  return { events: Number(read!.n), asOf: truth.window?.end ?? '2030-01-01', dir };
}

/**
 * The shop's session ids and times as a table of their own (`clv_bench_session_ids`), for the bare GROUP BY baseline
 * of a run whose `events` were loaded without their session ids: the same events, grouped by the ids they came with.
 */
export async function loadSyntheticSessionIds(warehouse: Warehouse, dir: string): Promise<string> {
  const quoted = join(dir, 'events.csv').replaceAll("'", "''");
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE clv_bench_session_ids AS
    SELECT session_id, CAST(ts AS TIMESTAMP) AS ts FROM read_csv('${quoted}', all_varchar = true)`);
  return 'clv_bench_session_ids';
}
