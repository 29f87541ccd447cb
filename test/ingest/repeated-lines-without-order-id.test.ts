import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { formatIngestReport, type IngestReport } from '../../src/ingest/ingest-report.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { ingestFilesToClickHouse } from '../../src/ingest/ingest-files-to-clickhouse.js';
import { cli, useFixedKey } from '../helpers/cli.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, useTwoEngines } from '../helpers/clickhouse.js';
import { scratchDir, useScratchWarehouse, writeLines } from '../helpers/warehouse.js';

const now = new Date('2024-01-01T00:00:00Z');

/** Four orders of three customers in January, with order ids: five lines (order 1001 has two). */
export const ORDERS = [
  'order_id,customer_id,order_date,product_id,quantity,unit_price',
  '1001,A,2023-01-05 10:00:00,P1,2,10.00',
  '1001,A,2023-01-05 10:00:00,P2,1,25.50',
  '1002,B,2023-01-06 11:30:00,P1,1,10.00',
  '1003,C,2023-01-07 09:15:00,P3,3,5.00',
  '1004,A,2023-01-20 16:45:00,P2,1,25.50',
];

/** The same five lines exported again without order ids (other columns, other order) and one new purchase. */
export const RE_EXPORT = [
  'customer,date,sku,amount',
  'A,2023-01-05 10:00:00,P1,20.00',
  'A,2023-01-05 10:00:00,P2,25.50',
  'B,2023-01-06 11:30:00,P1,10.00',
  'C,2023-01-07 09:15:00,P3,15.00',
  'A,2023-01-20 16:45:00,P2,25.50',
  'D,2023-01-21 12:00:00,P1,10.00',
];

const repeats = (report: IngestReport) => report.files.flatMap((file) => file.warnings).filter((w) => /accepted lines? without an order id.*repeats? purchases/.test(w));
const count = async (scratch: { warehouse: { query: (sql: string) => Promise<Record<string, unknown>[]> } }) => Number((await scratch.warehouse.query('SELECT count(*) AS n FROM transactions'))[0]!.n);

