import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { UserError } from '../../src/core/errors/user-error.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { formatIngestReport, type IngestFileReport } from '../../src/ingest/ingest-report.js';
import { demoWarehouse } from '../helpers/demo-warehouse.js';
import { FIXTURES, memoryWarehouse, useScratchWarehouse } from '../helpers/warehouse.js';

const NOW = new Date('2024-01-01T00:00:00Z');
const TINY_SHOP = `${FIXTURES}shop/tiny-shop.csv`;

async function tableCount(warehouse: Warehouse, table: string): Promise<number> {
  const [row] = await warehouse.query(`SELECT count(*) AS n FROM ${table}`);
  return Number(row!.n);
}

describe('ingest of the tiny shop', () => {
  const scratch = useScratchWarehouse({ threads: 1 });

  it('accepts or quarantines every row, one reason each, and the counts add up', async () => {
    const report = await ingestFiles(scratch.warehouse, [TINY_SHOP], { now: NOW });
    expect(report.rowsRead).toBe(22);
    expect(report.accepted).toBe(14);
    expect(report.quarantined).toBe(8);
    expect(report.accepted + report.quarantined).toBe(report.rowsRead);
    expect(report.rules).toEqual({
      malformed_row: 0,
      missing_customer_id: 1,
      missing_date: 1,
      bad_date: 1,
      future_date: 1,
      bad_number: 1,
      zero_quantity: 0,
      nonpositive_price: 1,
      non_product: 1,
      duplicate: 1,
      missing_event_type: 0,
      erased_customer: 0,
    });
    expect(report.returns).toBe(1);
    expect(await tableCount(scratch.warehouse, 'transactions')).toBe(14);
    const quarantine = await scratch.warehouse.query('SELECT line, reason FROM quarantine ORDER BY line');
    expect(quarantine.map((r) => [r.line, r.reason])).toEqual([
      [9, 'non_product'],
      [12, 'missing_customer_id'],
      [13, 'bad_date'],
      [14, 'bad_number'],
      [15, 'nonpositive_price'],
      [16, 'future_date'],
      [18, 'duplicate'],
      [19, 'missing_date'],
    ]);
  });

  it('keeps a cancellation as a negative return, not a purchase', async () => {
    await ingestFiles(scratch.warehouse, [TINY_SHOP], { now: NOW });
    const rows = await scratch.warehouse.query("SELECT order_id, amount, is_return FROM transactions WHERE customer_id = 'C' ORDER BY ts");
    expect(rows).toEqual([
      { order_id: '1005', amount: 10, is_return: false },
      { order_id: 'C1006', amount: -10, is_return: true },
    ]);
  });

  it('is idempotent: the same file twice adds nothing, a new file only its new rows', async () => {
    await ingestFiles(scratch.warehouse, [TINY_SHOP], { now: NOW });
    const again = await ingestFiles(scratch.warehouse, [TINY_SHOP], { now: NOW });
    expect(again.files[0]!.alreadyIngested).toBe(true);
    expect(again.accepted).toBe(0);
    expect(await tableCount(scratch.warehouse, 'transactions')).toBe(14);
    expect(await tableCount(scratch.warehouse, 'quarantine')).toBe(8);
    // A new extract that overlaps: one old line, one new line.
    const overlap = join(scratch.dir, 'next.csv');
    writeFileSync(overlap, 'order_id,customer_id,order_date,product_id,quantity,unit_price,country\n1001,A,2023-01-05 10:00:00,P1,2,10.00,UK\n1100,B,2023-05-05 10:00:00,P2,1,25.50,FR\n');
    const next = await ingestFiles(scratch.warehouse, [overlap], { now: NOW });
    expect(next).toMatchObject({ rowsRead: 2, accepted: 1, quarantined: 1 });
    expect(next.rules.duplicate).toBe(1);
    expect(await tableCount(scratch.warehouse, 'transactions')).toBe(15);
  });

  it('is atomic: a failure midway leaves the warehouse exactly as it was', async () => {
    await ingestFiles(scratch.warehouse, [TINY_SHOP], { now: NOW });
    const second = join(scratch.dir, 'second.csv');
    writeFileSync(second, 'order_id,customer_id,order_date,product_id,quantity,unit_price,country\n2001,Z,2023-06-01 10:00:00,P1,1,10.00,UK\n2002,,2023-06-01 10:00:00,P1,1,10.00,UK\n');
    for (const failAt of ['load-quarantine', 'record'] as const) {
      await expect(
        ingestFiles(scratch.warehouse, [second], {
          now: NOW,
          onStep: (step) => {
            if (step === failAt) throw new Error(`injected failure at ${step}`);
          },
        }),
      ).rejects.toThrow(/injected failure/);
      expect(await tableCount(scratch.warehouse, 'transactions')).toBe(14);
      expect(await tableCount(scratch.warehouse, 'quarantine')).toBe(8);
      expect(await tableCount(scratch.warehouse, 'ingests')).toBe(1);
    }
    // and the same file goes in cleanly afterwards
    const report = await ingestFiles(scratch.warehouse, [second], { now: NOW });
    expect(report).toMatchObject({ accepted: 1, quarantined: 1 });
  });

  it('persists in a database file across opens', async () => {
    const { openDuckDbWarehouse } = await import('../../src/engine/duckdb-warehouse.js');
    const { generateKey, keyringFromKey } = await import('../../src/privacy/keys/keyring.js');
    const keyring = keyringFromKey(generateKey());
    const db = join(scratch.dir, 'wh.duckdb');
    const first = await openDuckDbWarehouse(db);
    // a file warehouse needs a key: ids are pseudonymised, personal data encrypted
    await expect(ingestFiles(first, [TINY_SHOP], { now: NOW })).rejects.toThrow(/needs a key/);
    await ingestFiles(first, [TINY_SHOP], { now: NOW, keyring });
    await first.close();
    const reopened = await openDuckDbWarehouse(db);
    expect(await tableCount(reopened, 'transactions')).toBe(14);
    const again = await ingestFiles(reopened, [TINY_SHOP], { now: NOW, keyring });
    expect(again.files[0]!.alreadyIngested).toBe(true);
    await reopened.close();
  });
});

