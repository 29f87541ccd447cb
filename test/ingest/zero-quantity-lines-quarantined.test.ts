/**
 * A line of quantity 0 is neither a purchase nor a return: QA found it accepted and counted as a purchase
 * (`clvkit summarize` gave a customer with one real purchase and two quantity-0 lines frequency 2 and
 * monetary_value 0, and a customer with only a quantity-0 line was a customer). It is quarantined as
 * `zero_quantity`, judged right after bad_number. In a file with only a line amount (no quantity, no unit price), an
 * amount of 0 on a line that is not a return is quarantined as `nonpositive_price`, as a unit price of 0 is; with a
 * quantity, 1 × 0.00 stays a purchase of a free item (the CDNOW sample's $0.00 first purchases count in its published
 * summary: test/features/customer-summary.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REASON_DESCRIPTIONS } from '../../src/ingest/cleaning-rules.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { formatIngestReport } from '../../src/ingest/ingest-report.js';
import { cli } from '../helpers/cli.js';
import { scratchDir, useScratchWarehouse, writeLines } from '../helpers/warehouse.js';

const NOW = new Date('2024-01-01T00:00:00Z');

/** Line 1 is the header. */
const ZEROS = [
  'order_id,customer_id,order_date,product_id,quantity,unit_price',
  '1,Z1,2023-01-05,P1,2,3.50', // 2: accepted
  '2,Z1,2023-02-06,P1,0,3.50', // 3: zero_quantity
  '3,Z1,2023-03-06,P1,0,3.50', // 4: zero_quantity
  '4,Z2,2023-01-06,P1,0,3.50', // 5: zero_quantity
  '5,Z3,2023-01-06,P1,1,3.50', // 6: accepted
  '6,Z3,2023-06-06,P1,1,3.50', // 7: accepted
  'C7,Z3,2023-06-07,P1,-1,3.50', // 8: accepted, a return
  '8,Z4,2023-01-07,P1,0,0', // 9: zero_quantity (judged before nonpositive_price)
  '9,Z4,2023-01-08,P1,x,3.50', // 10: bad_number (judged before zero_quantity)
];

/** Only a line amount (no quantity, no unit price): an amount of 0 is no purchase. */
const AMOUNTS = [
  'order_id,customer_id,order_date,amount',
  '1,Y1,2023-01-05,10', // 2: accepted
  '2,Y1,2023-02-06,0', // 3: nonpositive_price
  '3,Y2,2023-01-06,0', // 4: nonpositive_price
  '4,Y3,2023-01-07,-5', // 5: accepted, a return (negative amount)
];

