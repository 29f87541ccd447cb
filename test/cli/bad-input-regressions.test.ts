/**
 * Regression tests from a black-box review of the CLI: each input below once
 * crashed with an internal error, was accepted silently, or left files behind.
 * The promise: one line `clvkit: error: … (hint: …)`, exit code 2, nothing changed.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

const SHOP = `${FIXTURES}shop/tiny-shop.csv`;

/** exit 2, exactly one line on stderr, matching `pattern`, with a hint. */
async function refused(args: string[], pattern: RegExp): Promise<void> {
  const run = await cli(args);
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr).toMatch(/^clvkit: error: .+ \(hint: .+\)\n$/);
  expect(run.stderr).toMatch(pattern);
}

function write(dir: string, name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('bad input is one line and exit 2, never an internal error', () => {
  it('segments and cohorts on data where every row was quarantined', async () => {
    const dir = scratchDir();
    const noIds = write(dir, 'no-ids.csv', ['customer_id,date,amount', ',2023-01-01,5', ',2023-01-02,6']);
    // refused at the ingest, naming the reason (was "the warehouse holds no purchases to analyse": test/cli/all-rows-quarantined.test.ts)
    const reason = /no row of no-ids\.csv could be accepted \(2 missing_customer_id\): nothing was recorded/;
    await refused(['segments', noIds], reason);
    await refused(['cohorts', noIds], reason);
    await refused(['lifecycle', noIds], reason);
  });

  it('analyze --demo with a transaction file is refused: it ingested both into one run without a word', async () => {
    await refused(['analyze', '--demo', SHOP, '--quiet', '--skip-report'], /--demo and a transaction file/);
  });

  it('analyze --out naming an existing file', async () => {
    const dir = scratchDir();
    const file = write(dir, 'existing.txt', ['x']);
    await refused(['analyze', SHOP, '--out', file, '--quiet'], /existing\.txt is a file, not a folder/);
  });

  it('an invalid --date-format', async () => {
    const dir = scratchDir();
    await refused(['summarize', SHOP, '--as-of', '2023-06-30', '--time-unit', 'day', '--out', join(dir, 's.csv'), '--date-format', '%Q'], /--date-format %Q is not a valid date format/);
  });

  it('recommend --evaluate that is not a date', async () => {
    await refused(['recommend', SHOP, '--customer', 'A', '--evaluate', 'garbage'], /--evaluate/);
  });

  it('fit on a file without any summary column', async () => {
    const dir = scratchDir();
    await refused(['fit', write(dir, 'ab.csv', ['a,b', '1,2']), '--model', 'bgnbd'], /has no frequency column \(columns found: a, b\)/);
  });

  it('--db naming a file that is not a DuckDB warehouse: refused, the file untouched', async () => {
    const dir = scratchDir();
    const csv = write(dir, 'orders.csv', ['customer_id,date,amount', 'A,2023-01-01,5']);
    await refused(['ingest', SHOP, '--db', csv], /orders\.csv is not a clvkit warehouse \(DuckDB file\)/);
    expect(existsSync(`${csv}.key`)).toBe(false);
  });

  it('a role mapped twice', async () => {
    await refused(['ingest', SHOP, '--db', join(scratchDir(), 'wh.duckdb'), '--map', 'customer_id=customer_id', '--map', 'customer_id=order_id'], /--map customer_id is given twice/);
  });

  it('commands that only read do not create a warehouse for a mistyped --db', async () => {
    const dir = scratchDir();
    const missing = join(dir, 'typo.duckdb');
    await refused(['analyze', '--db', missing, '--out', join(dir, 'out')], /no warehouse .*typo\.duckdb/);
    await refused(['audit', 'verify', '--db', missing, '--role', 'admin'], /no warehouse .*typo\.duckdb/);
    await refused(['segments', '--db', missing], /no warehouse .*typo\.duckdb/);
    expect(existsSync(missing)).toBe(false);
  });

  it('ingest of a missing file creates no warehouse and no key', async () => {
    const dir = scratchDir();
    const db = join(dir, 'new.duckdb');
    await refused(['ingest', join(dir, 'nope.csv'), '--db', db], /nope\.csv/);
    expect(existsSync(db)).toBe(false);
    expect(existsSync(`${db}.key`)).toBe(false);
  });

  it('flags that contradict each other are refused, not settled silently by whichever came last', async () => {
    const dir = scratchDir();
    await refused(['ingest', SHOP, '--db', join(dir, 'wh.duckdb'), '--header', '--no-header'], /--header and --no-header both given/);
    expect(existsSync(join(dir, 'wh.duckdb'))).toBe(false);
    await refused(['recommend', SHOP, '--customer', 'A', '--all'], /--customer and --all both given/);
  });

  it('a file and --db together are refused: the file would be read and the warehouse ignored', async () => {
    const dir = scratchDir();
    const db = join(dir, 'wh.duckdb');
    expect((await cli(['ingest', SHOP, '--db', db])).code).toBe(0);
    for (const command of ['segments', 'cohorts', 'rules', 'sequences']) {
      const args = command === 'rules' || command === 'sequences' ? ['--min-support', '0.1'] : [];
      if (command === 'rules') args.push('--min-confidence', '0.1');
      await refused([command, SHOP, '--db', db, ...args], new RegExp(`both a file \\(.*tiny-shop\\.csv\\) and --db given.*clvkit ${command} `));
    }
  });

  it('no input: the hint names the command that was run', async () => {
    await refused(['segments'], /hint: e\.g\. clvkit segments orders\.csv, or clvkit segments --db shop\.duckdb/);
    await refused(['customer', '12347', '--alive-path'], /hint: e\.g\. clvkit customer <id> orders\.csv/);
  });

  it('an --as-of before the first purchase is refused, not answered with tables of zeros', async () => {
    for (const command of ['segments', 'lifecycle', 'cohorts']) {
      await refused([command, SHOP, '--as-of', '2000-01-01'], /no purchase on or before 2000-01-01: the data starts on 2023-01-\d\d/);
    }
  });

  it('validate with a --calibration-end on or after the last purchase names the data, not a --holdout-end never given', async () => {
    await refused(['validate', SHOP, '--calibration-end', '2024-06-30', '--time-unit', 'week'], /--calibration-end 2024-06-30 leaves no holdout: the last purchase is on 2023-\d\d-\d\d \(hint: pass a --calibration-end before 2023-/);
  });

  // a user trial: on a shop whose purchases all fall on one day, the hint asked for a calibration end before that day,
  // which then left no customer in the calibration window
  it('validate on data of one purchase day says there is nothing to split, not to move the calibration end', async () => {
    const dir = scratchDir();
    const path = join(dir, 'one-day.csv');
    writeFileSync(path, ['customer_id,date,amount', ...Array.from({ length: 60 }, (_, i) => `c${i},2022-01-01,${i + 1}`)].join('\n') + '\n');
    for (const end of ['2022-01-01', '2021-12-31']) {
      await refused(['validate', path, '--calibration-end', end], /every purchase is on 2022-01-01: there is no history to split into a calibration window and a holdout \(hint: validate needs purchases on more days than one/);
    }
  });

  it('summarize with an --as-of or --calibration-end before the first purchase is refused as segments are, not a file of 0 customers', async () => {
    const dir = scratchDir();
    const out = join(dir, 's.csv');
    await refused(['summarize', SHOP, '--as-of', '2000-01-01', '--time-unit', 'day', '--out', out], /no purchase on or before 2000-01-01: the data starts on 2023-01-\d\d/);
    await refused(['summarize', SHOP, '--calibration-end', '2000-01-01', '--holdout-end', '2000-06-30', '--time-unit', 'day', '--out', out], /no purchase on or before 2000-01-01/);
    expect(existsSync(out)).toBe(false);
  });

  it('a --delimiter longer than the reader takes (4 bytes) is refused before a warehouse or key is made', async () => {
    const dir = scratchDir();
    const db = join(dir, 'wh.duckdb');
    await refused(['ingest', SHOP, '--db', db, '--delimiter', '<sep>'], /--delimiter '<sep>' is 5 bytes: the reader takes a delimiter of 1 to 4 bytes \(hint: .*','/);
    await refused(['ingest', SHOP, '--db', db, '--delimiter', ''], /--delimiter '' is empty/);
    expect(existsSync(db)).toBe(false);
    expect(existsSync(`${db}.key`)).toBe(false);
  });

  it('a --delimiter of 2 to 4 bytes reads the file with it', async () => {
    const dir = scratchDir();
    const path = write(dir, 'double.csv', ['customer_id;;date;;amount', 'A;;2023-01-01;;5', 'B;;2023-01-02;;6.5']);
    const run = await cli(['ingest', path, '--db', join(dir, 'wh.duckdb'), '--delimiter', ';;', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ rowsRead: 2, accepted: 2, quarantined: 0 });
  });

  it('a failed first ingest leaves the folder as it was: no warehouse, no key file', async () => {
    const dir = scratchDir();
    const db = join(dir, 'new.duckdb');
    const undated = write(dir, 'undated.csv', ['customer_id,date,amount', 'A,someday,5', 'B,never,6']);
    const gz = join(dir, 'broken.csv.gz');
    writeFileSync(gz, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8]));
    for (const file of [undated, gz]) {
      const run = await cli(['ingest', file, '--db', db]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/clvkit: error: .+ \(hint: .+\)\n$/);
      expect(readdirSync(dir).sort()).toEqual(['broken.csv.gz', 'undated.csv']);
    }
    // the next attempt starts afresh: one key, created now
    const ok = await cli(['ingest', SHOP, '--db', db]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/created key file/);
  });

  it('a first ingest that fails opening the warehouse (a key file that does not exist) leaves no warehouse behind', async () => {
    const dir = scratchDir();
    const run = await cli(['ingest', SHOP, '--db', join(dir, 'b.duckdb'), '--key-file', join(dir, 'nokey.key')]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/clvkit: error: key file .*nokey\.key does not exist/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a failed first ingest with the user\'s own --key-file removes the new warehouse, keeps the key, and says so', async () => {
    const dir = scratchDir();
    const key = join(dir, 'mine.key');
    expect((await cli(['keys', 'init', '--key-file', key])).code).toBe(0);
    const undated = write(dir, 'undated.csv', ['customer_id,date,amount', 'A,someday,5']);
    const run = await cli(['ingest', undated, '--db', join(dir, 'new.duckdb'), '--key-file', key]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/clvkit: nothing was ingested: removed the new warehouse .*new\.duckdb again \(the key file .*mine\.key is kept\)\n/);
    expect(readdirSync(dir).sort()).toEqual(['mine.key', 'undated.csv']);
  });

  it('a failed first ingest with --json says too that the key file it announced was removed again', async () => {
    // ingest /work/shared/data/donations/donations.csv --db d.duckdb --json: stderr said 'created key file d.duckdb.key …;
    // keep a backup of it', then the error; the key file was gone and nothing said so (without --json a note did)
    const dir = scratchDir();
    const undated = write(dir, 'undated.csv', ['customer_id,date,amount', 'A,someday,5']);
    const run = await cli(['ingest', undated, '--db', join(dir, 'new.duckdb'), '--json']);
    expect(run.code, run.stderr).toBe(2);
    // stdout: the report of what was stored — nothing — and where it stopped (ingest-json-stopped-at-a-file.test.ts)
    const report = JSON.parse(run.stdout);
    expect([report.files, report.stopped.file, report.stopped.notRead]).toEqual([[], undated, []]);
    expect(run.stderr).toMatch(/created key file .*new\.duckdb\.key/);
    expect(run.stderr).toMatch(/clvkit: nothing was ingested: removed the new warehouse .*new\.duckdb and its key file again\n/);
    expect(run.stderr).toMatch(/clvkit: error: .+ \(hint: .+\)\n$/);
    expect(readdirSync(dir)).toEqual(['undated.csv']);
  });

  it('a file of a header only is refused naming it, and leaves nothing behind: no new warehouse or key file, no --out folder', async () => {
    // ingest exited 0 keeping the new warehouse and key file; analyze said 'ingest a transaction file first' (one was
    // given) and left an empty --out folder (and, with a new --db, the warehouse and key file)
    const dir = scratchDir();
    const header = write(dir, 'header.csv', ['customer_id,date,amount']);
    const ingest = await cli(['ingest', header, '--db', join(dir, 'new.duckdb')]);
    expect(ingest.code, ingest.stderr).toBe(2);
    expect(ingest.stderr).toMatch(/clvkit: error: .*header\.csv has a header but no data rows.* \(hint: .+\)\n$/);
    expect(readdirSync(dir)).toEqual(['header.csv']);
    await refused(['analyze', header, '--out', join(dir, 'out'), '--quiet'], /header\.csv has a header but no data rows/);
    expect(readdirSync(dir)).toEqual(['header.csv']);
    const intoDb = await cli(['analyze', header, '--db', join(dir, 'a.duckdb'), '--out', join(dir, 'out'), '--quiet']);
    expect(intoDb.code, intoDb.stderr).toBe(2);
    expect(intoDb.stderr).toMatch(/clvkit: error: .*header\.csv has a header but no data rows/);
    expect(readdirSync(dir)).toEqual(['header.csv']);
    // an --out folder that was there before is kept
    const out = join(dir, 'mine');
    mkdirSync(out);
    await refused(['analyze', header, '--out', out, '--quiet'], /has a header but no data rows/);
    expect(existsSync(out)).toBe(true);
  });

  it('a number flag out of its range says the range, not that the number is not valid', async () => {
    // analyze --margin 2 said '--margin 2 is not a valid number': it is a number, just above 1
    await refused(['analyze', SHOP, '--margin', '2', '--quiet'], /--margin 2 is not a number > 0 and ≤ 1 \(hint: /);
    await refused(['analyze', SHOP, '--margin', 'half', '--quiet'], /--margin half is not a number > 0 and ≤ 1 \(hint: /);
    await refused(['analyze', SHOP, '--horizon-months', '601', '--quiet'], /--horizon-months 601 is not a whole number of months from 1 to 600 \(hint: /);
    // a fraction named customers.csv's column predicted_clv_1.5m (session 40's data-scientist trial)
    await refused(['analyze', SHOP, '--horizon-months', '1.5', '--quiet'], /--horizon-months 1\.5 is not a whole number of months from 1 to 600 \(hint: /);
    await refused(['analyze', SHOP, '--discount-rate', '-0.1', '--quiet'], /--discount-rate -0\.1 is not a number ≥ 0 and ≤ 10 \(hint: /);
    await refused(['analyze', SHOP, '--holdout-days', '0', '--quiet'], /--holdout-days 0 is not a whole number of days ≥ 1 \(hint: /);
    // a fraction was rounded: 1.5 ran a 2-day holdout without a word, 0.4 a 0-day one refused as 'the holdout end … is not
    // after the calibration end …', naming dates the user never gave (--churn-days and --measure-days refuse fractions)
    await refused(['analyze', SHOP, '--holdout-days', '1.5', '--quiet'], /--holdout-days 1\.5 is not a whole number of days ≥ 1 \(hint: /);
    await refused(['analyze', SHOP, '--holdout-days', '0.4', '--quiet'], /--holdout-days 0\.4 is not a whole number of days ≥ 1 \(hint: /);
    await refused(['analyze', SHOP, '--session-gap', '20000', '--quiet'], /--session-gap 20000 is not a number > 0 and ≤ 10080 \(hint: /);
    for (const run of [await cli(['analyze', SHOP, '--margin', '2', '--quiet'])]) expect(run.stderr).not.toMatch(/valid number/);
    await refused(['serve', '--port', '99999'], /--port 99999 is not a port number from 0 to 65535 \(hint: /);
    const dir = scratchDir();
    await refused(['tokens', 'create', 'x', '--role', 'analyst', '--db', join(dir, 'w.duckdb'), '--expires-days', '0'], /--expires-days 0 is not a number of days > 0 and ≤ 3650 \(hint: /);
  });

  it('a failed ingest into a warehouse that already holds data keeps it and its key', async () => {
    const dir = scratchDir();
    const db = join(dir, 'wh.duckdb');
    expect((await cli(['ingest', SHOP, '--db', db])).code).toBe(0);
    const undated = write(dir, 'undated.csv', ['customer_id,date,amount', 'A,someday,5']);
    expect((await cli(['ingest', undated, '--db', db])).code).toBe(2);
    expect(existsSync(db)).toBe(true);
    expect(existsSync(`${db}.key`)).toBe(true);
    expect((await cli(['segments', '--db', db])).code).toBe(0);
  });

  it('fit --model bgnbd on a discrete-time summary (frequency, recency, periods) names --model bgbb', async () => {
    await refused(['fit', `${FIXTURES}donations/donations.csv`, '--model', 'bgnbd'], /has no T column .*\(hint: .*periods.*--model bgbb/);
    const dir = scratchDir();
    await refused(['fit', write(dir, 'cont.csv', ['frequency,recency,T', '1,2,10']), '--model', 'bgbb'], /has no periods column .*\(hint: .*T.*--model bgnbd/);
  });

  it('a file of returns only is named as such, not as rows quarantined or nothing ingested', async () => {
    const dir = scratchDir();
    const returns = write(dir, 'returns.csv', ['customer_id,date,quantity,unit_price', 'A,2023-01-01,-1,5', 'B,2023-01-02,-2,6']);
    await refused(['segments', returns], /the data holds no purchases: its 2 accepted rows are all returns \(negative quantity or amount, or a cancelled invoice\) \(hint: .*orders/);
    await refused(['summarize', returns, '--as-of', '2023-06-30', '--time-unit', 'day', '--out', join(dir, 's.csv')], /its 2 accepted rows are all returns/);
  });

  it('option errors of the argument parser carry the clvkit prefix and a hint', async () => {
    await refused(['summarize', SHOP, '--as-of', '2023-06-30', '--time-unit', 'fortnight', '--out', 'x.csv'], /argument 'fortnight' is invalid/);
  });
});

describe('nothing silent', () => {
  it('NaN and infinite amounts are bad numbers, not revenue', async () => {
    const dir = scratchDir();
    const path = write(dir, 'odd.csv', ['customer_id,date,amount', 'A,2023-01-01,NaN', 'B,2023-01-02,inf', 'C,2023-01-03,1e309', 'D,2023-01-04,-Infinity', 'E,2023-01-05,12.5']);
    const run = await cli(['ingest', path, '--db', join(dir, 'wh.duckdb'), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ rowsRead: 5, accepted: 1, quarantined: 4 });
    expect(report.rules.bad_number).toBe(4);
  });

  // Regression (a user trial): a date format that read no date was only warned about — the file was recorded with every
  // row quarantined, and the corrected run was then told "already ingested: nothing added"
  it('a date format that reads no date is refused with nothing recorded, and the corrected run ingests the file', async () => {
    const db = join(scratchDir(), 'wh.duckdb');
    const run = await cli(['ingest', SHOP, '--db', db, '--date-format', '%d.%m.%Y', '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nothing was ingested: removed the new warehouse'); // (and its key file: nothing left behind)
    expect(run.stderr.split('\n').filter((line) => line.includes('error:'))).toHaveLength(1);
    expect(run.stderr).toMatch(/no row of tiny-shop\.csv could be accepted \(\d+ bad_date.*\): nothing was recorded \(hint: no date could be read with the format %d\.%m\.%Y: check --date-format, then ingest the file again\)/);
    const corrected = await cli(['ingest', SHOP, '--db', db, '--json']);
    expect(corrected.code, corrected.stderr).toBe(0);
    expect(JSON.parse(corrected.stdout).accepted).toBeGreaterThan(0);
  });

  it('source_line of accepted rows is their line in the file, also after malformed lines', async () => {
    const dir = scratchDir();
    const path = write(dir, 'ragged.csv', ['customer_id,date,amount', 'C1,2023-01-01,5', 'C2,2023-01-02', 'C3,2023-01-03,7,extra,fields', 'C4,2023-01-04,8', 'C5,2023-01-05,9', 'C6', 'C7,2023-01-07,11']);
    const db = join(dir, 'wh.duckdb');
    const run = await cli(['ingest', path, '--db', db, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ rowsRead: 7, accepted: 4, quarantined: 3 });
    const { openDuckDbWarehouse } = await import('../../src/engine/duckdb-warehouse.js');
    const warehouse = await openDuckDbWarehouse(db);
    try {
      const accepted = (await warehouse.query('SELECT source_line FROM transactions ORDER BY source_line')).map((r) => Number(r.source_line));
      const quarantined = (await warehouse.query('SELECT line FROM quarantine ORDER BY line')).map((r) => Number(r.line));
      expect(accepted).toEqual([2, 5, 6, 8]);
      expect(quarantined).toEqual([3, 4, 7]);
    } finally {
      await warehouse.close();
    }
  });

  it('one customer id written two ways (Unicode NFD/NFC, doubled spaces) is one customer with or without a key', async () => {
    const dir = scratchDir();
    const path = write(dir, 'ids.csv', ['customer_id,date,amount', 'Re\u0301my,2023-01-01,5', 'R\u00e9my,2023-02-01,6', 'Ana  Li,2023-01-03,7', 'Ana Li,2023-03-03,8']);
    const out = join(dir, 'summary.csv');
    expect((await cli(['summarize', path, '--as-of', '2023-06-30', '--time-unit', 'day', '--out', out])).code).toBe(0);
    const { readFileSync } = await import('node:fs');
    const rows = readFileSync(out, 'utf8').trim().split('\n').slice(1);
    expect(rows.map((r) => r.split(',').slice(0, 2).join(','))).toEqual(['Ana Li,1.0', 'R\u00e9my,1.0']);
    const keyed = JSON.parse((await cli(['ingest', path, '--db', join(dir, 'wh.duckdb'), '--json'])).stdout);
    expect(keyed.files[0].privacy.newCustomers).toBe(2);
  });

  it('a header naming a column twice is warned about', async () => {
    const dir = scratchDir();
    const path = write(dir, 'dup.csv', ['customer_id,date,amount,customer_id', 'A,2023-01-01,5,B']);
    const report = JSON.parse((await cli(['ingest', path, '--db', join(dir, 'wh.duckdb'), '--json'])).stdout);
    expect(report.files[0].warnings).toContain("the header names column 'customer_id' more than once: the first is used; the repeat is read as 'customer_id_1' (map it with --map role=customer_id_1 if that is the one)");
  });

  it('a JSON Lines file with a broken line quarantines that line, not the file', async () => {
    const dir = scratchDir();
    const path = join(dir, 'orders.jsonl');
    writeFileSync(path, ['{"customer_id": "A", "date": "2023-01-01", "amount": 12.50}', '{"customer_id": "B", "date": ', '', '[1, 2]', '{"customer_id": "C", "date": "2023-01-03", "amount": 7, "note \\"x\\"": "n"}'].join('\n') + '\n');
    const db = join(dir, 'wh.duckdb');
    const run = await cli(['ingest', path, '--db', db, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ rowsRead: 4, accepted: 2, quarantined: 2 });
    expect(report.rules.malformed_row).toBe(2);
    const { openDuckDbWarehouse } = await import('../../src/engine/duckdb-warehouse.js');
    const warehouse = await openDuckDbWarehouse(db);
    try {
      expect((await warehouse.query('SELECT source_line, amount FROM transactions ORDER BY 1')).map((r) => [Number(r.source_line), r.amount])).toEqual([[1, 12.5], [5, 7]]);
      expect((await warehouse.query('SELECT line FROM quarantine ORDER BY 1')).map((r) => Number(r.line))).toEqual([2, 4]);
    } finally {
      await warehouse.close();
    }
  });

  it('a line longer than the reader buffer (a 5 MB free-text field) is read, not a file error', async () => {
    const dir = scratchDir();
    const path = write(dir, 'long.csv', ['customer_id,date,amount,description', 'A,2023-01-01,5,short', `B,2023-01-02,6,${'x'.repeat(5_000_000)}`, 'C,2023-01-03,7,short']);
    const run = await cli(['ingest', path, '--db', join(dir, 'wh.duckdb'), '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ rowsRead: 3, accepted: 3, quarantined: 0 });
  });

  it('fit says how many rows it could not use', async () => {
    const dir = scratchDir();
    // four usable customers: fewer than BG/NBD's four parameters are refused (fit-too-few-customers.test.ts)
    const path = write(dir, 'summary.csv', ['frequency,recency,T', '1,2,10', '0,0,8', '-1,2,10', 'NaN,1,5', '2,4,9', '3,5,11']);
    const run = await cli(['fit', path, '--model', 'bgnbd', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ n: 4, rowsSkipped: 2 });
    expect(run.stderr).toMatch(/clvkit: warning: 2 of 6 rows skipped/);
  });

  it('validate refuses a data set too small for the models, as analyze skips them', async () => {
    await refused(['validate', SHOP, '--calibration-end', '2023-02-28', '--time-unit', 'week'], /^clvkit: error: 5 customers bought by the calibration end 2023-02-28: the value models need at least 50/);
  });

  it('validate refuses a calibration window with fewer repeat buyers than the models need, as analyze skips them', async () => {
    // validate online_retail.csv.gz --calibration-end 2010-12-02 (188 customers, 6 of them on both days) printed a
    // tournament and 'chosen: BG/NBD' (MAE 9.06, Gini −0.73) where analyze would have skipped the models
    const dir = scratchDir();
    const lines = ['customer_id,date,amount'];
    for (let c = 1; c <= 60; c++) {
      lines.push(`C${c},2023-01-0${1 + (c % 5)},10`, `C${c},2023-02-1${c % 10},9`, `C${c},2023-03-1${c % 10},12`);
      if (c <= 6) lines.push(`C${c},2023-01-2${c % 10},11`);
    }
    const path = write(dir, 'few-repeat.csv', lines);
    await refused(['validate', path, '--calibration-end', '2023-01-31', '--time-unit', 'week'], /^clvkit: error: 6 of the 60 customers who bought by the calibration end 2023-01-31 bought again by then: the value models need at least 10 .*\(hint: .*later --calibration-end/);
    const run = await cli(['validate', path, '--calibration-end', '2023-02-28', '--holdout-end', '2023-03-31', '--time-unit', 'week', '--no-learned']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^calibration to 2023-02-28, holdout to 2023-03-31/);
  });

  it('analyze of fewer customers than the minimum group size publishes nothing that describes them', async () => {
    const dir = scratchDir();
    const path = write(dir, 'one.csv', ['customer_id,date,amount', 'A,2023-01-01,100', 'A,2023-02-01,50']);
    await refused(['analyze', path, '--out', join(dir, 'out'), '--quiet'], /1 customer.*--min-group-size 5/);
    expect(existsSync(join(dir, 'out', 'run.json'))).toBe(false);
  });

  it('a later file refused in a one-shot analyze does not say the files before it were added: nothing is kept', async () => {
    // regression (new-user trial): 'analyze good.csv bad.csv' ended '…; added before it: good.csv', about an in-memory run
    const dir = scratchDir();
    const good = write(dir, 'good.csv', ['customer_id,date,amount', 'A,2023-01-01,100', 'B,2023-02-01,50']);
    const bad = write(dir, 'bad.csv', ['who,date,amount', 'A,2023-03-01,5']);
    const run = await cli(['analyze', good, bad, '--out', join(dir, 'out'), '--quiet']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/no column for required role 'customer_id'/);
    expect(run.stderr).not.toMatch(/added before it/);
    // into a warehouse file the first file does stay: said
    const kept = await cli(['ingest', good, bad, '--db', join(dir, 'w.duckdb')]);
    expect(kept.code).toBe(2);
    expect(kept.stderr).toMatch(/added before it: good\.csv/);
  });
});


describe('a file in UTF-16 (Excel\'s "Unicode Text")', () => {
  // was refused as "is not a text file (binary content)" with a hint listing the formats clvkit reads: it is text, in
  // an encoding clvkit does not read, and converting it is the way on
  it.each([
    ['with a BOM, little-endian', 'le.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('customer_id\tdate\tamount\nA\t2023-01-01\t5\n', 'utf16le')])],
    ['with a BOM, big-endian', 'be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('customer_id,date,amount\nA,2023-01-01,5\n', 'utf16le').swap16()])],
    ['without a BOM, gzip-compressed', 'nobom.csv.gz', gzipSync(Buffer.from('customer_id,date,amount\nA,2023-01-01,5\n', 'utf16le'))],
  ])('%s: one line naming UTF-16, the hint how to convert it', async (_what, name, bytes) => {
    const path = join(scratchDir(), name);
    writeFileSync(path, bytes);
    await refused(['ingest', path, '--db', join(scratchDir(), 'w.duckdb')], new RegExp(`${name.replaceAll('.', '\\.')} is UTF-16 text, which clvkit does not read \\(hint: save it as UTF-8 \\(in Excel: CSV UTF-8\\), or convert it: ${name.endsWith('.gz') ? 'gunzip -c \\S+ \\| ' : ''}iconv -f UTF-16 -t UTF-8`));
  });

  // review: the command named the path unquoted, and ran iconv on the compressed bytes of a .gz
  it('the command it suggests runs: the path quoted, a gzip file decompressed first', async () => {
    const path = join(scratchDir(), 'my file.csv.gz');
    writeFileSync(path, gzipSync(Buffer.from('customer_id,date,amount\nA,2023-01-01,5\n', 'utf16le')));
    await refused(['ingest', path, '--db', join(scratchDir(), 'w.duckdb')], new RegExp(`convert it: gunzip -c '[^']*/my file\\.csv\\.gz' \\| iconv -f UTF-16 -t UTF-8 > converted\\.csv\\)`));
  });
});

describe('windows chosen past the data (a new-user trial: silently scored against days without purchases)', () => {
  const CDNOW = `${FIXTURES}cdnow/CDNOW_sample.txt.gz`;

  it('analyze --holdout-days as long as the data: one line naming the span, not "BG/NBD: no customers (total weight 0)"', async () => {
    await refused(['analyze', CDNOW, '--map', 'customer_id=2', '--holdout-days', '5000', '--quiet', '--skip-report', '--skip-patterns', '--no-churn', '--out', join(scratchDir(), 'out')], /--holdout-days 5000 is not shorter than the data: 545 days from the first purchase to the as-of date 1998-06-30.*\(hint: pass --holdout-days below 545/);
  }, 120_000);

  it('validate --holdout-end long after the last purchase warns (stderr and --json), a few days after does not', async () => {
    const args = ['validate', CDNOW, '--map', 'customer_id=2', '--calibration-end', '1997-09-30', '--time-unit', 'week', '--no-learned', '--json'];
    const late = await cli([...args, '--holdout-end', '1999-12-31']);
    expect(late.code, late.stderr).toBe(0);
    expect(late.stderr).toContain('clvkit: warning: --holdout-end 1999-12-31 is 549 days after the last purchase (1998-06-30): those days hold no purchases');
    // the file's own warnings first (columns guessed, exact copies quarantined: ingest-warnings-reach-run-warnings.test.ts)
    // and before them how many of its lines were quarantined (read-commands-say-what-was-quarantined.test.ts)
    const fileWarnings = [
      expect.stringMatching(/^CDNOW_sample\.txt\.gz: 6,919 rows read, 6,898 accepted, 21 quarantined \(duplicate 21\): the quarantined rows are left out/),
      expect.stringMatching(/^CDNOW_sample\.txt\.gz: no header: guessed date=3/),
      expect.stringMatching(/^CDNOW_sample\.txt\.gz: 21 lines are exact copies/),
    ];
    expect(JSON.parse(late.stdout).warnings).toEqual([...fileWarnings, expect.stringMatching(/^--holdout-end 1999-12-31 is 549 days after/)]);
    const close = await cli([...args, '--holdout-end', '1998-07-05']);
    expect(close.stderr).not.toContain('--holdout-end');
    expect(JSON.parse(close.stdout).warnings).toEqual(fileWarnings);
  }, 120_000);

  it('analyze --as-of long after the last purchase warns in run.json', async () => {
    const dir = scratchDir();
    const run = await cli(['analyze', SHOP, '--as-of', '2030-01-01', '--quiet', '--skip-report', '--skip-patterns', '--out', join(dir, 'out'), '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).warnings).toContainEqual(expect.stringMatching(/^--as-of 2030-01-01 is [\d,]+ days after the last purchase \(\d{4}-\d{2}-\d{2}\): every customer looks inactive by then/));
  }, 120_000);
});