// Regression (a user trial): an overlapping export with its columns in another order was new text to the duplicate
// rule, so its orders counted twice (+20% revenue) without a word
describe('a later file that repeats held order ids', () => {
  const scratch = useScratchWarehouse({ threads: 1 });

  it('is warned about when its lines are new text for orders already held; not when the overlap is recognised as duplicates', async () => {
    const line = (order: number, customer: string, day: string, amount: string) => ({ order_id: `O${order}`, customer_id: customer, date: `2023-01-${day}`, amount });
    const rows = [line(1, 'A', '02', '10.00'), line(2, 'B', '03', '12.50'), line(3, 'A', '04', '7.25'), line(4, 'C', '05', '30.00'), line(5, 'B', '06', '5.00'), line(6, 'D', '07', '8.00')];
    const csv = (columns: (keyof (typeof rows)[number])[], from: number, to: number) => [columns.join(','), ...rows.slice(from, to).map((r) => columns.map((c) => r[c]).join(','))].join('\n') + '\n';
    const write = (name: string, text: string) => {
      const path = join(scratch.dir, name);
      writeFileSync(path, text);
      return path;
    };
    const first = await ingestFiles(scratch.warehouse, [write('first.csv', csv(['order_id', 'customer_id', 'date', 'amount'], 0, 4))], { now: NOW });
    expect(first.files[0]!.warnings.filter((w) => /repeat order ids/.test(w))).toEqual([]);
    // the same columns: orders 3 and 4 are duplicates (quarantined), 5 and 6 are new — no warning
    const same = await ingestFiles(scratch.warehouse, [write('same.csv', csv(['order_id', 'customer_id', 'date', 'amount'], 2, 6))], { now: NOW });
    expect(same).toMatchObject({ accepted: 2, quarantined: 2 });
    expect(same.files[0]!.warnings.filter((w) => /repeat order ids/.test(w))).toEqual([]);
    // reordered columns: orders 1 and 2 are new text, accepted again, and said so
    const reordered = await ingestFiles(scratch.warehouse, [write('reordered.csv', csv(['amount', 'date', 'customer_id', 'order_id'], 0, 2))], { now: NOW });
    expect(reordered.accepted).toBe(2);
    expect(reordered.files[0]!.warnings.filter((w) => /repeat order ids/.test(w))).toEqual([
      '2 accepted lines (2 orders) repeat order ids the warehouse already holds from earlier files: if this file overlaps one ingested before but its columns are ordered, added or formatted otherwise, those orders now count twice (duplicates are recognised by their text)',
    ]);
  });
});

