/**
 * What `campaign evaluate` counts as a purchase. A user trial: on files without order ids every line counted as one
 * purchase — treatment vs control 6.05 vs 5.58 purchases per customer, where the same window on the file with order ids
 * gave 0.34 vs 0.30. Purchases are now counted as the customer summary counts a customer's orders: distinct order ids,
 * and where the lines have none, purchase days (per customer the larger count); the output says which.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

const CUSTOMERS = 40;
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('campaign evaluate counts purchases, not lines', () => {
  it('on lines without order ids: a customer’s lines of one day are one purchase, and the output says purchases are purchase days', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    // history without order ids: three lines (products) per purchase day
    const history = ['customer_id,date,product_id,amount'];
    for (let c = 1; c <= CUSTOMERS; c++) for (const day of ['2023-03-10', '2023-05-20']) for (let k = 1; k <= 3; k++) history.push(`P${c},${day},SKU${k},${5 * k}`);
    writeFileSync(join(dir, 'history.csv'), history.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'history.csv'), '--db', db])).code).toBe(0);
    const drawn = await cli(['audience', 'create', '--db', db, '--name', 'july', '--where', 'TRUE', '--holdout', '0.5', '--seed', '3', '--send-date', '2023-07-01', '--role', 'admin', '--reveal-ids', '--out', join(dir, 'july.csv')]);
    expect(drawn.code, drawn.stderr).toBe(0);
    const groupOf = new Map(readFileSync(join(dir, 'july.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(',')).map((r) => [r[2]!, r[1]!]));
    expect(groupOf.size).toBe(CUSTOMERS);
    // July: customer c buys on c % 3 days, four lines each
    const july = ['customer_id,date,product_id,amount'];
    const days = new Map<string, number>();
    for (let c = 1; c <= CUSTOMERS; c++) {
      days.set(`P${c}`, c % 3);
      for (let d = 1; d <= c % 3; d++) for (let k = 1; k <= 4; k++) july.push(`P${c},2023-07-${String(2 * d + (c % 5)).padStart(2, '0')},SKU${k},${4 * k}`);
    }
    writeFileSync(join(dir, 'july.csv'), july.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'july.csv'), '--db', db])).code).toBe(0);
    const expected = (group: string) => mean([...groupOf].filter(([, g]) => g === group).map(([id]) => days.get(id)!));

    const run = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'july', '--from', '2023-07-01', '--to', '2023-07-31', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { purchases: { treatment: number; control: number }; purchasesCounted: string };
    expect(result.purchasesCounted).toBe('purchase days');
    expect(result.purchases.treatment).toBeCloseTo(expected('treatment'), 12);
    expect(result.purchases.control).toBeCloseTo(expected('control'), 12);
    const text = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'july', '--from', '2023-07-01', '--to', '2023-07-31']);
    expect(text.stdout).toContain("purchases are purchase days: the window's lines have no order ids, and a customer's lines of one day are one purchase, as analyze counts them");

    // August: half the customers' orders carry ids (two orders of two lines on one day), the others' lines none (one day)
    const august = ['order_id,customer_id,date,product_id,amount'];
    for (let c = 1; c <= CUSTOMERS; c++) {
      if (c % 2 === 0) for (const order of ['X', 'Y']) for (let k = 1; k <= 2; k++) august.push(`${order}${c},P${c},2023-08-05,SKU${k},${3 * k}`);
      else for (let k = 1; k <= 3; k++) august.push(`,P${c},2023-08-06,SKU${k},${2 * k}`);
    }
    writeFileSync(join(dir, 'august.csv'), august.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'august.csv'), '--db', db])).code).toBe(0);
    const mixed = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'july', '--from', '2023-08-01', '--to', '2023-08-31', '--json']);
    expect(mixed.code, mixed.stderr).toBe(0);
    const both = JSON.parse(mixed.stdout) as { purchases: { treatment: number; control: number }; purchasesCounted: string };
    expect(both.purchasesCounted).toBe('orders and purchase days');
    const august2 = (group: string) => mean([...groupOf].filter(([, g]) => g === group).map(([id]) => (Number(id.slice(1)) % 2 === 0 ? 2 : 1)));
    expect(both.purchases.treatment).toBeCloseTo(august2('treatment'), 12);
    expect(both.purchases.control).toBeCloseTo(august2('control'), 12);

    // September from a file of ids and dates only: purchases counted, revenue and margin unknown (not 0 against 0)
    const september = ['customer_id,date'];
    for (let c = 1; c <= CUSTOMERS; c += 2) september.push(`P${c},2023-09-0${1 + (c % 9)}`);
    writeFileSync(join(dir, 'september.csv'), september.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'september.csv'), '--db', db])).code).toBe(0);
    const visits = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'july', '--from', '2023-09-01', '--to', '2023-09-30', '--json']);
    expect(visits.code, visits.stderr).toBe(0);
    const unvalued = JSON.parse(visits.stdout) as { purchases: { treatment: number; control: number }; purchasesCounted: string; revenue: unknown; margin: unknown; unavailable: Record<string, string> };
    expect(unvalued.purchasesCounted).toBe('purchase days');
    const september2 = (group: string) => mean([...groupOf].filter(([, g]) => g === group).map(([id]) => Number(id.slice(1)) % 2));
    expect(unvalued.purchases.treatment).toBeCloseTo(september2('treatment'), 12);
    expect([unvalued.revenue, unvalued.margin]).toEqual([null, null]);
    expect(unvalued.unavailable.revenue).toBe("the window's purchases have no order values (a file of customer ids and dates): revenue and margin cannot be measured");
    // August and September together: a part of the lines without an amount is said
    const part = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'july', '--from', '2023-08-01', '--to', '2023-09-30', '--json']);
    expect(part.code, part.stderr).toBe(0);
    expect((JSON.parse(part.stdout) as { warnings: string[] }).warnings).toContain("20 of the window's 160 purchase lines have no amount (a file without order values): revenue and margin count them as 0, purchases and buyers count them");
  }, 120_000);
});
