// Bench case: events-profile N [--gap]: where the events stage's time goes, statement by statement, in one process.
//   Loads a synthetic shop of about N events (as bench/cases/events.ts: `generateShop`, seed 16; --gap withholds the
//   session ids), then runs, in the same process: a bare GROUP BY session_id over the same events (the baseline,
//   best of 3), and the whole events stage (`runEvents`: stitching and sessions, funnels, buyer types, online lifecycle,
//   prospects) with every statement timed (wall and process CPU: DuckDB's threads run in this process). Prints one line
//   per statement and per step, each as a ratio to the baseline; the steps the 2× covers are
//   "sessionising, stitching and funnels" (buildEventSessions + computeFunnels).
//   `npx tsx bench/cases/events-profile.ts 1000000 [--gap]`
import { join } from 'node:path';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { buildEventSessions } from '../../src/events/build-event-sessions.js';
import { classifyBuyerTypes } from '../../src/events/classify-buyer-types.js';
import { computeFunnels } from '../../src/events/compute-funnels.js';
import { buildOnlineLifecycle } from '../../src/events/online-lifecycle.js';
import { scoreProspects } from '../../src/events/score-prospects.js';
import { loadSyntheticEvents } from './events-shop.js';

const cpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

interface Timed {
  readonly label: string;
  readonly wall: number;
  readonly cpu: number;
}

/** A warehouse that times every statement it passes on. */
function timing(inner: Warehouse, into: Timed[]): Warehouse {
  const label = (sql: string) => {
    const flat = sql.replace(/\s+/g, ' ').trim();
    const table = /(?:TABLE|VIEW|UPDATE|INSERT INTO)\s+(?:IF NOT EXISTS\s+)?([a-z_]+)/i.exec(flat);
    return (table ? `${table[0]}` : flat).slice(0, 60);
  };
  const timed = <T>(sql: string, run: () => Promise<T>) => async (): Promise<T> => {
    const started = performance.now();
    const cpu = cpuSeconds();
    const result = await run();
    into.push({ label: label(sql), wall: (performance.now() - started) / 1000, cpu: cpuSeconds() - cpu });
    return result;
  };
  return {
    dialect: inner.dialect,
    location: inner.location,
    execute: (sql) => timed(sql, () => inner.execute(sql))(),
    query: (sql) => timed(sql, () => inner.query(sql))(),
    queryColumns: (sql) => timed(sql, () => inner.queryColumns(sql))(),
    stream: (sql, onRows) => timed(sql, () => inner.stream(sql, onRows))(),
    append: (table, columns) => inner.append(table, columns),
    exportCsv: (sql, path) => inner.exportCsv(sql, path),
    transaction: (work) => inner.transaction(work),
    close: () => inner.close(),
  };
}

const [sizeText, mode] = process.argv.slice(2);
const warehouse = await openDuckDbWarehouse(':memory:');
try {
  const { events, asOf } = await loadSyntheticEvents(warehouse, Number(sizeText), false);
  const bare = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const cpu = cpuSeconds();
    await warehouse.execute('CREATE OR REPLACE TEMP TABLE clv_bare AS SELECT session_id, count(*) AS n, min(ts) AS first_ts, max(ts) AS last_ts FROM events GROUP BY session_id');
    bare.push({ wall: (performance.now() - started) / 1000, cpu: cpuSeconds() - cpu });
  }
  const base = { wall: Math.min(...bare.map((b) => b.wall)), cpu: Math.min(...bare.map((b) => b.cpu)) };
  // the baseline groups the events by their session ids; the gap split then runs on the same events without them
  if (mode === '--gap') await warehouse.execute('UPDATE events SET session_id = NULL');
  const statements: Timed[] = [];
  const steps: Timed[] = [];
  const w = timing(warehouse, statements);
  const step = async (label: string, run: () => Promise<unknown>) => {
    const from = statements.length;
    await run();
    const mine = statements.slice(from);
    steps.push({ label, wall: mine.reduce((t, s) => t + s.wall, 0), cpu: mine.reduce((t, s) => t + s.cpu, 0) });
    statements.push({ label: `-- ${label} --`, wall: Number.NaN, cpu: Number.NaN });
  };
  await step('stitching + sessions', () => buildEventSessions(w, { asOf }));
  await step('funnels', () => computeFunnels(w));
  await step('buyer types', () => classifyBuyerTypes(w));
  await step('online lifecycle', () => buildOnlineLifecycle(w, { asOf, validationFrom: null }));
  await step('prospects', () => scoreProspects(w, { asOf }));
  const covered = steps.slice(0, 2);
  steps.push({ label: 'issue 2x scope: stitching + sessions + funnels', wall: covered.reduce((t, s) => t + s.wall, 0), cpu: covered.reduce((t, s) => t + s.cpu, 0) });
  steps.push({ label: 'whole events stage', wall: steps.slice(0, 5).reduce((t, s) => t + s.wall, 0), cpu: steps.slice(0, 5).reduce((t, s) => t + s.cpu, 0) });
  const print = (t: Timed) =>
    `${t.label.padEnd(62)} ${t.wall.toFixed(3).padStart(8)} s ${(t.wall / base.wall).toFixed(2).padStart(6)}×  CPU ${t.cpu.toFixed(3).padStart(7)} s ${(t.cpu / base.cpu).toFixed(2).padStart(6)}×`;
  process.stdout.write(`${events.toLocaleString('en-US')} events${mode === '--gap' ? ' (session ids withheld)' : ''}\n`);
  process.stdout.write(`${print({ label: 'bare GROUP BY session_id (best of 3)', ...base })}\n`);
  for (const s of statements) process.stdout.write(`${Number.isNaN(s.wall) ? s.label : print(s)}\n`);
  for (const s of steps) process.stdout.write(`${print(s)}\n`);
} finally {
  await warehouse.close();
}
