import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ShopTruth } from '../../src/synth/shop-truth.js';

/** A generated CSV: header and rows split on commas (the generator never writes commas inside fields; `readCsv` checks the field count). */
export interface Csv {
  readonly header: string[];
  readonly rows: string[][];
  col(name: string): number;
}

export function readCsv(path: string): Csv {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((line, i) => {
    const fields = line.split(',');
    if (fields.length !== header.length) throw new Error(`${path} line ${i + 2}: ${fields.length} fields, header has ${header.length}: ${line}`);
    return fields;
  });
  return {
    header,
    rows,
    col(name: string): number {
      const index = header.indexOf(name);
      if (index < 0) throw new Error(`${path}: no column ${name} in ${header.join(',')}`);
      return index;
    },
  };
}

export function readTruth(dir: string): ShopTruth {
  return JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as ShopTruth;
}

/** One customer order (accepted purchase, no returns, guests or postage), de-duplicated. */
export interface ShopOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly ms: number;
  readonly products: Set<string>;
  value: number;
  /** the fewest units on one of its lines */
  fewestUnits: number;
}

/** The purchase orders of transactions.csv as clvkit would accept them: customer id present, not a return, not POST, exact duplicates once. */
export function readOrders(dir: string): ShopOrder[] {
  const csv = readCsv(join(dir, 'transactions.csv'));
  const [order, customer, date, product, quantity, price] = ['order_id', 'customer_id', 'order_date', 'product_id', 'quantity', 'unit_price'].map((c) => csv.col(c));
  const orders = new Map<string, ShopOrder>();
  const seen = new Set<string>();
  for (const row of csv.rows) {
    const line = row.join(',');
    if (seen.has(line)) continue;
    seen.add(line);
    if (row[customer] === '' || row[order].startsWith('C') || row[product] === 'POST') continue;
    let entry = orders.get(row[order]);
    if (!entry) {
      entry = { orderId: row[order], customerId: row[customer], ms: Date.parse(`${row[date]}Z`), products: new Set(), value: 0, fewestUnits: Infinity };
      orders.set(row[order], entry);
    }
    entry.products.add(row[product]);
    entry.value += Number(row[quantity]) * Number(row[price]);
    entry.fewestUnits = Math.min(entry.fewestUnits, Number(row[quantity]));
  }
  return [...orders.values()];
}

/** Orders grouped by customer, in time order. */
export function ordersByCustomer(orders: readonly ShopOrder[]): Map<string, ShopOrder[]> {
  const byCustomer = new Map<string, ShopOrder[]>();
  for (const order of orders) {
    const list = byCustomer.get(order.customerId) ?? [];
    list.push(order);
    byCustomer.set(order.customerId, list);
  }
  for (const list of byCustomer.values()) list.sort((a, b) => a.ms - b.ms || Number(a.orderId) - Number(b.orderId));
  return byCustomer;
}
