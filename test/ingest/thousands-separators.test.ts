/**
 * Numbers with a thousands separator were misread without a word: a fallback
 * took any `12,345` for a decimal comma, so `1,234` became 1.234 and a
 * quantity of `1,000` became 1, while `1,234.50` was quarantined; on a
 * European file `1.234` (dot grouping) passed the plain cast as 1.234. Each
 * file's decimal separator is now decided once, from its sampled numbers
 * (`decimalSeparator`, `--decimal-separator`), and every value is read by it
 * or quarantined as bad_number.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors/user-error.js';
import { ingestFiles, type IngestOptions } from '../../src/ingest/ingest-files.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const NOW = new Date('2025-01-01T00:00:00Z');

/** The four rows of the defect report: 1,234 / 2.50 / 1,234.50 / a quantity of 1,000. */
const US = ['customer_id,order_id,date,quantity,price', 'c1,o1,2023-01-05,1,"1,234"', 'c2,o2,2023-01-06,2,2.50', 'c3,o3,2023-01-07,1,"1,234.50"', 'c4,o4,2023-01-08,"1,000",1.00'];
/** The same four rows as a European shop writes them: `;` between fields, dots group thousands, a decimal comma. */
const EU = ['customer_id;order_id;date;quantity;price', 'c1;o1;2023-01-05;1;1.234', 'c2;o2;2023-01-06;2;2,50', 'c3;o3;2023-01-07;1;1.234,50', 'c4;o4;2023-01-08;1.000;1,00'];
/** What both files mean: order, quantity, unit price, amount. */
const MEANT = [
  ['o1', 1, 1234, 1234],
  ['o2', 2, 2.5, 5],
  ['o3', 1, 1234.5, 1234.5],
  ['o4', 1000, 1, 1000],
];

