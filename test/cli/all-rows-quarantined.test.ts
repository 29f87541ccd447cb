/**
 * A file none of whose rows could be accepted is refused at the ingest, before anything is recorded, naming the
 * reasons: a QA trial of two rows with empty customer ids was recorded with every row quarantined, and analyze then
 * said "the warehouse holds no purchases to analyse (hint: ingest a transaction file first…)" — of a file it had just
 * ingested — and left the new --db warehouse and its key file behind, where the all-bad-date file (refused at the
 * ingest) removed them. Every reason now gets the precise line, and the fresh warehouse goes in both cases.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir, writeLines } from '../helpers/warehouse.js';

function file(dir: string, name: string, rows: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `customer_id,date,amount\n${rows.join('\n')}\n`);
  return path;
}

/** the `clvkit: error:` lines of stderr */
const errors = (stderr: string) => stderr.split('\n').filter((line) => line.includes('error:'));

describe('a file with no row that could be accepted', () => {
  it('empty customer ids: analyze refuses it naming the reason, exit 2, and removes the new --db warehouse and key file', async () => {
    const dir = scratchDir();
    const path = file(dir, 'no-ids.csv', [',2023-01-01,10', ',2023-01-02,20']);
    const db = join(dir, 'new.duckdb');
    const run = await cli(['analyze', path, '--db', db, '--out', join(dir, 'out'), '--quiet']);
    expect(errors(run.stderr)).toEqual([
      'clvkit: error: no row of no-ids.csv could be accepted (2 missing_customer_id): nothing was recorded (hint: every row read has an empty customer id in column customer_id: pass --map customer_id=<the column of the ids>, then ingest the file again)',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`nothing was ingested: removed the new warehouse ${db} and its key file again`);
    expect([existsSync(db), existsSync(`${db}.key`)]).toEqual([false, false]);
  });

  it('the all-bad-date file leaves nothing behind the same way (as before)', async () => {
    const dir = scratchDir();
    const path = file(dir, 'dates.csv', ['C1,2023-01-01,10', 'C2,2023-01-02,20']);
    const db = join(dir, 'new.duckdb');
    const run = await cli(['analyze', path, '--db', db, '--date-format', '%d.%m.%Y', '--out', join(dir, 'out'), '--quiet']);
    expect(errors(run.stderr)).toEqual([
      'clvkit: error: no row of dates.csv could be accepted (2 bad_date): nothing was recorded (hint: no date could be read with the format %d.%m.%Y: check --date-format, then ingest the file again)',
    ]);
    expect(run.code).toBe(2);
    expect([existsSync(db), existsSync(`${db}.key`)]).toEqual([false, false]);
  });

  it('every date in the future, and reasons mixed: each reason is counted in the line', async () => {
    const dir = scratchDir();
    const future = await cli(['ingest', file(dir, 'future.csv', ['C1,2099-01-01,10', 'C2,2099-01-02,20', ',2099-01-03,5']), '--db', join(dir, 'a.duckdb'), '--json']);
    expect(errors(future.stderr)).toEqual([
      'clvkit: error: no row of future.csv could be accepted (2 future_date, 1 missing_customer_id): nothing was recorded (hint: every date is after the time of ingest: check --date-format (day and month swapped?), then ingest the file again)',
    ]);
    expect(future.code).toBe(2);
  });

  // review: a day's export of postage lines only (or free samples) is a legitimate file of a daily batch, not a wrong
  // reading option: recorded with its rows quarantined, as before, not a refusal that stops the batch
  it('postage or zero-price lines only: recorded, every row quarantined with its reason, exit 0', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    const orders = writeLines(dir, 'day1.csv', ['customer_id,date,product_id,quantity,unit_price', 'C1,2023-01-01,A1,1,10', 'C2,2023-01-02,A2,2,5']);
    const postage = writeLines(dir, 'day2.csv', ['customer_id,date,product_id,quantity,unit_price', 'C1,2023-01-03,POST,1,18', 'C2,2023-01-03,POST,1,18', 'C3,2023-01-03,A1,1,0']);
    const run = await cli(['ingest', orders, postage, '--db', db, '--json']);
    expect(errors(run.stderr)).toEqual([]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.files.map((f: { rowsRead: number; accepted: number; quarantined: number }) => [f.rowsRead, f.accepted, f.quarantined])).toEqual([[2, 2, 0], [3, 0, 3]]);
    expect(report.rules).toMatchObject({ non_product: 2, nonpositive_price: 1 });
  });
});
