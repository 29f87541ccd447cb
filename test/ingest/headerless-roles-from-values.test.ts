import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

// A transactions file without a header: its roles are guessed from the values (guess-column-roles.ts). The guess took
// the left-most column for the customer, which in an order-line export is the order id (20,726 "customers" who each
// bought once in Online Retail, instead of 4,334), and the right-most decimal column for the line total, which was the
// unit price (Online Retail) or the cost (clvkit synth). Regression of a new user's trial on those two files.
const NOW = new Date('2024-01-01T00:00:00Z');

const PRODUCTS = [
  ['85123A', 'WHITE HANGING HEART T-LIGHT HOLDER', 2.55],
  ['71053', 'WHITE METAL LANTERN', 3.39],
  ['84406B', 'CREAM CUPID HEARTS COAT HANGER', 2.75],
  ['22752', 'SET 7 BABUSHKA NESTING BOXES', 7.65],
  ['21730', 'GLASS STAR FROSTED T-LIGHT HOLDER', 4.25],
  ['22633', 'HAND WARMER UNION JACK', 1.85],
] as const;
const QUANTITIES = [6, 1, 24, 2, 12, 3, 48, 8, 1, 36, 4, 2];

/** Online Retail's layout: InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country */
function onlineRetailLike(): { text: string; value: number } {
  const lines: string[] = [];
  let invoice = 536365;
  let k = 0;
  let value = 0;
  for (let day = 1; day <= 4; day += 1) {
    for (const [customer, country] of [['17850', 'United Kingdom'], ['13047', 'United Kingdom'], ['12583', 'France'], ['', 'United Kingdom']] as const) {
      const time = `2010-12-0${day} ${String(8 + (k % 9)).padStart(2, '0')}:${String(k % 60).padStart(2, '0')}:00`;
      for (let line = 0; line < 2 + (k % 3); line += 1) {
        const [code, description, price] = PRODUCTS[(k + line * 5) % PRODUCTS.length]!;
        const quantity = QUANTITIES[(k * 7 + line) % QUANTITIES.length]!;
        lines.push(`${invoice},${code},${description},${quantity},${time},${price},${customer},${country}`);
        if (customer !== '') value += quantity * price;
      }
      invoice += 1;
      k += 1;
    }
  }
  return { text: `${lines.join('\n')}\n`, value };
}

/** clvkit synth's layout: order_id, customer_id, order_date, product_id, description, quantity, unit_price, country, cost */
function synthLike(): { text: string; value: number } {
  const lines: string[] = [];
  let order = 500000;
  let k = 0;
  let value = 0;
  for (let customer = 100001; customer <= 100005; customer += 1) {
    for (let month = 1; month <= 3; month += 1) {
      const date = `2022-${String(month + (customer % 3)).padStart(2, '0')}-${String(3 + ((customer + month) % 20)).padStart(2, '0')}T${String(9 + (k % 12)).padStart(2, '0')}:26:53`;
      for (let line = 0; line < 1 + (k % 4); line += 1) {
        const product = 10345 + ((k * 3 + line * 7) % 11);
        const price = [4.87, 4.29, 2.1, 12.5, 6.95, 3.25][(k + line) % 6]!;
        const quantity = 1 + ((k * 5 + line * 3) % 5);
        const cost = Math.round(quantity * price * (0.35 + ((product % 4) * 0.07)) * 100) / 100;
        lines.push(`${order},${customer},${date},${product},RUSTIC ITEM ${product},${quantity},${price},United Kingdom,${cost}`);
        value += quantity * price;
      }
      order += 1;
      k += 1;
    }
  }
  return { text: `${lines.join('\n')}\n`, value };
}

async function ingestText(text: string) {
  const path = join(scratchDir(), 'orders.csv');
  writeFileSync(path, text);
  const warehouse = await memoryWarehouse(1);
  try {
    const report = await ingestFiles(warehouse, [path], { now: NOW });
    const [row] = await warehouse.query('SELECT count(DISTINCT customer_id) AS customers, count(DISTINCT order_id) AS orders, sum(amount) AS value FROM transactions');
    return { file: report.files[0]!, customers: Number(row!.customers), orders: Number(row!.orders), value: Number(row!.value) };
  } finally {
    await warehouse.close();
  }
}

