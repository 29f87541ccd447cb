// Bench case: events.
//   sessions N [--gap] [--rounds R]: the events of a synthetic shop (`generateShop`, about 56 events a buyer: sessions
//     with ids, anonymous visitors who log in later or never, views, searches, cart edits) sized to about N events, loaded as they
//     are (setup, not timed) with N/56 buyers' orders; ours = stitching + sessions + funnels (buildEventSessions,
//     computeFunnels), baseline = a bare GROUP BY session_id over the same events (count, first and last time, written
//     to a table as ours writes its tables). Both run in this process, alternated R times (default 3 up to 2M events,
//     else 2), and each is reported by its best round, so load drift hits both alike. --gap withholds the session ids
//     from `events`, so every session comes from the inactivity-gap split; the baseline then groups the same events'
//     ids and times loaded beside them. Reports wall seconds and the process CPU seconds (DuckDB's threads run in this
//     process; the fairer figure on a loaded machine), ours and the baseline's.
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
import { loadSyntheticEvents, loadSyntheticSessionIds } from './events-shop.js';

const cpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
const [what, sizeText, mode] = process.argv.slice(2);
const size = Number(sizeText);
const warehouse = await openDuckDbWarehouse(':memory:');
try {
  if (what === 'sessions') {
    const gap = mode === '--gap';
    const { events: held, dir } = await loadSyntheticEvents(warehouse, size, gap);
    const grouped = gap ? await loadSyntheticSessionIds(warehouse, dir) : 'events';
    const roundsIndex = process.argv.indexOf('--rounds');
    const rounds = roundsIndex >= 0 ? Number(process.argv[roundsIndex + 1]) : size <= 2_000_000 ? 3 : 2;
    const timed = async (run: () => Promise<void>) => {
      const started = performance.now();
      const cpu = cpuSeconds();
      await run();
      return { wall: (performance.now() - started) / 1000, cpu: cpuSeconds() - cpu };
    };
    const bare: { wall: number; cpu: number }[] = [];
    const ours: { wall: number; cpu: number }[] = [];
    let counts: Awaited<ReturnType<typeof buildEventSessions>> | undefined;
    let purchased = 0;
    for (let round = 0; round < rounds; round++) {
      bare.push(await timed(() => warehouse.execute(`CREATE OR REPLACE TEMP TABLE clv_bare AS SELECT session_id, count(*) AS n, min(ts) AS first_ts, max(ts) AS last_ts FROM ${grouped} GROUP BY session_id`)));
      ours.push(await timed(async () => {
        counts = await buildEventSessions(warehouse, { asOf: '2030-01-01' });
        purchased = (await computeFunnels(warehouse)).overall.purchased.sessions;
      }));
    }
    const best = (runs: { wall: number; cpu: number }[]) => ({ wall: Math.min(...runs.map((r) => r.wall)), cpu: Math.min(...runs.map((r) => r.cpu)) });
    reportCase(best(ours).wall, {
      events: held,
      cpuSeconds: best(ours).cpu,
      baselineSeconds: best(bare).wall,
      baselineCpuSeconds: best(bare).cpu,
      rounds,
      sessions: counts!.sessions,
      stitched: counts!.sessionsStitched,
      purchased,
    });
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
