// Bench case: events.
//   sessions N [--baseline|--gap]: the events of a synthetic shop (`generateShop`, about 39 events a customer: sessions with
//     ids, anonymous visitors who log in later, views, searches, cart edits) sized to about N events, loaded as they are
//     (setup, not timed) with N/39 customers' orders; ours = stitching + sessions + funnels (buildEventSessions,
//     computeFunnels), baseline = a bare GROUP BY session_id over the same events (count, first and last time).
//     --gap withholds the session ids, so every session comes from the inactivity-gap split. Reports wall seconds and the
//     process CPU seconds (a fairer figure on a loaded machine).
//   buyer-types N: a synthetic shop of N buyers, ingested in memory; stitching, sessions and buyer types, with the
//     balanced accuracy against the planted types.
import { join } from 'node:path';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { buildEventSessions } from '../../src/events/build-event-sessions.js';
import { BUYER_TYPES_TABLE, classifyBuyerTypes } from '../../src/events/classify-buyer-types.js';
import { computeFunnels } from '../../src/events/compute-funnels.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { reportCase } from '../bench-harness.js';

/** Events a synthetic customer writes on average (`clvkit synth`: 117,543 events for 3,000 customers and 300 prospects). */
export const SYNTH_EVENTS_PER_CUSTOMER = 39;

/** The folder of a synthetic shop of about `events` events (generated once, kept in the bench data folder). */
async function synthShop(events: number): Promise<string> {
  const customers = Math.ceil(events / SYNTH_EVENTS_PER_CUSTOMER);
  const dir = join(tmpdir(), 'clvkit-bench', `events-shop-${customers}`);
  if (!existsSync(join(dir, 'truth.json'))) {
    mkdirSync(dir, { recursive: true });
    await generateShop({ outDir: dir, customers, seed: 16 });
  }
  return dir;
}

const cpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
const [what, sizeText, mode] = process.argv.slice(2);
const size = Number(sizeText);
const warehouse = await openDuckDbWarehouse(':memory:');
try {
  if (what === 'sessions') {
    const dir = await synthShop(size);
    const events = join(dir, 'events.csv').replaceAll("'", "''");
    await warehouse.execute(`
      INSERT INTO events (session_id, customer_id, anonymous_id, ts, type, product_id, category, query)
      SELECT ${mode === '--gap' ? 'NULL' : 'session_id'}, customer_id, anonymous_id, CAST(ts AS TIMESTAMP), type, product_id, category, query
      FROM read_csv('${events}', all_varchar = true)`);
    await warehouse.execute(`
      INSERT INTO transactions (order_id, customer_id, ts, quantity, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash)
      SELECT order_id, customer_id, min(CAST(order_date AS TIMESTAMP)), 1, 10, FALSE, FALSE, 1, 'bench', 0, md5(order_id || customer_id)
      FROM read_csv('${join(dir, 'transactions.csv').replaceAll("'", "''")}', all_varchar = true)
      WHERE customer_id IS NOT NULL AND order_id IS NOT NULL GROUP BY order_id, customer_id`);
    const [read] = await warehouse.query('SELECT count(*) AS n FROM events');
    const started = performance.now();
    const cpu = cpuSeconds();
    if (mode === '--baseline') {
      await warehouse.execute('CREATE TEMP TABLE clv_bare AS SELECT session_id, count(*) AS n, min(ts) AS first_ts, max(ts) AS last_ts FROM events GROUP BY session_id');
      reportCase((performance.now() - started) / 1000, { events: Number(read!.n), cpuSeconds: cpuSeconds() - cpu });
    } else {
      const counts = await buildEventSessions(warehouse, { asOf: '2030-01-01' });
      const funnels = await computeFunnels(warehouse);
      reportCase((performance.now() - started) / 1000, { events: Number(read!.n), cpuSeconds: cpuSeconds() - cpu, sessions: counts.sessions, stitched: counts.sessionsStitched, purchased: funnels.overall.purchased.sessions });
    }
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'clvkit-bench-events-'));
    const truth = await generateShop({ outDir: dir, customers: size, seed: 16 });
    await ingestFiles(warehouse, [join(dir, 'transactions.csv'), join(dir, 'events.csv')], { now: new Date('2030-01-01T00:00:00Z') });
    const started = performance.now();
    await buildEventSessions(warehouse, { asOf: truth.window.end });
    await classifyBuyerTypes(warehouse);
    const seconds = (performance.now() - started) / 1000;
    await warehouse.execute(`CREATE TEMP TABLE clv_truth AS SELECT customer_id, buyer_type FROM read_csv('${join(dir, 'truth-customers.csv')}', all_varchar = true)`);
    const [recall] = await warehouse.query(`
      SELECT avg(CASE WHEN t.buyer_type = 'impulsive' THEN CAST(b.buyer_type = 'impulsive' AS INTEGER) END) AS impulsive,
             avg(CASE WHEN t.buyer_type = 'deliberate' THEN CAST(b.buyer_type = 'deliberate' AS INTEGER) END) AS deliberate
      FROM clv_truth t LEFT JOIN ${BUYER_TYPES_TABLE} b ON b.customer_id = t.customer_id`);
    reportCase(seconds, { balancedAccuracy: ((Number(recall!.impulsive ?? 0) + Number(recall!.deliberate ?? 0)) / 2).toFixed(4) });
  }
} finally {
  await warehouse.close();
}
