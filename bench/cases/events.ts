// Bench case: events.
//   sessions N [--baseline]: N generated events (1 in 3 anonymous, stitched through a visitor id; 20 events a session) and
//     N/50 order lines; ours = stitching + sessions + funnels (buildEventSessions, computeFunnels), baseline = a bare
//     GROUP BY session_id over the same events (count, first and last time).
//   buyer-types N: a synthetic shop of N buyers, ingested in memory; stitching, sessions and buyer types, with the
//     balanced accuracy against the planted types.
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { buildEventSessions } from '../../src/events/build-event-sessions.js';
import { BUYER_TYPES_TABLE, classifyBuyerTypes } from '../../src/events/classify-buyer-types.js';
import { computeFunnels } from '../../src/events/compute-funnels.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { reportCase } from '../bench-harness.js';

const [what, sizeText, mode] = process.argv.slice(2);
const size = Number(sizeText);
const warehouse = await openDuckDbWarehouse(':memory:');
try {
  if (what === 'sessions') {
    await warehouse.execute(`
      INSERT INTO events (customer_id, anonymous_id, session_id, ts, type, product_id, category)
      SELECT CASE WHEN i % 3 = 0 THEN NULL ELSE 'c_' || (i // 20 % 400000) END, 'a_' || (i // 20 % 400000), 's' || (i // 20),
        TIMESTAMP '2023-01-01' + to_seconds(CAST(i * 3 AS BIGINT)), ['view', 'view', 'search', 'add_to_cart', 'remove_from_cart', 'login'][1 + CAST(i % 6 AS INTEGER)],
        'p' || (i % 4000), 'cat' || (i % 40)
      FROM range(${size}) t(i)`);
    await warehouse.execute(`
      INSERT INTO transactions (order_id, customer_id, ts, quantity, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash)
      SELECT 'o' || i, 'c_' || (i * 50 // 20 % 400000), TIMESTAMP '2023-01-01' + to_seconds(CAST(i * 150 + 60 AS BIGINT)), 1, 10, FALSE, FALSE, 1, 'bench', i, md5(CAST(i AS VARCHAR))
      FROM range(${Math.floor(size / 50)}) t(i)`);
    const started = performance.now();
    if (mode === '--baseline') {
      await warehouse.execute('CREATE TEMP TABLE clv_bare AS SELECT session_id, count(*) AS n, min(ts) AS first_ts, max(ts) AS last_ts FROM events GROUP BY session_id');
      reportCase((performance.now() - started) / 1000);
    } else {
      const counts = await buildEventSessions(warehouse, { asOf: '2030-01-01' });
      const funnels = await computeFunnels(warehouse);
      reportCase((performance.now() - started) / 1000, { sessions: counts.sessions, stitched: counts.sessionsStitched, purchased: funnels.overall.purchased.sessions });
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