function write(dir: string, name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('thousands separators and decimal commas', () => {
  const scratch = useScratchWarehouse({ threads: 1 });
  const ingest = (name: string, lines: readonly string[], options: IngestOptions = {}) => ingestFiles(scratch.warehouse, [write(scratch.dir, name, lines)], { now: NOW, ...options });
  const held = async () => (await scratch.warehouse.query('SELECT order_id, quantity, unit_price, amount FROM transactions ORDER BY order_id')).map((r) => [r.order_id, r.quantity, r.unit_price, r.amount]);
  const quarantined = async () => (await scratch.warehouse.query('SELECT line, reason, detail FROM quarantine ORDER BY line')).map((r) => [r.line, r.reason, r.detail]);

  it('a US-style file: 1,234 is 1234, 1,234.50 is 1234.5, a quantity of 1,000 is 1000 (decimal point detected from 2.50)', async () => {
    const report = await ingest('us.csv', US);
    expect([report.rowsRead, report.accepted, report.quarantined]).toEqual([4, 4, 0]);
    expect(await held()).toEqual(MEANT);
    expect(report.files[0]!.decimalSeparator).toBe('.');
    expect(report.files[0]!.warnings).toEqual([]);
  });

  it('an EU-style file (;, 1.234,50): 1.234 is 1234, 2,50 is 2.5, a quantity of 1.000 is 1000 (decimal comma detected)', async () => {
    const report = await ingest('eu.csv', EU);
    expect([report.rowsRead, report.accepted, report.quarantined]).toEqual([4, 4, 0]);
    expect(await held()).toEqual(MEANT);
    expect(report.files[0]!.decimalSeparator).toBe(',');
    expect(report.files[0]!.warnings).toEqual([]);
  });

  it('currency signs and minus signs around grouped numbers, both styles', async () => {
    const report = await ingest('signs.csv', ['customer_id,order_id,date,amount', 'a,o1,2023-01-05,"$1,234.50"', 'a,o2,2023-01-06,"-$1,234"', 'b,o3,2023-01-07,"1,234,567"', 'b,o4,2023-01-08,0.99']);
    expect(report.accepted).toBe(4);
    expect((await held()).map((r) => r[3])).toEqual([1234.5, -1234, 1234567, 0.99]);
    const eu = await ingest('signs-eu.csv', ['customer_id;order_id;date;amount', 'a;p1;2023-01-05;€1.234,50', 'a;p2;2023-01-06;-1.234', 'b;p3;2023-01-07;1.234.567', 'b;p4;2023-01-08;0,99', 'b;p5;2023-01-09;1234,5']);
    expect(eu.accepted).toBe(5);
    expect((await scratch.warehouse.query("SELECT amount FROM transactions WHERE order_id LIKE 'p%' ORDER BY order_id")).map((r) => r.amount)).toEqual([1234.5, -1234, 1234567, 0.99, 1234.5]);
  });

  // review: `$12 EUR` (a dollar sign and a euro code) was read as 12, one of the two currencies silently dropped
  it('an amount with the signs of two different currencies is quarantined as bad_number, its detail saying so', async () => {
    const report = await ingest('two-currencies.csv', ['customer_id,order_id,date,amount', 'a,o1,2023-01-05,$12 EUR', 'a,o2,2023-01-06,$12 USD', 'b,o3,2023-01-07,12 USD', 'b,o4,2023-01-08,€12', 'c,o5,2023-01-09,"€1,234.50 GBP"']);
    expect([report.rowsRead, report.accepted, report.quarantined, report.rules.bad_number]).toEqual([5, 3, 2, 2]);
    expect(await held()).toEqual([['o2', 1, 12, 12], ['o3', 1, 12, 12], ['o4', 1, 12, 12]]);
    expect(await quarantined()).toEqual([
      [2, 'bad_number', 'amount: $12 EUR (signs of two different currencies)'],
      [6, 'bad_number', 'amount: €1,234.50 GBP (signs of two different currencies)'],
    ]);
    // whole numbers only (no separator decided): the same reason, not '(not a number)'
    const whole = await ingest('two-currencies-whole.csv', ['customer_id,order_id,date,amount', 'd,o6,2023-01-10,£7 EUR', 'd,o7,2023-01-11,7']);
    expect([whole.files[0]!.decimalSeparator, whole.accepted, whole.rules.bad_number]).toEqual([undefined, 1, 1]);
    expect((await quarantined()).filter((r) => String(r[2]).startsWith('amount: £7'))).toEqual([[2, 'bad_number', 'amount: £7 EUR (signs of two different currencies)']]);
  });

  it('only 1,234-shaped values and nothing else to tell: refused with both readings in the hint, nothing added', async () => {
    const lines = ['customer_id,order_id,date,quantity,price', 'c1,o1,2023-01-05,1,"1,234"', 'c2,o2,2023-01-06,2,"2,500"', 'c3,o3,2023-01-07,1,15'];
    const error = await ingest('ambiguous.csv', lines).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/numbers such as 1,234 \(column price\) may use a decimal point or a decimal comma/);
    expect((error as UserError).hint).toMatch(/--decimal-separator \. \(reads 1,234 as 1234\) or --decimal-separator , \(reads it as 1\.234\)/);
    expect((await scratch.warehouse.query('SELECT count(*) AS n FROM ingests'))[0]!.n).toBe(0);
    // the same for a dot: 1.234 alone could be 1.234 or 1234
    await expect(ingest('ambiguous-dot.csv', ['customer_id,date,amount', 'a,2023-01-05,1.234', 'b,2023-01-06,7'])).rejects.toThrow(/numbers such as 1\.234 \(column amount\) may use a decimal point or a decimal comma/);
  });

  const AMBIGUOUS = ['customer_id,order_id,date,quantity,price', 'c1,o1,2023-01-05,1,"1,234"', 'c2,o2,2023-01-06,2,"2,500"'];

  it('typed numbers (JSON Lines) are written with a decimal point: 1.234 there is 1.234, not refused', async () => {
    const path = join(scratch.dir, 'orders.jsonl');
    writeFileSync(path, ['{"customer_id":"a","order_id":"j1","date":"2023-01-05","amount":1.234}', '{"customer_id":"b","order_id":"j2","date":"2023-01-06","amount":2}'].join('\n') + '\n');
    const report = await ingestFiles(scratch.warehouse, [path], { now: NOW });
    expect([report.files[0]!.decimalSeparator, report.accepted]).toEqual(['.', 2]);
    expect((await held()).map((r) => r[3])).toEqual([1.234, 2]);
  });

  it('decimalSeparator . reads an ambiguous file with a decimal point: 1,234 is 1234', async () => {
    expect((await ingest('a.csv', AMBIGUOUS, { decimalSeparator: '.' })).files[0]!.decimalSeparator).toBe('.');
    expect((await held()).map((r) => r[2])).toEqual([1234, 2500]);
  });

  it('decimalSeparator , reads the same file with a decimal comma: 1,234 is 1.234', async () => {
    expect((await ingest('b.csv', AMBIGUOUS, { decimalSeparator: ',' })).files[0]!.decimalSeparator).toBe(',');
    expect((await held()).map((r) => r[2])).toEqual([1.234, 2.5]);
  });

  it('a US file read with --decimal-separator , : the rows that fit are read so, the others quarantined as bad_number with the value named, and a warning', async () => {
    const report = await ingest('us.csv', US, { decimalSeparator: ',' });
    expect(report.files[0]!.decimalSeparator).toBe(',');
    expect([report.rowsRead, report.accepted, report.quarantined, report.rules.bad_number]).toEqual([4, 1, 3, 3]);
    expect(await held()).toEqual([['o1', 1, 1.234, 1.234]]);
    expect(await quarantined()).toEqual([
      [3, 'bad_number', 'price: 2.50 (not a number with a decimal comma, the separator of this file)'],
      [4, 'bad_number', 'price: 1,234.50 (not a number with a decimal comma, the separator of this file)'],
      [5, 'bad_number', 'price: 1.00 (not a number with a decimal comma, the separator of this file)'],
    ]);
    expect(report.files[0]!.warnings.join(' ')).toMatch(/3 sampled numbers \(e\.g\. .+\) do not fit a decimal comma, as --decimal-separator gives: their rows are quarantined as bad_number/);
  });

  it('conflicting evidence: the majority decides, the rows of the other style are quarantined (counts add up) and a warning says so', async () => {
    const report = await ingest('mixed.csv', [...US, 'c5,o5,2023-01-09,1,"3,99"']);
    expect(report.files[0]!.decimalSeparator).toBe('.');
    expect([report.rowsRead, report.accepted, report.quarantined, report.rules.bad_number]).toEqual([5, 4, 1, 1]);
    expect(report.accepted + report.quarantined).toBe(report.rowsRead);
    expect(await held()).toEqual(MEANT);
    expect(await quarantined()).toEqual([[6, 'bad_number', 'price: 3,99 (not a number with a decimal point, the separator of this file)']]);
    expect(report.files[0]!.warnings.join(' ')).toMatch(
      /sampled numbers disagree: 3 use a decimal point \(e\.g\. .+\), 1 a decimal comma \(e\.g\. 3,99\); read with a decimal point, the majority: the rows of the other are quarantined as bad_number; pass --decimal-separator , if the file uses a decimal comma/,
    );
    // a tie is refused
    await expect(ingest('tie.csv', ['customer_id,date,amount', 'a,2023-01-05,2.50', 'b,2023-01-06,"3,99"'])).rejects.toThrow(/sampled numbers disagree: 1 use a decimal point \(e\.g\. 2\.50\), 1 a decimal comma \(e\.g\. 3,99\)/);
  });

  it('a file whose sampled rows hold whole numbers only: further down, each value is read by the one separator it fits, and 1,234 / 1.234 are quarantined', async () => {
    const head = Array.from({ length: 20_000 }, (_, i) => `c${i},2023-01-05,${(i % 90) + 10}`);
    const report = await ingest('long.csv', ['customer_id,date,amount', ...head, 'x1,2023-02-01,"1,234"', 'x2,2023-02-02,"12,5"', 'x3,2023-02-03,2.50', 'x4,2023-02-04,1.234', 'x5,2023-02-05,"1,234.50"']);
    expect(report.files[0]!.decimalSeparator).toBeUndefined();
    expect([report.rowsRead, report.accepted, report.quarantined, report.rules.bad_number]).toEqual([20_005, 20_003, 2, 2]);
    const tail = await scratch.warehouse.query("SELECT amount FROM transactions WHERE source = 'long.csv' AND ts >= '2023-02-01' ORDER BY ts");
    expect(tail.map((r) => r.amount)).toEqual([12.5, 2.5, 1234.5]);
    expect((await quarantined()).map((r) => r[2])).toEqual([
      'amount: 1,234 (a decimal point or a decimal comma? the sampled rows do not say: pass --decimal-separator)',
      'amount: 1.234 (a decimal point or a decimal comma? the sampled rows do not say: pass --decimal-separator)',
    ]);
  });

  it('customer profiles read their acquisition cost by the file’s separator too', async () => {
    const report = await ingest('customers.csv', ['customer_id;signup_date;acquisition_channel;acquisition_cost', 'C1;2023-02-01;paid;1.234,50', 'C2;2023-02-02;paid;12,5', 'C3;2023-02-03;paid;1.500', 'C4;2023-02-04;paid;2.50'], { kind: 'customers' });
    expect(report.files[0]!.decimalSeparator).toBe(',');
    expect([report.rowsRead, report.accepted, report.rules.bad_number]).toEqual([4, 3, 1]);
    const costs = await scratch.warehouse.query('SELECT acquisition_cost FROM customers ORDER BY acquisition_cost');
    expect(costs.map((r) => r.acquisition_cost)).toEqual([12.5, 1234.5, 1500]);
    expect(await quarantined()).toEqual([[5, 'bad_number', 'acquisition_cost: 2.50 (not a number with a decimal comma, the separator of this file)']]);
  });
});