describe('lines without an order id beside lines with one', () => {
  const scratch = useScratchWarehouse({ threads: 1 });

  // regression: the empty order id made is_return NULL and the load failed ("internal error — NOT NULL constraint
  // failed: transactions.is_return") instead of storing the lines
  it('are purchases without an order id, not an internal error; a cancellation id still marks a return', async () => {
    const path = join(scratch.dir, 'orders.csv');
    writeFileSync(path, 'order_id,customer_id,date,amount\nO1,A,2023-01-02,10\n,A,2023-01-03,4\n,B,2023-01-03,6\nC7,B,2023-01-04,-6\n');
    const report = await ingestFiles(scratch.warehouse, [path], { now: NOW });
    expect(report).toMatchObject({ accepted: 4, quarantined: 0, returns: 1 });
    const rows = await scratch.warehouse.query('SELECT order_id, customer_id, amount, is_return FROM transactions ORDER BY ts, customer_id');
    expect(rows).toEqual([
      { order_id: 'O1', customer_id: 'A', amount: 10, is_return: false },
      { order_id: null, customer_id: 'A', amount: 4, is_return: false },
      { order_id: null, customer_id: 'B', amount: 6, is_return: false },
      { order_id: 'C7', customer_id: 'B', amount: -6, is_return: true },
    ]);
  });
});