describe('lines of quantity 0 (and, with only a line amount, amount 0)', () => {
  const scratch = useScratchWarehouse();

  it('quarantines every quantity-0 line as zero_quantity, after bad_number and before nonpositive_price; the counts add up', async () => {
    const report = await ingestFiles(scratch.warehouse, [writeLines(scratch.dir, 'zeros.csv', ZEROS)], { now: NOW });
    expect(report).toMatchObject({ rowsRead: 9, accepted: 4, quarantined: 5, returns: 1 });
    expect(report.rules).toMatchObject({ zero_quantity: 4, bad_number: 1, nonpositive_price: 0 });
    expect(report.accepted + report.quarantined).toBe(report.rowsRead);
    const quarantine = await scratch.warehouse.query('SELECT line, reason FROM quarantine ORDER BY line');
    expect(quarantine.map((r) => [r.line, r.reason])).toEqual([
      [3, 'zero_quantity'],
      [4, 'zero_quantity'],
      [5, 'zero_quantity'],
      [9, 'zero_quantity'],
      [10, 'bad_number'],
    ]);
    const customers = await scratch.warehouse.query('SELECT DISTINCT customer_id FROM transactions');
    expect(customers).toHaveLength(2);
    const text = formatIngestReport(report);
    expect(text).toMatch(/\n {2}bad_number +1 .*\n {2}zero_quantity +4 {3}quantity zero and no amount: neither a purchase nor a return\n {2}nonpositive_price +0 /);
  });

  it('with only a line amount, quarantines an amount of 0 that is not a return as nonpositive_price', async () => {
    const report = await ingestFiles(scratch.warehouse, [writeLines(scratch.dir, 'zamt.csv', AMOUNTS)], { now: NOW });
    expect(report).toMatchObject({ rowsRead: 4, accepted: 2, quarantined: 2, returns: 1 });
    expect(report.rules).toMatchObject({ nonpositive_price: 2, zero_quantity: 0 });
    const quarantine = await scratch.warehouse.query('SELECT line, reason FROM quarantine ORDER BY line');
    expect(quarantine.map((r) => [r.line, r.reason])).toEqual([
      [3, 'nonpositive_price'],
      [4, 'nonpositive_price'],
    ]);
    expect(REASON_DESCRIPTIONS.nonpositive_price).toBe('unit price zero or negative (or, without a unit price, a line amount that is negative and not a return, or zero and not a return in a file without quantities)');
  });

  it('with a quantity and a line amount (CDNOW): 1 × 0.00 is a free item, kept as a purchase; quantity 0 is zero_quantity', async () => {
    const lines = ['customer_id,order_date,quantity,amount', 'X1,2023-01-05,1,0.00', 'X1,2023-02-05,0,0.00', 'X2,2023-01-06,2,9.00', 'X2,2023-01-07,1,-3.00'];
    const report = await ingestFiles(scratch.warehouse, [writeLines(scratch.dir, 'cds.csv', lines)], { now: NOW });
    expect(report).toMatchObject({ rowsRead: 4, accepted: 3, quarantined: 1, returns: 1 });
    expect(report.rules).toMatchObject({ zero_quantity: 1, nonpositive_price: 0 });
    const quarantine = await scratch.warehouse.query('SELECT line, reason FROM quarantine ORDER BY line');
    expect(quarantine.map((r) => [r.line, r.reason])).toEqual([[3, 'zero_quantity']]);
  });

  it('a quantity-0 line that carries an amount is no zero_quantity: a negative one is a return (a partial refund), a positive one a purchase (a fee, a service)', async () => {
    // the review of the first zero_quantity rule: it quarantined both as "neither a purchase nor a return"
    const lines = ['customer_id,order_id,order_date,quantity,amount', 'A,1,2023-01-05,1,30', 'A,2,2023-02-06,0,-20', 'B,3,2023-01-07,0,25', 'B,4,2023-01-08,0,0'];
    const report = await ingestFiles(scratch.warehouse, [writeLines(scratch.dir, 'refunds.csv', lines)], { now: NOW });
    expect(report).toMatchObject({ rowsRead: 4, accepted: 3, quarantined: 1, returns: 1 });
    expect(report.rules).toMatchObject({ zero_quantity: 1, nonpositive_price: 0 });
    const quarantine = await scratch.warehouse.query('SELECT line, reason FROM quarantine ORDER BY line');
    expect(quarantine.map((r) => [r.line, r.reason])).toEqual([[5, 'zero_quantity']]);
    const held = await scratch.warehouse.query('SELECT customer_id, amount, is_return FROM transactions ORDER BY order_id');
    expect(held.map((r) => [Number(r.amount), r.is_return])).toEqual([
      [30, false],
      [-20, true],
      [25, false],
    ]);
  });

  it('rules.nonpositivePrice false keeps lines of no value, quantity 0 among them (one switch for both)', async () => {
    const report = await ingestFiles(scratch.warehouse, [writeLines(scratch.dir, 'zeros.csv', ZEROS)], { now: NOW, rules: { nonpositivePrice: false } });
    expect(report).toMatchObject({ rowsRead: 9, accepted: 8, quarantined: 1 });
    expect(report.rules).toMatchObject({ zero_quantity: 0, bad_number: 1 });
  });

  it('summarize counts only real purchases: Z1 frequency 0, Z2 (quantity-0 lines only) is no customer', async () => {
    const dir = scratchDir();
    const out = join(dir, 'summary.csv');
    const run = await cli(['summarize', writeLines(dir, 'zeros.csv', ZEROS.slice(0, 7)), '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('6 rows read, 3 accepted, 3 quarantined');
    expect(readFileSync(out, 'utf8').trim().split('\n')).toEqual([
      'customer_id,frequency,recency,T,monetary_value,time_unit',
      'Z1,0.0,0.0,152.0,0.0,day',
      'Z3,1.0,151.0,151.0,3.5,day',
    ]);
    const amounts = join(dir, 'amounts.csv');
    const byAmount = await cli(['summarize', writeLines(dir, 'zamt.csv', AMOUNTS.slice(0, 4)), '--out', amounts]);
    expect(byAmount.code).toBe(0);
    expect(readFileSync(amounts, 'utf8').trim().split('\n')).toEqual(['customer_id,frequency,recency,T,monetary_value,time_unit', 'Y1,0.0,0.0,0.0,0.0,day']);
  });
});
