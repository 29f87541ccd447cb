/**
 * An event or profile file none of whose rows could be accepted is refused as a transaction file is: one line naming
 * the reasons, exit 2, nothing recorded. A QA pass (session 34, finding 3) saw `clvkit ingest noid-events.csv` record
 * 3 rows read, 0 accepted, exit 0 (also all-future events, profiles without ids, and a GA4 export read with a wrong
 * --date-format: 116,856 read, 0 accepted, listed by `ingests list`), and `analyze --events` then drop the events step
 * without a word. Also: a --date-format without any % code (`epoch_ns`) passed the format check, every date then
 * quarantined as bad_date.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { FIXTURES, scratchDir, writeLines } from '../helpers/warehouse.js';

const SHOP = `${FIXTURES}shop/tiny-shop.csv`;

/** the `clvkit: error:` lines of stderr */
const errors = (stderr: string) => stderr.split('\n').filter((line) => line.includes('error:'));

describe('an event or profile file with no row that could be accepted', () => {
  it('events without any id: refused in one line naming the reason and the --map that fixes it, exit 2, the new warehouse removed', async () => {
    const dir = scratchDir();
    const events = writeLines(dir, 'noid-events.csv', ['session_id,anonymous_id,ts,type', ',,2023-01-01T10:00:00,view', ',,2023-01-01T10:01:00,view', ',,2023-01-01T10:02:00,add_to_cart']);
    const db = join(dir, 'z.duckdb');
    const run = await cli(['ingest', events, '--db', db]);
    expect(errors(run.stderr)).toEqual([
      'clvkit: error: no row of noid-events.csv could be accepted (3 missing_customer_id): nothing was recorded (hint: every row read has no customer, visitor or session id (columns read: anonymous_id, session_id): pass --map customer_id=<the column of the ids> (or anonymous_id=, session_id=), then ingest the file again)',
    ]);
    expect(run.code).toBe(2);
    expect(existsSync(db)).toBe(false);
  });

  it('events all in the future, and profiles without customer ids: refused the same way', async () => {
    const dir = scratchDir();
    const future = writeLines(dir, 'fut-events.csv', ['session_id,anonymous_id,ts,type', 'S1,a1,2035-01-01T10:00:00,view', 'S1,a1,2035-01-01T10:01:00,view']);
    const profiles = writeLines(dir, 'noid-cust.csv', ['customer_id,signup_date,acquisition_channel', ',2023-01-01,email', ',2023-01-02,organic']);
    const db = join(dir, 'w.duckdb');
    const a = await cli(['ingest', future, '--db', db]);
    expect(errors(a.stderr)).toEqual([
      'clvkit: error: no row of fut-events.csv could be accepted (2 future_date): nothing was recorded (hint: every date is after the time of ingest: check --date-format (day and month swapped?), then ingest the file again)',
    ]);
    expect(a.code).toBe(2);
    const b = await cli(['ingest', profiles, '--kind', 'customers', '--db', db]);
    expect(errors(b.stderr)).toEqual([
      'clvkit: error: no row of noid-cust.csv could be accepted (2 missing_customer_id): nothing was recorded (hint: every row read has an empty customer id in column customer_id: pass --map customer_id=<the column of the ids>, then ingest the file again)',
    ]);
    expect(b.code).toBe(2);
    expect(existsSync(db)).toBe(false);
  });

  it('events whose dates the --date-format given does not read: the hint is about the dates, whatever else', async () => {
    const dir = scratchDir();
    const events = writeLines(dir, 'days.csv', ['session_id,user_pseudo_id,event_timestamp,event_name', 'S1,a1,2023-01-01T10:00:00,view', 'S1,a1,2023-01-01T10:01:00,view']);
    const run = await cli(['ingest', events, '--kind', 'events', '--date-format', '%d/%m/%Y', '--db', join(dir, 'd.duckdb')]);
    expect(errors(run.stderr)).toEqual([
      'clvkit: error: no row of days.csv could be accepted (2 bad_date): nothing was recorded (hint: no date could be read with the format %d/%m/%Y: check --date-format, then ingest the file again)',
    ]);
    expect(run.code).toBe(2);
  });

  it('analyze with such an --events or --customers file is refused too (it went on without events, exit 0)', async () => {
    const dir = scratchDir();
    const events = writeLines(dir, 'noid-events.csv', ['session_id,anonymous_id,ts,type', ',,2023-01-01T10:00:00,view']);
    const profiles = writeLines(dir, 'noid-cust.csv', ['customer_id,signup_date,acquisition_channel', ',2023-01-01,email']);
    const withEvents = await cli(['analyze', SHOP, '--events', events, '--out', join(dir, 'out1'), '--quiet']);
    expect(errors(withEvents.stderr)).toEqual([expect.stringMatching(/^clvkit: error: no row of noid-events\.csv could be accepted \(1 missing_customer_id\): nothing was recorded \(hint: /)]);
    expect(withEvents.code).toBe(2);
    const withProfiles = await cli(['analyze', SHOP, '--customers', profiles, '--out', join(dir, 'out2'), '--quiet']);
    expect(errors(withProfiles.stderr)).toEqual([expect.stringMatching(/^clvkit: error: no row of noid-cust\.csv could be accepted \(1 missing_customer_id\): nothing was recorded \(hint: /)]);
    expect(withProfiles.code).toBe(2);
  });

  it('a file whose rows are all copies of rows held is no reading mistake: recorded, exit 0', async () => {
    const dir = scratchDir();
    const db = join(dir, 'e.duckdb');
    const rows = ['session_id,anonymous_id,ts,type', 'S1,a1,2023-01-01T10:00:00,view'];
    expect((await cli(['ingest', writeLines(dir, 'a.csv', rows), '--db', db])).code).toBe(0);
    // another file (another content: the row twice), every row a copy of the one held
    const again = await cli(['ingest', writeLines(dir, 'b.csv', [...rows, rows[1]!]), '--db', db, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ rowsRead: 2, accepted: 0, rules: { duplicate: 2 } });
  });
});

describe('a --date-format without a % code', () => {
  it('is refused before anything is read, with the formats that are accepted', async () => {
    const dir = scratchDir();
    const events = writeLines(dir, 'ev.csv', ['session_id,anonymous_id,ts,type', 'S1,a1,1672567200000000000,view']);
    const run = await cli(['ingest', events, '--date-format', 'epoch_ns', '--db', join(dir, 'n.duckdb')]);
    expect(errors(run.stderr)).toEqual([expect.stringMatching(/^clvkit: error: --date-format epoch_ns is not a valid date format \(hint: use strptime codes, e\.g\. '%d\/%m\/%Y %H:%M', or iso, epoch_s, epoch_ms, epoch_us\)$/)]);
    expect(run.code).toBe(2);
  });
});

// QA finding 14: `no date format fits column 'event_timestamp'` did not say of which file (an analyze reads several)
describe('a date column no format fits', () => {
  it.each([
    ['events', 'clicks.csv', ['session_id,anonymous_id,ts,type', 'S1,a1,31.13.2023,view']],
    ['customers', 'people.csv', ['customer_id,signup_date', 'C1,31.13.2023']],
    ['transactions', 'orders.csv', ['customer_id,date,amount', 'C1,31.13.2023,10']],
  ])('of %s: the error names the file and shows a value', async (kind, name, rows) => {
    const dir = scratchDir();
    const run = await cli(['ingest', writeLines(dir, name, rows), '--kind', kind, '--db', join(dir, 'x.duckdb')]);
    const column = kind === 'events' ? 'ts' : kind === 'customers' ? 'signup_date' : 'date';
    expect(errors(run.stderr)).toEqual([expect.stringContaining(`clvkit: error: no date format fits column '${column}' of ${name} (e.g. "31.13.2023") (hint: pass --date-format`)]);
    expect(run.code).toBe(2);
  });
});