describe('readers and formats', () => {
  const scratch = useScratchWarehouse({ threads: 1 });

  const header = 'customer_id,date,amount\n';
  const body = 'a,2023-01-01,10\nb,2023-01-02,20.5\na,2023-02-01,5\n';

  it.each([
    ['semicolon', 'x.csv', (header + body).replaceAll(',', ';')],
    ['tab (TSV)', 'x.tsv', (header + body).replaceAll(',', '\t')],
    ['pipe', 'x.txt', (header + body).replaceAll(',', '|')],
    ['BOM', 'x.csv', '\uFEFF' + header + body],
    ['CRLF', 'x.csv', (header + body).replaceAll('\n', '\r\n')],
    ['quoted fields', 'x.csv', 'customer_id,date,amount,note\n"a","2023-01-01","10","hello, world"\n"b","2023-01-02","20.5","say ""hi"""\na,2023-02-01,5,\n'],
  ])('reads %s', async (_name, file, text) => {
    const path = join(scratch.dir, file);
    writeFileSync(path, text);
    const report = await ingestFiles(scratch.warehouse, [path], { now: NOW });
    expect(report).toMatchObject({ rowsRead: 3, accepted: 3, quarantined: 0 });
    const [sum] = await scratch.warehouse.query('SELECT sum(amount) AS s FROM transactions');
    expect(sum!.s).toBeCloseTo(35.5, 10);
  });

  it('reads gzip-compressed CSV', async () => {
    const path = join(scratch.dir, 'x.csv.gz');
    writeFileSync(path, gzipSync(header + body));
    expect(await ingestFiles(scratch.warehouse, [path], { now: NOW })).toMatchObject({ rowsRead: 3, accepted: 3 });
  });

  it('reads Latin-1 text', async () => {
    const path = join(scratch.dir, 'latin1.csv');
    writeFileSync(path, Buffer.from('customer_id,date,amount,description\nJosé,2023-01-01,10,Müsli\n', 'latin1'));
    const report = await ingestFiles(scratch.warehouse, [path], { now: NOW, map: { description: 'description' } });
    expect(report.files[0]!.encoding).toBe('latin-1');
    const [row] = await scratch.warehouse.query('SELECT customer_id, description FROM transactions');
    expect(row).toEqual({ customer_id: 'José', description: 'Müsli' });
  });

  it('reads JSON Lines and Parquet', async () => {
    const jsonl = join(scratch.dir, 'x.jsonl');
    writeFileSync(jsonl, '{"user_id": "a", "ts": "2023-01-01T10:00:00Z", "amount": 10}\n{"user_id": "b", "ts": "2023-01-02T10:00:00Z", "amount": 20.5}\n');
    expect(await ingestFiles(scratch.warehouse, [jsonl], { now: NOW })).toMatchObject({ rowsRead: 2, accepted: 2 });
    const parquet = join(scratch.dir, 'x.parquet');
    await scratch.warehouse.execute(`COPY (SELECT 'c' AS customer_id, TIMESTAMP '2023-03-01 10:00:00' AS order_date, 7.5 AS amount) TO '${parquet}' (FORMAT PARQUET)`);
    expect(await ingestFiles(scratch.warehouse, [parquet], { now: NOW })).toMatchObject({ rowsRead: 1, accepted: 1 });
  });

  it('reads XLSX (first worksheet, streamed)', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('orders');
    sheet.addRow(['CustomerID', 'InvoiceDate', 'Quantity', 'UnitPrice']);
    sheet.addRow(['17850', new Date('2023-01-01T08:26:00Z'), 6, 2.55]);
    sheet.addRow(['17851', new Date('2023-01-02T09:00:00Z'), 1, 3.39]);
    const path = join(scratch.dir, 'orders.xlsx');
    await workbook.xlsx.writeFile(path);
    const report = await ingestFiles(scratch.warehouse, [path], { now: NOW });
    expect(report).toMatchObject({ rowsRead: 2, accepted: 2 });
    const [row] = await scratch.warehouse.query("SELECT amount, ts FROM transactions WHERE customer_id = '17850'");
    expect(row!.amount).toBeCloseTo(15.3, 10);
    expect((row!.ts as Date).toISOString()).toBe('2023-01-01T08:26:00.000Z');
  });

  it('reads headerless files with columns mapped by position, and guesses them in the CDNOW layout', async () => {
    const path = join(scratch.dir, 'cdnow-like.txt');
    writeFileSync(path, ' 00004 0001 19970101  2   29.33\n 00004 0001 19970118  2   29.73\n 00021 0002 19970101  3   63.34\n');
    const byPosition = await ingestFiles(scratch.warehouse, [path], { now: NOW, map: { customer_id: '2', date: '3', quantity: '4', amount: '5' } });
    expect(byPosition).toMatchObject({ rowsRead: 3, accepted: 3 });
    expect(byPosition.files[0]!.hasHeader).toBe(false);
    const other = await memoryWarehouse(1);
    const guessed = await ingestFiles(other, [path], { now: NOW });
    expect(guessed.files[0]!.mapping).toMatchObject({ customer_id: 'column1', date: 'column3', quantity: 'column4', amount: 'column5' });
    expect(guessed.files[0]!.warnings.join(' ')).toMatch(/guessed customer_id=1, date=3, quantity=4, amount=5 from the values; override with --map role=position/);
    // the report names each column by the 1-based position --map and the warning use (headerless-columns-named-from-one)
    // (regression: 'customer_id=column0 (guessed)' beside the warning's 'customer_id=1')
    const text = formatIngestReport(guessed);
    expect(text).toContain('columns: customer_id=column1 (guessed), date=column3 (guessed)');
    expect(text).toContain('not read (not stored): column2');
    expect(formatIngestReport(byPosition)).toContain('columns: customer_id=column2, date=column3');
    await other.close();
  });

  it('reads mixed date formats in one column, and epoch seconds', async () => {
    const path = join(scratch.dir, 'mixed.csv');
    writeFileSync(path, 'customer_id,date,amount\na,2023-01-15 10:00:00,1\nb,01/20/2023 10:00,2\nc,2023-02-01,3\nd,02/25/2023 09:30,4\ne,garbage,5\n');
    const report = await ingestFiles(scratch.warehouse, [path], { now: NOW });
    expect(report).toMatchObject({ rowsRead: 5, accepted: 4, quarantined: 1 });
    expect(report.rules.bad_date).toBe(1);
    const rows = await scratch.warehouse.query('SELECT customer_id, ts FROM transactions ORDER BY customer_id');
    expect(rows.map((r) => (r.ts as Date).toISOString().slice(0, 16))).toEqual(['2023-01-15T10:00', '2023-01-20T10:00', '2023-02-01T00:00', '2023-02-25T09:30']);
    const epoch = join(scratch.dir, 'epoch.csv');
    writeFileSync(epoch, 'customer_id,date,amount\nx,1672567200,1\ny,1672653600,2\n');
    await ingestFiles(scratch.warehouse, [epoch], { now: NOW });
    const [x] = await scratch.warehouse.query("SELECT ts FROM transactions WHERE customer_id = 'x'");
    expect((x!.ts as Date).toISOString()).toBe('2023-01-01T10:00:00.000Z');
  });

  it('quarantines ragged rows as malformed instead of failing or dropping them', async () => {
    const path = join(scratch.dir, 'ragged.csv');
    // e is short by two columns: the reader reports two errors for it, still one rejected row
    writeFileSync(path, 'customer_id,date,amount\na,2023-01-01,10\nb,2023-01-02\nc,2023-01-03,3,extra\nd,2023-01-04,4\ne\n');
    const report = await ingestFiles(scratch.warehouse, [path], { now: NOW });
    expect(report.rowsRead).toBe(5);
    expect(report.accepted + report.quarantined).toBe(5);
    expect(report.rules.malformed_row).toBe(3);
    const rejected = await scratch.warehouse.query("SELECT line, raw, detail FROM quarantine WHERE reason = 'malformed_row' ORDER BY line");
    expect(rejected.map((r) => [r.line, r.raw])).toEqual([[3, 'b,2023-01-02'], [4, 'c,2023-01-03,3,extra'], [6, 'e']]);
    expect(rejected[2]!.detail).toMatch(/Expected Number of Columns: 3 Found: 1/);
  });
});

