/**
 * A user trial (session 42): a file of order times on a 12-hour clock was refused ("no date format fits") unless the
 * user wrote --date-format with %I and %p. It is now read as it is, without --date-format: every row at its 24-hour
 * time (12 AM midnight, 12 PM noon, am/pm in any case), the rows no 12-hour reading fits (13 PM, 0 AM, a 32nd day)
 * quarantined as bad_date with their date shown, and read + accepted + quarantined adding up. A ClickHouse cluster
 * (which reads files in a private DuckDB and stores what it read) holds the same times and the same quarantine.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { cli, useFixedKey } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseFlags, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';

const AM_PM_ORDERS = [
  'order_id,customer_id,date,amount',
  'o1,A,12/1/2010 8:26 AM,5',
  'o2,A,12/1/2010 8:26 PM,6',
  'o3,B,12/13/2010 12:05 AM,7',
  'o4,B,12/13/2010 12:05 PM,8',
  'o5,C,12/14/2010 11:59 pm,9',
  'o6,C,12/15/2010 13:26 PM,10',
  'o7,D,12/16/2010 0:26 AM,11',
  'o8,D,12/32/2010 8:26 AM,12',
];
/** The accepted rows at their 24-hour times, and the quarantined ones (line, reason). */
const STORED = ['o1 2010-12-01 08:26:00', 'o2 2010-12-01 20:26:00', 'o3 2010-12-13 00:05:00', 'o4 2010-12-13 12:05:00', 'o5 2010-12-14 23:59:00'];
const QUARANTINED = ['7 bad_date', '8 bad_date', '9 bad_date'];

function writeOrders(): string {
  const file = join(scratchDir(), 'orders.csv');
  writeFileSync(file, AM_PM_ORDERS.join('\n') + '\n');
  return file;
}

/** What `clvkit ingest --json` reported of the file: its date formats and counts. */
function reported(stdout: string) {
  const file = (JSON.parse(stdout) as { files: { dateFormats: string[]; rowsRead: number; accepted: number; quarantined: number; rules: Record<string, number> }[] }).files[0]!;
  return { dateFormats: file.dateFormats, rowsRead: file.rowsRead, accepted: file.accepted, quarantined: file.quarantined, badDates: file.rules.bad_date };
}
const REPORTED = { dateFormats: ['%m/%d/%Y %I:%M %p'], rowsRead: 8, accepted: 5, quarantined: 3, badDates: 3 };

describe('a file of 12-hour AM/PM times is ingested without --date-format', () => {
  useFixedKey(42);

  it('every row at its 24-hour time, the unreadable ones quarantined as bad_date, the counts adding up', async () => {
    const file = writeOrders();
    const db = join(scratchDir(), 'w.duckdb');
    const ingest = await cli(['ingest', file, '--db', db, '--json', '--quiet']);
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(reported(ingest.stdout)).toEqual(REPORTED);
    const warehouse = await openDuckDbWarehouse(db);
    try {
      const rows = await warehouse.query(`SELECT order_id, strftime(ts, '%Y-%m-%d %H:%M:%S') AS t FROM transactions ORDER BY order_id`);
      expect(rows.map((r) => `${r.order_id} ${r.t}`)).toEqual(STORED);
      const quarantine = await warehouse.query('SELECT line, reason FROM quarantine ORDER BY line');
      expect(quarantine.map((r) => `${r.line} ${r.reason}`)).toEqual(QUARANTINED);
    } finally {
      await warehouse.close();
    }
    // the report shows the dates read and the quarantined dates as written
    const text = await cli(['ingest', file, '--db', join(scratchDir(), 'v.duckdb'), '--quiet']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('dates: %m/%d/%Y %I:%M %p');
  }, 60_000);
});

describe.skipIf(!CLICKHOUSE_URL)(`12-hour AM/PM times on a ClickHouse cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse;
  useFixedKey(42);
  beforeAll(async () => {
    cluster = await clickhouseWarehouse('am_pm_dates');
  }, 60_000);
  afterAll(() => dropScratchDatabase(cluster));

  it('the same formats, times, quarantine and counts as on DuckDB', async () => {
    const ingest = await cli(['ingest', writeOrders(), ...clickhouseFlags(cluster.database), '--json', '--quiet']);
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(reported(ingest.stdout)).toEqual(REPORTED);
    const rows = await cluster.query('SELECT order_id, substring(toString(ts), 1, 19) AS t FROM transactions ORDER BY order_id');
    expect(rows.map((r) => `${r.order_id} ${r.t}`)).toEqual(STORED);
    const quarantine = await cluster.query('SELECT line, reason FROM quarantine ORDER BY line');
    expect(quarantine.map((r) => `${r.line} ${r.reason}`)).toEqual(QUARANTINED);
  }, 120_000);
});
