// Bench case (run by hand): events-stored-forms N [--rounds R] — what a change of what `events` stores would save the
// events stage's one pass, measured before making it (issue 16 item 7; docs/scaling.md "Session 8").
//   Loads the bench's synthetic shop of about N events with their session ids (bench/cases/events-shop.ts), then, in this
//   one process, alternated R times (default 5) and each reported by its min and median process CPU seconds:
//   - bare: the issue's baseline, `GROUP BY session_id` with count, first and last time, written to a table;
//   - scope: stitching + sessions + funnels as they are (`buildEventSessions` + `computeFunnels`), and within it the one
//     pass (`clv_session_heads`) and the rest (scope − pass);
//   - the same pass over other stored forms of the same events, each written beside `events` once, before the rounds:
//     `code`: the event type as a stored 1-byte code (`type_code UTINYINT`) instead of the text `type`;
//     `int ids`: the code, and the visitor and customer ids as integers from an id map;
//     `rollup regrouped`: a per-(session id, day) rollup (the pass's aggregates as associative partials), grouped per session;
//     `rollup direct`: the same rollup's rows of sessions held in one day, read with no GROUP BY (a flag kept at ingest).
//   Each form's one-off cost of being written (over all events; an ingest would pay it per file) is printed too, and
//   `scope − (text pass − form)`, round by round, estimates the scope with that form (the forms are timed as standalone
//   statements of one shape, so their saving is taken against the same statement on the text columns); `scope − its
//   pass` is the floor of any change to the pass alone. The forms give the pass's aggregates (not checked against
//   the builder's here: this case measures cost only; the builder's own result is checked by test/events).
//   `npx tsx bench/cases/events-stored-forms.ts 1000000 [--rounds 5]`
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { buildEventSessions } from '../../src/events/build-event-sessions.js';
import { computeFunnels } from '../../src/events/compute-funnels.js';
import { loadSyntheticEvents } from './events-shop.js';

const cpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
const timedCpu = async (run: () => Promise<unknown>) => {
  const started = cpuSeconds();
  await run();
  return cpuSeconds() - started;
};