describe('bad input gets a clear user error', () => {
  const scratch = useScratchWarehouse({ threads: 1 });

  async function userError(path: string, options = {}): Promise<UserError> {
    try {
      await ingestFiles(scratch.warehouse, [path], { now: NOW, ...options });
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).not.toContain('\n');
      expect((error as UserError).hint).toBeTruthy();
      return error as UserError;
    }
    throw new Error(`no error for ${path}`);
  }

  it('a file that does not exist', async () => {
    expect((await userError(join(scratch.dir, 'nope.csv'))).message).toMatch(/no such file/);
  });

  it('a directory', async () => {
    mkdirSync(join(scratch.dir, 'folder'));
    expect((await userError(join(scratch.dir, 'folder'))).message).toMatch(/is a directory/);
  });

  it('an empty file', async () => {
    writeFileSync(join(scratch.dir, 'empty.csv'), '');
    expect((await userError(join(scratch.dir, 'empty.csv'))).message).toMatch(/empty/);
  });

  it('binary garbage', async () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    writeFileSync(join(scratch.dir, 'garbage.csv'), bytes);
    expect((await userError(join(scratch.dir, 'garbage.csv'))).message).toMatch(/not a text file/);
  });

  it('a wrong delimiter names the columns it found', async () => {
    writeFileSync(join(scratch.dir, 'semi.csv'), 'customer_id;date;amount\na;2023-01-01;10\n');
    const error = await userError(join(scratch.dir, 'semi.csv'), { delimiter: ',' });
    expect(error.message).toMatch(/no column for required role 'customer_id'.*customer_id;date;amount/);
  });

  it('a header only is refused as an empty file is, naming the file, and nothing is recorded', async () => {
    // it was 'nothing read, nothing lost, no error': a 0-row ingest was recorded, so `clvkit ingest` kept the new
    // warehouse and key file it made for it (exit 0), and `analyze` went on to 'ingest a transaction file first'
    writeFileSync(join(scratch.dir, 'header.csv'), 'customer_id,date,amount\n');
    expect((await userError(join(scratch.dir, 'header.csv'))).message).toMatch(/header\.csv has a header but no data rows/);
    writeFileSync(join(scratch.dir, 'header-blank.csv'), 'customer_id,date,amount\n\n\n');
    expect((await userError(join(scratch.dir, 'header-blank.csv'))).message).toMatch(/header-blank\.csv has a header but no data rows/);
    const [held] = await scratch.warehouse.query('SELECT count(*) AS n FROM ingests');
    expect(Number(held!.n)).toBe(0);
  });

  it('a header only beside other files is a warning, not a failure (a day without orders in a batch of daily exports); all of them empty is refused', async () => {
    const day1 = join(scratch.dir, 'day1.csv'), quiet = join(scratch.dir, 'day2-quiet.csv'), day3 = join(scratch.dir, 'day3.csv');
    writeFileSync(day1, 'customer_id,date,amount\na,2023-01-01,10\nb,2023-01-01,12\n');
    writeFileSync(quiet, 'customer_id,date,amount\n');
    writeFileSync(day3, 'customer_id,date,amount\na,2023-01-03,9\n');
    const other = await memoryWarehouse(1);
    const report = await ingestFiles(other, [day1, quiet, day3], { now: NOW });
    expect(report).toMatchObject({ rowsRead: 3, accepted: 3, quarantined: 0 });
    expect(report.files.map((f) => f.source)).toEqual([day1, day3]);
    expect(report.warnings).toContain(`${quiet} has a header but no data rows: nothing was ingested from it`);
    expect(formatIngestReport(report)).toContain(`warning: ${quiet} has a header but no data rows: nothing was ingested from it`);
    const [held] = await other.query('SELECT count(*) AS n FROM ingests');
    expect(Number(held!.n)).toBe(2);
    const quieter = join(scratch.dir, 'day4-quiet.csv');
    writeFileSync(quieter, 'customer_id,date,amount\n\n');
    await expect(ingestFiles(other, [quiet, quieter], { now: NOW })).rejects.toThrow(/none of the 2 files has data rows \(.*day2-quiet\.csv has a header but no data rows; .*day4-quiet\.csv has a header but no data rows\)/);
    await other.close();
  });

  it('missing required columns list what was found', async () => {
    writeFileSync(join(scratch.dir, 'cols.csv'), 'who,when,what\na,2023-01-01,10\n');
    expect((await userError(join(scratch.dir, 'cols.csv'))).message).toMatch(/no column for required role 'customer_id' \(columns found: 1:who, 2:when, 3:what\)/);
  });
});