// A re-export without order ids of lines already held is new text to the duplicate rule (and has no order ids for the
// repeated-order-ids warning): it was accepted and its purchases counted twice without a word
describe('lines without an order id that repeat purchases held from earlier files', () => {
  const scratch = useScratchWarehouse({ threads: 1 });
  const write = (name: string, lines: readonly string[]) => writeLines(scratch.dir, name, lines);

  it('are accepted and warned about: the same customer, time and amount, with the revenue and the earlier ingest (keyed)', async () => {
    const keyring = keyringFromKey(generateKey());
    const orders = await ingestFiles(scratch.warehouse, [write('orders.csv', ORDERS)], { now, keyring });
    expect(repeats(orders)).toEqual([]);
    const again = await ingestFiles(scratch.warehouse, [write('transactions.csv', RE_EXPORT)], { now, keyring });
    expect(again).toMatchObject({ rowsRead: 6, accepted: 6, quarantined: 0 });
    expect(await count(scratch)).toBe(11);
    const warning =
      "5 of the file's 6 accepted lines without an order id (revenue 96.00 of 106.00) repeat purchases the warehouse holds from orders.csv (ingest 1): the same customer, time and amount (the same line, or lines of that time with the same total); if it re-exports data ingested before, those purchases now count twice: keep one of the two ingests (clvkit ingests drop 1 --role admin drops ingest 1; to drop this file's instead, its id is the newest in clvkit ingests list)";
    expect(repeats(again)).toEqual([warning]);
    expect(formatIngestReport(again)).toContain(`  warning: ${warning}`);
  });

  it('leave out the exact copies within the file, which the copies warning names: no line is in both warnings', async () => {
    await ingestFiles(scratch.warehouse, [write('orders.csv', ORDERS)], { now });
    // the re-export with B's line twice: the copy is quarantined as a duplicate (and named as a copy), the first accepted
    const copied = [...RE_EXPORT, 'B,2023-01-06 11:30:00,P1,10.00'];
    const report = await ingestFiles(scratch.warehouse, [write('transactions.csv', copied)], { now });
    expect(report).toMatchObject({ rowsRead: 7, accepted: 6, quarantined: 1, rules: { duplicate: 1 } });
    expect(repeats(report)).toEqual([expect.stringMatching(/^5 of the file's 6 accepted lines without an order id \(revenue 96\.00 of 106\.00\) repeat purchases the warehouse holds from orders\.csv \(ingest 1\)/)]);
    const copies = report.files[0]!.warnings.filter((w) => /exact cop(y|ies) of an earlier line of the file/.test(w));
    // 5 repeats (96.00) + D's new line (10.00) accepted, 1 copy (10.00) quarantined: the file's 7 lines and 116.00, each once
    expect(copies).toEqual([expect.stringMatching(/^1 line is an exact copy of an earlier line of the file \(every column the same\), quarantined as a duplicate with 10\.00 of spend/)]);
    expect(report.files[0]!.copiesWithoutOrderId).toEqual({ lines: 1, amount: 10 });
  });

  it('count a copy kept (--keep-duplicates) as a repeat only as often as the warehouse holds the purchase', async () => {
    await ingestFiles(scratch.warehouse, [write('orders.csv', ORDERS)], { now });
    const report = await ingestFiles(scratch.warehouse, [write('transactions.csv', [...RE_EXPORT, 'B,2023-01-06 11:30:00,P1,10.00'])], { now, rules: { duplicate: false } });
    expect(report).toMatchObject({ rowsRead: 7, accepted: 7, quarantined: 0 });
    // B's two 10.00 at 11:30 against the one held: one repeat
    expect(repeats(report)).toEqual([expect.stringMatching(/^5 of the file's 7 accepted lines without an order id \(revenue 96\.00 of 116\.00\) repeat/)]);
  });

  it('are found as order totals too: one line per order against the order lines held', async () => {
    await ingestFiles(scratch.warehouse, [write('orders.csv', ORDERS)], { now });
    const payments = ['customer_id,paid_at,total', 'A,2023-01-05 10:00:00,45.50', 'B,2023-01-06 11:30:00,10.00', 'C,2023-01-07 09:15:00,15.00', 'A,2023-01-20 16:45:00,25.50', 'E,2023-01-22 08:00:00,30.00', 'B,2023-01-06 11:30:00,99.00'];
    const report = await ingestFiles(scratch.warehouse, [write('payments.csv', payments)], { now, map: { amount: 'total', date: 'paid_at' } });
    expect(report.accepted).toBe(6);
    // B's 99.00 at 11:30 is neither the line held then (10.00) nor, beside the 10.00, the total held (10.00)
    expect(repeats(report)).toEqual([expect.stringMatching(/^4 of the file's 6 accepted lines without an order id \(revenue 96\.00 of 225\.00\) repeat purchases the warehouse holds from orders\.csv \(ingest 1\): the same customer, time and amount/)]);
  });

  it('are counted at most as often as held: a third purchase of the same at the same time is not a repeat', async () => {
    await ingestFiles(scratch.warehouse, [write('first.csv', ['customer_id,date,product_id,amount', 'A,2023-03-01 10:00:00,P1,5.00', 'A,2023-03-01 10:00:00,P1,5.00', 'A,2023-03-01 10:00:00,P2,7.00'])], { now, rules: { duplicate: false } });
    const report = await ingestFiles(scratch.warehouse, [write('second.csv', ['date,customer_id,product_id,amount', '2023-03-01 10:00:00,A,P1,5.00', '2023-03-01 10:00:00,A,P1,5.00', '2023-03-01 10:00:00,A,P1,5.00'])], { now, rules: { duplicate: false } });
    expect(report.accepted).toBe(3);
    expect(repeats(report)).toEqual([expect.stringMatching(/^2 of the file's 3 accepted lines without an order id \(revenue 10\.00 of 15\.00\) repeat purchases/)]);
  });

  it('are not warned about for the next month, nor for a new customer at a held time, nor when the file has order ids', async () => {
    await ingestFiles(scratch.warehouse, [write('orders.csv', ORDERS)], { now });
    const february = await ingestFiles(scratch.warehouse, [write('february.csv', ['customer,date,sku,amount', 'A,2023-02-05 10:00:00,P1,20.00', 'B,2023-02-06 11:30:00,P1,10.00', 'F,2023-02-07 09:00:00,P3,5.00'])], { now });
    expect(february.accepted).toBe(3);
    const otherCustomer = await ingestFiles(scratch.warehouse, [write('other.csv', ['customer,date,sku,amount', 'G,2023-01-05 10:00:00,P1,20.00', 'A,2023-01-05 10:00:01,P1,20.00', 'B,2023-01-06 11:30:00,P1,12.00'])], { now });
    expect(otherCustomer.accepted).toBe(3);
    const withIds = await ingestFiles(scratch.warehouse, [write('with-ids.csv', ['order,customer,date,sku,amount', 'X1,A,2023-01-05 10:00:00,P1,20.00'])], { now, map: { order_id: 'order' } });
    expect(withIds.accepted).toBe(1);
    for (const report of [february, otherCustomer, withIds]) expect(repeats(report)).toEqual([]);
    expect(await count(scratch)).toBe(5 + 3 + 3 + 1);
  });

  it('with dates only: warned about when most lines on held days repeat a purchase, saying the match is by the day', async () => {
    await ingestFiles(scratch.warehouse, [write('orders.csv', ORDERS)], { now });
    const daily = ['customer_id,date,amount', 'A,2023-01-05,45.50', 'B,2023-01-06,10.00', 'C,2023-01-07,15.00', 'A,2023-01-20,25.50', 'E,2023-01-22,30.00'];
    const report = await ingestFiles(scratch.warehouse, [write('daily.csv', daily)], { now });
    expect(report.accepted).toBe(5);
    expect(repeats(report)).toEqual([
      "4 of the file's 5 accepted lines without an order id (revenue 96.00 of 126.00) — 100% of the 4 on days the warehouse holds — repeat purchases it holds from orders.csv (ingest 1): the same customer, day and amount. The dates have no time of day, so a customer buying the same again that day matches too, but this share suggests the file overlaps one ingested before; if it re-exports data ingested before, those purchases now count twice: keep one of the two ingests (clvkit ingests drop 1 --role admin drops ingest 1; to drop this file's instead, its id is the newest in clvkit ingests list)",
    ]);
  });

  it('with dates only: not warned about for an honest file of the same days where one customer bought the same again', async () => {
    await ingestFiles(scratch.warehouse, [write('orders.csv', ORDERS)], { now });
    // the shop's other till, the same January days: A bought 2 × P1 again on the 5th (20.00, as in the order held)
    const till = ['customer_id,date,product_id,amount', 'A,2023-01-05,P1,20.00', 'B,2023-01-06,P3,5.00', 'C,2023-01-05,P1,10.00', 'D,2023-01-07,P2,25.50', 'H,2023-01-09,P2,25.50'];
    const report = await ingestFiles(scratch.warehouse, [write('till.csv', till)], { now });
    expect(report.accepted).toBe(5);
    expect(repeats(report)).toEqual([]); // 1 of the 4 lines on held days (25%)
    expect(await count(scratch)).toBe(10);
  });
});

describe('clvkit ingest of a re-export without order ids', () => {
  useFixedKey(7);
  const scratch = useScratchWarehouse({ threads: 1 });

  it('prints the warning and puts it in --json; dropping either of the two ingests, as it says, leaves the purchases once', async () => {
    const db = join(scratch.dir, 'shop.duckdb');
    const orders = join(scratch.dir, 'orders.csv');
    const again = join(scratch.dir, 'transactions.csv');
    writeFileSync(orders, ORDERS.join('\n') + '\n');
    writeFileSync(again, RE_EXPORT.join('\n') + '\n');
    expect((await cli(['ingest', '--db', db, orders])).code).toBe(0);
    const text = await cli(['ingest', '--db', db, again]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("warning: 5 of the file's 6 accepted lines without an order id (revenue 96.00 of 106.00) repeat purchases the warehouse holds from orders.csv (ingest 1)");
    expect(text.stdout).toContain("keep one of the two ingests (clvkit ingests drop 1 --role admin drops ingest 1; to drop this file's instead, its id is the newest in clvkit ingests list)");
    expect(await held(db)).toEqual({ lines: 11, revenue: 202 });
    // the hint followed: the re-export's ingest dropped, the warehouse holds the orders once (5 lines, 96.00)
    const dropped = await cli(['ingests', 'drop', '2', '--db', db, '--role', 'admin']);
    expect(dropped.code).toBe(0);
    expect(dropped.stdout).toContain('dropped ingest 2 (transactions.csv, transactions');
    expect(await held(db)).toEqual({ lines: 5, revenue: 96 });
    // or the orders' ingest dropped: the re-export holds them once, and D's new purchase (6 lines, 106.00)
    const other = join(scratch.dir, 'other.duckdb');
    expect((await cli(['ingest', '--db', other, orders])).code).toBe(0);
    const json = JSON.parse((await cli(['ingest', '--db', other, '--json', again])).stdout) as IngestReport;
    expect(json.accepted).toBe(6);
    expect(repeats(json)).toEqual([expect.stringMatching(/^5 of the file's 6 accepted lines without an order id \(revenue 96\.00/)]);
    expect((await cli(['ingests', 'drop', '1', '--db', other, '--role', 'admin'])).code).toBe(0);
    expect(await held(other)).toEqual({ lines: 6, revenue: 106 });
  });
});

/** The lines a warehouse file holds and their revenue. */
async function held(db: string): Promise<{ lines: number; revenue: number }> {
  const warehouse = await openDuckDbWarehouse(db);
  try {
    const [row] = await warehouse.query('SELECT count(*) AS n, round(sum(amount), 2) AS revenue FROM transactions');
    return { lines: Number(row!.n), revenue: Number(row!.revenue) };
  } finally {
    await warehouse.close();
  }
}

describe.skipIf(!CLICKHOUSE_URL)(`lines without an order id repeating what a ClickHouse cluster holds${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const keyring = keyringFromKey(generateKey());
  const engines = useTwoEngines('repeated_lines', { threads: 1, timeout: 60_000 });

  it('are warned about in the same words as on DuckDB, at the time and by the day; the next month is not', async () => {
    const dir = scratchDir();
    const write = (name: string, lines: readonly string[]) => writeLines(dir, name, lines);
    const files = [
      write('orders.csv', ORDERS),
      write('transactions.csv', RE_EXPORT),
      // B's 10.00 and 99.00 at 11:30 add up to no total held there: the 10.00 is compared line by line (on the cluster
      // too: the held lines of that slot come back), beside slots of the same total (counted by the shards)
      write('payments.csv', ['customer_id,paid_at,total', 'A,2023-01-05 10:00:00,45.50', 'B,2023-01-06 11:30:00,10.00', 'B,2023-01-06 11:30:00,99.00', 'E,2023-01-22 08:00:00,30.00']),
      write('daily.csv', ['customer_id,date,amount', 'A,2023-01-05,45.50', 'B,2023-01-06,10.00', 'C,2023-01-07,15.00', 'A,2023-01-20,25.50', 'E,2023-01-22,30.00']),
      write('february.csv', ['customer,date,sku,amount', 'A,2023-02-05 10:00:00,P1,20.00', 'B,2023-02-06 11:30:00,P1,10.00']),
    ];
    const warned: string[][] = [];
    for (const file of files) {
      const map = file.endsWith('payments.csv') ? { amount: 'total', date: 'paid_at' } : {};
      const duck = await ingestFiles(engines.duck, [file], { now, keyring, map });
      const cluster = await ingestFilesToClickHouse(engines.clickhouse, [file], { now, keyring, map });
      for (const field of ['rowsRead', 'accepted', 'quarantined', 'rules'] as const) expect(cluster[field]).toEqual(duck[field]);
      expect(repeats(cluster)).toEqual(repeats(duck));
      warned.push(repeats(duck));
    }
    expect(warned[0]).toEqual([]);
    expect(warned[1]).toEqual([expect.stringMatching(/^5 of the file's 6 accepted lines without an order id \(revenue 96\.00 of 106\.00\) repeat purchases the warehouse holds from orders\.csv \(ingest 1\)/)]);
    expect(warned[2]).toEqual([expect.stringMatching(/^2 of the file's 4 accepted lines without an order id \(revenue 55\.50 of 184\.50\) repeat purchases the warehouse holds from orders\.csv \(ingest 1\), transactions\.csv \(ingest 2\): the same customer, time and amount/)]);
    // by the day: the orders, their re-export and the payments (all held now) repeat alike, E's 30.00 too
    expect(warned[3]).toEqual([expect.stringMatching(/^5 of the file's 5 accepted lines without an order id \(revenue 126\.00 of 126\.00\) — 100% of the 5 on days the warehouse holds — repeat purchases it holds from orders\.csv \(ingest 1\), transactions\.csv \(ingest 2\), payments\.csv \(ingest 3\): the same customer, day and amount/)]);
    expect(warned[4]).toEqual([]);
    const [held] = await engines.clickhouse.query('SELECT count(*) AS n FROM transactions');
    expect(Number(held!.n)).toBe(5 + 6 + 4 + 5 + 2);
  }, 120_000);
});
