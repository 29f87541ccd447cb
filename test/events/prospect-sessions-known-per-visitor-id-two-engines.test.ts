/**
 * Issue 16 (prospects): a training row at a cutoff counts the sessions known as the person's then. A person with
 * several visitor ids (devices) had, at a cutoff before the last of them was linked, none of their stitched
 * sessions counted: one `links_ts` per person (when the last of their visitor ids was linked) held back the
 * sessions of every id, those of ids linked long before the cutoff included — a row counted only the sessions
 * carrying the person's own id.
 *
 * Now a stitched session counts once the visitor id that stitched it was linked (`linked_ts` of the session): here
 * c_M (a profile from before the events) browses on device A — anonymously on 2023-02-01, a login (the link of A) on
 * 2023-03-01, anonymously on 2023-04-01 and 2023-06-25 — and on device B — anonymously on 2023-05-01 and
 * 2023-06-20, a login (the link of B) only on 2023-09-01. At the cutoff 2023-06-30 A's four sessions count (its
 * anonymous ones before its link too: stitching gives a linked id's earlier events to the customer), B's two do
 * not; before A's link nothing stitched counts; after B's link all seven. The same rows on both engines.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { daysBetween } from '../../src/core/calendar-days.js';
import { buildEventSessions } from '../../src/events/build-event-sessions.js';
import { buildEventSessionsOnClickHouse } from '../../src/events/clickhouse-event-sessions.js';
import { clickhouseProspectSql } from '../../src/events/clickhouse-prospects.js';
import { duckdbProspectSql, type ProspectSql } from '../../src/events/score-prospects.js';
import type { Row, Warehouse } from '../../src/engine/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, expectSameRows, useTwoEngines } from '../helpers/clickhouse.js';
import { withMemoryWarehouse } from '../helpers/warehouse.js';

const AS_OF = '2023-12-31';
const CUTOFFS = ['2023-02-15', '2023-06-30', '2023-10-01'];
const HORIZON = 60;

/** [visitor, own customer id or null, session, time, type] */
const EVENTS: readonly (readonly [string, string | null, string, string, string])[] = [
  ['a_MA', null, 'SA1', '2023-02-01 10:00:00', 'view'],
  ['a_MA', 'c_M', 'SA2', '2023-03-01 10:00:00', 'login'],
  ['a_MA', null, 'SA3', '2023-04-01 10:00:00', 'view'],
  ['a_MA', null, 'SA4', '2023-06-25 10:00:00', 'view'],
  ['a_MB', null, 'SB1', '2023-05-01 10:00:00', 'view'],
  ['a_MB', null, 'SB2', '2023-06-20 10:00:00', 'add_to_cart'],
  ['a_MB', 'c_M', 'SB3', '2023-09-01 10:00:00', 'login'],
];

async function fill(warehouse: Warehouse): Promise<void> {
  const values = EVENTS.map(([visitor, customer, session, ts, type], i) =>
    `(${customer === null ? 'NULL' : `'${customer}'`}, '${visitor}', '${session}', TIMESTAMP '${ts}', '${type}', 1, 'e.csv', ${i + 1}, 'h${i}')`);
  await warehouse.execute(`INSERT INTO events (customer_id, anonymous_id, session_id, ts, type, ingest_id, source, source_line, row_hash) VALUES ${values.join(', ')}`);
  await warehouse.execute(`INSERT INTO customers (customer_id, signup_ts, acquisition_channel, write_seq) VALUES ('c_M', TIMESTAMP '2022-12-01 09:00:00', 'search', 1)`);
}

/** c_M's feature rows at the cutoffs (after the sessions are built), ordered by cutoff. */
async function featureRows(warehouse: Warehouse, sql: ProspectSql): Promise<Row[]> {
  await sql.writePeople(warehouse, warehouse.dialect.timestamp(`${AS_OF}T23:59:59`));
  const cutoff = warehouse.dialect.name === 'duckdb' ? 'CAST(cutoff AS VARCHAR)' : 'toString(cutoff)';
  return warehouse.query(`SELECT customer_id, ${cutoff} AS cutoff, sessions, sessions_30d, cart_adds_30d, days_since_first_session, days_since_last_session
    FROM (${sql.features(CUTOFFS, HORIZON)}) f ORDER BY customer_id, cutoff`);
}

const plain = (rows: readonly Row[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' || (typeof v === 'string' && k !== 'customer_id' && k !== 'cutoff') ? Number(v) : v])));

describe('a prospect’s sessions at a cutoff: those of each visitor id linked before it', () => {
  let rows: Row[];
  beforeAll(async () => {
    await withMemoryWarehouse(async (warehouse) => {
      await fill(warehouse);
      await buildEventSessions(warehouse, { asOf: AS_OF });
      rows = await featureRows(warehouse, duckdbProspectSql);
    });
  });

  it('counts the sessions of the visitor id linked before the cutoff, not those of the one linked after it', () => {
    expect(plain(rows)).toEqual([
      // before A's link: only sessions carrying c_M's own id, none yet
      { customer_id: 'c_M', cutoff: '2023-02-15', sessions: 0, sessions_30d: 0, cart_adds_30d: 0, days_since_first_session: null, days_since_last_session: null },
      // A linked on 2023-03-01: SA1 (anonymous, before the link), SA2, SA3, SA4; B (linked 2023-09-01) not: its cart add on 2023-06-20 neither
      {
        customer_id: 'c_M', cutoff: '2023-06-30', sessions: 4, sessions_30d: 1, cart_adds_30d: 0,
        days_since_first_session: daysBetween('2023-02-01', '2023-06-30'), days_since_last_session: daysBetween('2023-06-25', '2023-06-30'),
      },
      // both linked: all seven
      {
        customer_id: 'c_M', cutoff: '2023-10-01', sessions: 7, sessions_30d: 0, cart_adds_30d: 0,
        days_since_first_session: daysBetween('2023-02-01', '2023-10-01'), days_since_last_session: daysBetween('2023-09-01', '2023-10-01'),
      },
    ]);
  });
});

describe.skipIf(!CLICKHOUSE_URL)(`a prospect’s sessions per visitor id on a cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const engines = useTwoEngines('prospect_sessions_per_visitor', { fill, copy: ['transactions', 'customers', 'events'], threads: 1 });
  it('are the same rows as on DuckDB', async () => {
    await buildEventSessions(engines.duck, { asOf: AS_OF });
    await buildEventSessionsOnClickHouse(engines.clickhouse, { asOf: AS_OF });
    const [d, c] = [await featureRows(engines.duck, duckdbProspectSql), await featureRows(engines.clickhouse, clickhouseProspectSql)];
    expect(plain(d).map((r) => r.sessions)).toEqual([0, 4, 7]);
    expectSameRows(d, c, ['customer_id', 'cutoff']);
  }, 120_000);
});