const [sizeText] = process.argv.slice(2);
const roundsIndex = process.argv.indexOf('--rounds');
const rounds = roundsIndex >= 0 ? Number(process.argv[roundsIndex + 1]) : 5;
const warehouse = await openDuckDbWarehouse(':memory:');
try {
  const { events, asOf } = await loadSyntheticEvents(warehouse, Number(sizeText), false);
  const end = `TIMESTAMP '${asOf} 23:59:59.999'`;
  const typeCode = "CASE type WHEN 'view' THEN 1 WHEN 'search' THEN 2 WHEN 'add_to_cart' THEN 3 WHEN 'login' THEN 4 WHEN 'purchase' THEN 5 ELSE 0 END";
  const written: Record<string, number> = {};
  written.code = await timedCpu(() => warehouse.execute(`CREATE TABLE ev_code AS SELECT session_id, anonymous_id, customer_id, ts, CAST(${typeCode} AS UTINYINT) AS type_code FROM events`));
  written['int ids'] = await timedCpu(async () => {
    await warehouse.execute(`CREATE TABLE id_map AS SELECT id, CAST(row_number() OVER () AS BIGINT) AS k FROM (
      SELECT anonymous_id AS id FROM events WHERE anonymous_id IS NOT NULL UNION SELECT customer_id FROM events WHERE customer_id IS NOT NULL)`);
    await warehouse.execute(`CREATE TABLE ev_int AS SELECT e.session_id, e.ts, e.type_code, a.k AS anonymous_k, c.k AS customer_k
      FROM ev_code e LEFT JOIN id_map a ON a.id = e.anonymous_id LEFT JOIN id_map c ON c.id = e.customer_id`);
  });
  // the pass's aggregates over a source whose type is `t` ('view' etc. as text, or codes) and ids `a`, `c`
  const passAggregates = (view: string, search: string, cart: string, login: string, purchase: string, a: string, c: string) => `count(*) AS events, min(ts) AS start_ts, max(ts) AS end_ts,
    CAST(sum(CASE WHEN ${view} THEN 1 WHEN ${search} THEN 4096 WHEN ${cart} THEN 16777216 ELSE 0 END
      + CASE WHEN ${a} IS NOT NULL THEN 68719476736 ELSE 0 END + CASE WHEN ${c} IS NOT NULL THEN 281474976710656 ELSE 0 END) AS BIGINT) AS packed,
    max(CASE WHEN ${view} THEN epoch_us(ts) * 2 + 1 WHEN ${search} THEN epoch_us(ts) * 2 END) AS last_view_or_search,
    min(${a}) AS anonymous_id, max(${a}) AS anonymous_id_max, min(${c}) AS customer_id, max(${c}) AS customer_id_max,
    min(CASE WHEN ${a} IS NOT NULL AND ${c} IS NOT NULL THEN epoch_us(ts) * 4 + CASE WHEN ${login} THEN 0 WHEN ${purchase} THEN 1 ELSE 2 END END) AS link_key`;
  const text = passAggregates("type = 'view'", "type = 'search'", "type = 'add_to_cart'", "type = 'login'", "type = 'purchase'", 'anonymous_id', 'customer_id');
  const coded = (a: string, c: string) => passAggregates('type_code = 1', 'type_code = 2', 'type_code = 3', 'type_code = 4', 'type_code = 5', a, c);
  written['rollup regrouped'] = await timedCpu(() =>
    warehouse.execute(`CREATE TABLE session_days AS
      SELECT session_id, CAST(ts AS DATE) AS day, count(*) AS events, count(anonymous_id) AS visitor_events, count(customer_id) AS customer_events, min(ts) AS start_ts, max(ts) AS end_ts,
        count(*) FILTER (WHERE type = 'view') AS views, count(*) FILTER (WHERE type = 'search') AS searches, count(*) FILTER (WHERE type = 'add_to_cart') AS cart_adds,
        max(CASE WHEN type = 'view' THEN epoch_us(ts) * 2 + 1 WHEN type = 'search' THEN epoch_us(ts) * 2 END) AS last_view_or_search,
        min(anonymous_id) AS anonymous_id, max(anonymous_id) AS anonymous_id_max, min(customer_id) AS customer_id, max(customer_id) AS customer_id_max,
        min(CASE WHEN anonymous_id IS NOT NULL AND customer_id IS NOT NULL THEN epoch_us(ts) * 4 + CASE type WHEN 'login' THEN 0 WHEN 'purchase' THEN 1 ELSE 2 END END) AS link_key
      FROM events WHERE session_id IS NOT NULL GROUP BY session_id, day`),
  );
  written['rollup direct'] = written['rollup regrouped']! + (await timedCpu(() => warehouse.execute('CREATE TABLE session_days_whole AS SELECT *, count(*) OVER (PARTITION BY session_id) = 1 AS whole FROM session_days')));
  const [{ n: sessionDays } = { n: 0 }] = await warehouse.query('SELECT count(*) AS n FROM session_days');
  const statements: Record<string, string> = {
    bare: 'CREATE OR REPLACE TEMP TABLE clv_bare AS SELECT session_id, count(*) AS n, min(ts) AS first_ts, max(ts) AS last_ts FROM events GROUP BY session_id',
    'pass (text, as now)': `CREATE OR REPLACE TEMP TABLE clv_form AS SELECT session_id, ${text} FROM events WHERE session_id IS NOT NULL AND ts <= ${end} GROUP BY session_id`,
    code: `CREATE OR REPLACE TEMP TABLE clv_form AS SELECT session_id, ${coded('anonymous_id', 'customer_id')} FROM ev_code WHERE session_id IS NOT NULL AND ts <= ${end} GROUP BY session_id`,
    'int ids': `CREATE OR REPLACE TEMP TABLE clv_form AS SELECT session_id, ${coded('anonymous_k', 'customer_k')} FROM ev_int WHERE session_id IS NOT NULL AND ts <= ${end} GROUP BY session_id`,
    'rollup regrouped': `CREATE OR REPLACE TEMP TABLE clv_form AS SELECT session_id, sum(events) AS events, sum(visitor_events) AS visitor_events, sum(customer_events) AS customer_events,
      min(start_ts) AS start_ts, max(end_ts) AS end_ts, sum(views) AS views, sum(searches) AS searches, sum(cart_adds) AS cart_adds, max(last_view_or_search) AS last_view_or_search,
      min(anonymous_id) AS anonymous_id, max(anonymous_id_max) AS anonymous_id_max, min(customer_id) AS customer_id, max(customer_id_max) AS customer_id_max, min(link_key) AS link_key
      FROM session_days WHERE day <= DATE '${asOf}' GROUP BY session_id`,
    'rollup direct': `CREATE OR REPLACE TEMP TABLE clv_form AS SELECT * EXCLUDE (whole, day) FROM session_days_whole WHERE whole AND day <= DATE '${asOf}'`,
  };
  const runs: Record<string, number[]> = {};
  const record = (label: string, cpu: number) => (runs[label] ??= []).push(cpu);
  // the builder's pass, timed within its run
  const passTimed: Warehouse = {
    dialect: warehouse.dialect,
    location: warehouse.location,
    execute: async (sql) => {
      const cpu = await timedCpu(() => warehouse.execute(sql));
      if (/TEMP TABLE clv_session_heads AS/.test(sql)) record('scope: its pass', cpu);
    },
    query: (sql) => warehouse.query(sql),
    queryColumns: (sql) => warehouse.queryColumns(sql),
    stream: (sql, onRows) => warehouse.stream(sql, onRows),
    append: (table, columns) => warehouse.append(table, columns),
    exportCsv: (sql, path) => warehouse.exportCsv(sql, path),
    transaction: (work) => warehouse.transaction(work),
    close: () => warehouse.close(),
  };
  for (let round = 0; round < rounds; round++) {
    for (const [label, sql] of Object.entries(statements)) record(label, await timedCpu(() => warehouse.execute(sql)));
    record('scope (stitching + sessions + funnels)', await timedCpu(async () => {
      await buildEventSessions(passTimed, { asOf });
      await computeFunnels(passTimed);
    }));
    record('scope − its pass', runs['scope (stitching + sessions + funnels)']!.at(-1)! - runs['scope: its pass']!.at(-1)!);
  }
  const min = (values: readonly number[]) => Math.min(...values);
  const median = (values: readonly number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
  const bare = runs.bare!;
  const line = (label: string, values: readonly number[], note = '') =>
    `${label.padEnd(40)} CPU min ${min(values).toFixed(3).padStart(7)} s (×${(min(values) / min(bare)).toFixed(2)})  median ${median(values).toFixed(3).padStart(7)} s (×${(median(values) / median(bare)).toFixed(2)})${note}`;
  process.stdout.write(`${events.toLocaleString('en-US')} events, ${Number(sessionDays).toLocaleString('en-US')} session-days; ${rounds} rounds alternated in one process\n`);
  for (const [label, values] of Object.entries(runs)) {
    const writtenNote = written[label] === undefined ? '' : `  (written once: ${written[label]!.toFixed(3)} CPU-s)`;
    process.stdout.write(`${line(label, values, writtenNote)}\n`);
  }
  // the scope less what the form saves against the same-shaped statement on the text columns, round by round
  const scope = runs['scope (stitching + sessions + funnels)']!;
  const textPass = runs['pass (text, as now)']!;
  for (const form of ['code', 'int ids', 'rollup regrouped', 'rollup direct']) {
    const estimate = scope.map((s, i) => s - (textPass[i]! - runs[form]![i]!));
    process.stdout.write(`${line(`estimate: scope with ${form}`, estimate)}\n`);
  }
  process.stdout.write(`${line('floor: the scope with no pass at all', runs['scope − its pass']!)}\n`);
} finally {
  await warehouse.close();
}