describe('the roles of a file without a header, guessed from its values', () => {
  it('Online Retail layout: the customer is the id an invoice determines, the value quantity × unit price', async () => {
    const { text, value } = onlineRetailLike();
    const { file, customers, orders, value: stored } = await ingestText(text);
    expect(file.hasHeader).toBe(false);
    expect(file.mapping).toEqual({ order_id: 'column1', product_id: 'column2', quantity: 'column4', date: 'column5', unit_price: 'column6', customer_id: 'column7' });
    expect(file.warnings.join('\n')).toContain('no header: guessed order_id=1, product_id=2, quantity=4, date=5, unit_price=6, customer_id=7 from the values; override with --map role=position');
    expect(customers).toBe(3);
    expect(orders).toBe(12);
    expect(stored).toBeCloseTo(value, 6);
  });

  it('clvkit synth layout: the customer is column 2, not the order id; the cost is not the order value', async () => {
    const { text, value } = synthLike();
    const { file, customers, orders, value: stored } = await ingestText(text);
    expect(file.mapping).toEqual({ order_id: 'column1', customer_id: 'column2', date: 'column3', product_id: 'column4', quantity: 'column6', unit_price: 'column7' });
    expect(file.unreadColumns).toEqual(['column5', 'column8', 'column9']);
    expect(customers).toBe(5);
    expect(orders).toBe(15);
    expect(stored).toBeCloseTo(value, 6);
  });

  it('two id columns, every value of each on one date: the customer guessed is named as a doubt, with the --map to fix it', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => `${900100 + i},${4100 + i},2023-0${1 + (i % 9)}-1${i % 10},${(12.5 + i * 3.25).toFixed(2)}`);
    const { file, customers } = await ingestText(`${lines.join('\n')}\n`);
    expect(file.mapping).toEqual({ customer_id: 'column1', date: 'column3', amount: 'column4' });
    expect(customers).toBe(12);
    expect(file.warnings.join('\n')).toContain(
      'no header: the customer id guessed, column 1, has one purchase date for each of its values (12 in the first rows read), as an order id would: if column 2 is the customer id, pass --map customer_id=2',
    );
  });

  it('the CDNOW layout (two customer ids, no order id) keeps its guess and has no such doubt', async () => {
    const path = ' 00004 0001 19970101  2   29.33\n 00004 0001 19970118  2   29.73\n 00021 0002 19970101  3   63.34\n 00021 0002 19970310  1   11.77\n 00050 0003 19970101  1   13.97\n';
    const { file } = await ingestText(path);
    expect(file.mapping).toEqual({ customer_id: 'column1', date: 'column3', quantity: 'column4', amount: 'column5' });
    expect(file.warnings.join('\n')).not.toContain('as an order id would');
  });

  // review: the count was guessed first, as the right-most small whole-number column, so a customer id numbered from 1
  // or a store code became the quantity and the order value price × id (revenue 538,955 against 18,172; 179,306 against
  // 96,014). A count differs between the lines of an order; without an order id the value is the line total.
  it('a customer id numbered from 1 beside single-line orders is not a count: the decimal column stays the line total', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `${1000 + i},${1 + ((i * 7) % 12)},2023-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')},${(20 + i * 1.37).toFixed(2)}`);
    const truth = Array.from({ length: 40 }, (_, i) => Number((20 + i * 1.37).toFixed(2))).reduce((a, b) => a + b, 0);
    const { file, value } = await ingestText(`${lines.join('\n')}\n`);
    expect(file.mapping.amount).toBe('column4');
    expect(file.mapping.unit_price).toBeUndefined();
    expect(value).toBeCloseTo(truth, 6);
  });

  it('a store code the same on every line of an order is not the count: the quantity is the column that differs within orders', async () => {
    const lines: string[] = [];
    let truth = 0;
    // 40 orders of 20 customers in 12 stores (a customer id has more values than a store code)
    for (let o = 0; o < 40; o += 1) {
      const customer = 900000 + ((o * 7) % 20) * 1111;
      const store = 1 + (o % 12);
      const date = `2023-${String(1 + (o % 12)).padStart(2, '0')}-${String(1 + (o % 27)).padStart(2, '0')}`;
      for (let l = 0; l < 2 + (o % 3); l += 1) {
        const quantity = 1 + ((o + 2 * l) % 6);
        const price = [19.01, 18.28, 16.79, 4.5, 7.25][(o + l) % 5]!;
        lines.push(`${500000 + o},${customer},${date},SKU${(o * 3 + l * 7) % 40},${quantity},${price},${store}`);
        truth += quantity * price;
      }
    }
    const { file, value } = await ingestText(`${lines.join('\n')}\n`);
    expect(file.mapping).toMatchObject({ order_id: 'column1', customer_id: 'column2', date: 'column3', quantity: 'column5', unit_price: 'column6' });
    expect(value).toBeCloseTo(truth, 6);
  });

  // second review: requiring an order id and a count that differs within most orders lost the quantity of two common
  // layouts (revenue Σ price): no order id (customer, date, qty, unit price), and an order id with qty 1 on most lines
  it('no order id: a count of few values beside a price still gives quantity × unit price', async () => {
    const lines: string[] = [];
    let truth = 0;
    for (let i = 0; i < 200; i += 1) {
      const quantity = [1, 1, 2, 1, 3, 6, 1, 2, 12, 1][i % 10]!;
      const price = [2.55, 3.39, 7.65, 4.25, 1.85, 12.5, 0.85][(i * 3) % 7]!;
      lines.push(`C${1000 + (i % 45)},2023-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + ((i * 7) % 27)).padStart(2, '0')},${quantity},${price}`);
      truth += quantity * price;
    }
    const { file, value } = await ingestText(`${lines.join('\n')}\n`);
    expect(file.mapping).toEqual({ customer_id: 'column1', date: 'column2', quantity: 'column3', unit_price: 'column4' });
    expect(value).toBeCloseTo(truth, 6);
  });

  it('an order id, and a quantity of 1 on most lines: the quantity still counts', async () => {
    const lines: string[] = [];
    let truth = 0;
    for (let o = 0; o < 60; o += 1) {
      const date = `2023-${String(1 + (o % 12)).padStart(2, '0')}-${String(1 + (o % 27)).padStart(2, '0')}`;
      for (let l = 0; l < 2 + (o % 3); l += 1) {
        const quantity = (o * 5 + l) % 7 === 0 ? 4 : 1;
        const price = [19.01, 18.28, 16.79, 4.5, 7.25][(o + l) % 5]!;
        lines.push(`INV${5000 + o},P${(o * 3 + l * 7) % 40},${quantity},${date},${price},${1 + ((o * 7) % 25)}`);
        truth += quantity * price;
      }
    }
    const { file, value } = await ingestText(`${lines.join('\n')}\n`);
    expect(file.mapping).toMatchObject({ order_id: 'column1', quantity: 'column3', date: 'column4', unit_price: 'column5', customer_id: 'column6' });
    expect(value).toBeCloseTo(truth, 6);
  });
});