// The demo file's ingest as test/helpers/demo-warehouse.ts runs it once per test run for the files that analyse it (the
// same ingestFiles on the same file, with a key): its report, as `ingests` stores it, instead of a second ingest of
// the 541,909 rows here (about 10 CPU s)
describe('the demo data (UCI Online Retail)', () => {
  it('accounts for all 541,909 rows with the documented dirt', async () => {
    const warehouse = await demoWarehouse();
    try {
      const stored = await warehouse.query('SELECT report FROM ingests');
      expect(stored).toHaveLength(1);
      const report = JSON.parse(String(stored[0]!.report)) as IngestFileReport;
      expect(report.rowsRead).toBe(541_909);
      expect(report.accepted + report.quarantined).toBe(541_909);
      expect(report.rules.missing_customer_id).toBe(135_080);
      expect(report.rules.duplicate).toBeGreaterThan(5_000);
      expect(report.rules.non_product).toBeGreaterThan(1_000);
      expect(report.returns).toBeGreaterThan(8_000);
      const [t] = await warehouse.query('SELECT count(DISTINCT customer_id) AS customers FROM transactions');
      expect(Number(t!.customers)).toBeGreaterThan(4_300);
      expect(Number(t!.customers)).toBeLessThanOrEqual(4_372);
      const [q] = await warehouse.query('SELECT count(*) AS n FROM quarantine');
      expect(Number(q!.n)).toBe(report.quarantined);
    } finally {
      await warehouse.close();
    }
  });
});
