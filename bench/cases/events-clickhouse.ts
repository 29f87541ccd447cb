// Bench case: the events stage on a ClickHouse cluster (issue 16 item 7, issue 18).
//   events-clickhouse URL EVENTS [--gap] [--cluster NAME]
//   The synthetic shop events of the DuckDB line (bench/cases/events-shop.ts: `generateShop`, seed 16, about EVENTS
//   events, one transaction per order) are loaded into DuckDB and copied to the cluster (setup, not timed; --gap withholds
//   the session ids, so every session comes from the inactivity-gap split). Then, in the same run: a bare distributed
//   GROUP BY session_id over the same events (count, first and last time, written to a table as the stage writes its
//   own; best of 3) and stitching + sessions + funnels (buildEventSessionsOnClickHouse, computeFunnelsOnClickHouse), with
//   every statement the stage sends timed (statement-log.ts). The bench database is dropped at the end.
import { openClickHouseWarehouse, type ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { copyTableToClickHouse, createTableIfMissing } from '../../src/engine/clickhouse/copy-table-to-clickhouse.js';
import type { StatementLogEntry } from '../../src/engine/clickhouse/statement-log.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { buildEventSessionsOnClickHouse } from '../../src/events/clickhouse-event-sessions.js';
import { computeFunnelsOnClickHouse } from '../../src/events/clickhouse-funnels.js';
import { reportCase } from '../bench-harness.js';
import { loadSyntheticEvents } from './events-shop.js';

const argv = process.argv.slice(2);
const clusterAt = argv.indexOf('--cluster');
const cluster = clusterAt >= 0 ? argv[clusterAt + 1] : undefined;
const gap = argv.includes('--gap');
const [url, eventsText] = argv.filter((a, i) => !a.startsWith('--') && (clusterAt < 0 || i !== clusterAt + 1));
if (!url || !Number.isFinite(Number(eventsText))) throw new Error('usage: events-clickhouse.ts URL EVENTS [--gap] [--cluster NAME]');
const progress = (text: string) => process.stderr.write(`  ${new Date().toISOString().slice(11, 19)} ${text}\n`);

let log: StatementLogEntry[] | null = null;
const database = `clvkit_bench_events_${process.pid}`;
const clickhouse = await openClickHouseWarehouse(url, { database, ...(cluster ? { cluster } : {}), onStatement: (entry) => log?.push(entry) });
const duck = await openDuckDbWarehouse(':memory:');
let stage: ClickHouseWarehouse = clickhouse;
try {
  const { events, asOf } = await loadSyntheticEvents(duck, Number(eventsText), false);
  // the same rows on the cluster: with their session ids for the baseline, then without them for --gap
  const copy = async (target: ClickHouseWarehouse, table: string) => {
    const [rows] = await duck.query(`SELECT count(*) AS n FROM ${table}`);
    await createTableIfMissing(duck, target, table);
    const chunk = 1_000_000;
    for (let from = 0; from < Number(rows!.n); from += chunk) await copyTableToClickHouse(duck, target, table, `rowid >= ${from} AND rowid < ${from + chunk}`);
  };
  await copy(clickhouse, 'transactions');
  await copy(clickhouse, 'events');
  await copy(clickhouse, 'customers');
  progress(`${events} events copied to the cluster`);
  const timed = async (work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    return (performance.now() - started) / 1000;
  };
  const bare = [];
  for (let i = 0; i < 3; i++) {
    bare.push(await timed(() => clickhouse.execute('CREATE OR REPLACE TEMP TABLE clv_bare AS SELECT session_id, count(*) AS n, min(ts) AS first_ts, max(ts) AS last_ts FROM events GROUP BY session_id')));
  }
  const bareSeconds = Math.min(...bare);
  progress(`bare GROUP BY session_id: ${bare.map((s) => s.toFixed(2)).join(', ')} s`);
  if (gap) {
    // the stage reads the events without their session ids: the same rows copied again with session_id NULL, into a second database
    stage = await openClickHouseWarehouse(url, { database: `${database}_gap`, ...(cluster ? { cluster } : {}), onStatement: (entry) => log?.push(entry) });
    await duck.execute('UPDATE events SET session_id = NULL');
    await copy(stage, 'transactions');
    await copy(stage, 'events');
    await copy(stage, 'customers');
    progress('events copied again without session ids');
  }
  log = [];
  let sessions = 0;
  let purchased = 0;
  const seconds = await timed(async () => {
    sessions = (await buildEventSessionsOnClickHouse(stage, { asOf })).sessions;
    purchased = (await computeFunnelsOnClickHouse(stage)).overall.purchased.sessions;
  });
  const statements = log.filter((e) => e.node === 'entry').map((e) => ({ seconds: e.seconds, what: e.sql.replace(/\s+/g, ' ').trim().slice(0, 60) }));
  log = null;
  for (const s of statements) progress(`${s.seconds.toFixed(2).padStart(7)} s ×${(s.seconds / bareSeconds).toFixed(2).padStart(6)}  ${s.what}`);
  progress(`stitching + sessions + funnels ${seconds.toFixed(2)} s, ×${(seconds / bareSeconds).toFixed(2)} the bare GROUP BY (${bareSeconds.toFixed(2)} s)`);
  const largest = [...statements].sort((a, b) => b.seconds - a.seconds).slice(0, 3);
  reportCase(seconds, {
    events,
    bareSeconds,
    sessions,
    purchased,
    largest: largest.map((s) => `${s.what.slice(0, 40)} ${s.seconds.toFixed(2)} s (×${(s.seconds / bareSeconds).toFixed(2)})`).join('; '),
  });
} finally {
  if (stage !== clickhouse) {
    await stage.dropDatabase();
    await stage.close();
  }
  await clickhouse.dropDatabase();
  await clickhouse.close();
  await duck.close();
}
