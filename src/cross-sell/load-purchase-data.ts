import { UserError } from '../core/errors/user-error.js';
import { orderKeySql } from '../engine/sql-dialect.js';
import type { Warehouse } from '../engine/warehouse.js';
import type { Baskets } from '../models/patterns/baskets.js';
import type { Sequences } from '../models/patterns/sequences.js';

/** What an item is for pattern mining: a product, or its category. */
export type ItemLevel = 'product' | 'category';

export interface BasketOptions {
  readonly level?: ItemLevel;
  /** only orders on or after this day (YYYY-MM-DD) */
  readonly from?: string;
  /** only orders before this day (exclusive, YYYY-MM-DD) */
  readonly until?: string;
  /** item dictionary to reuse (e.g. the training period's), so ids agree across periods; unknown items are dropped */
  readonly itemCodes?: readonly string[];
}

/** Orders as baskets and as per-customer sequences, with dense item ids. */
export interface PurchaseData {
  readonly level: ItemLevel;
  /** item id → product (or category) code */
  readonly itemCodes: readonly string[];
  /** item id → description (most frequent one), or the code */
  readonly itemLabels: readonly string[];
  /** customer index → customer id */
  readonly customerIds: readonly string[];
  /** every order is a basket; baskets are grouped by customer, in time order */
  readonly baskets: Baskets;
  /** basket → customer index */
  readonly basketCustomer: Uint32Array;
  /** per customer: their orders in time order (same baskets) */
  readonly sequences: Sequences;
}

/** The scratch tables of `loadPurchaseData`, dropped when it returns. */
const SCRATCH_TABLES = ['clv_basket_kept', 'clv_basket_lines', 'clv_items', 'clv_basket_items', 'clv_basket_customers', 'clv_basket_ids'];

/**
 * Build baskets in SQL: an order is a basket (orders without an id are a
 * customer's lines with the same timestamp); items are products or
 * categories; returns are removed — return lines, and items whose net quantity
 * for the customer in the period is not positive (bought, then returned);
 * non-product lines never reached `transactions` (quarantined at ingest).
 * TypeScript receives three numeric columns and builds the CSR arrays.
 */
export async function loadPurchaseData(warehouse: Warehouse, options: BasketOptions = {}): Promise<PurchaseData> {
  const d = warehouse.dialect;
  const level = options.level ?? 'product';
  const itemColumn = level === 'product' ? 'product_id' : 'category';
  const inWindow = (alias: string) =>
    [
      ...(options.from ? [`${alias}ts >= ${d.timestamp(`${options.from}T00:00:00`)}`] : []),
      ...(options.until ? [`${alias}ts < ${d.timestamp(`${options.until}T00:00:00`)}`] : []),
      `${alias}${itemColumn} IS NOT NULL`,
    ].join(' AND ');
  const window = inWindow('');
  const [check] = await warehouse.query(`SELECT count(*) AS n FROM transactions WHERE ${window}`);
  if (Number(check!.n) === 0) {
    const [any] = await warehouse.query('SELECT count(*) AS n FROM transactions');
    throw new UserError(
      Number(any!.n) === 0 ? 'the warehouse holds no transactions' : `no transaction has a ${level === 'product' ? 'product id' : 'category'}${options.from || options.until ? ' in the window' : ''}`,
      level === 'product' ? 'map the product column: --map product_id=<column>' : 'map a category column (--map category=<column>) or use --level product',
    );
  }
  // One SQL for both engines (issue 18): no window functions (numbered rows come from the dialect's numberRows and
  // firstPerGroup), one JOIN per SELECT, and join keys that are never NULL (COALESCE: ClickHouse 18.16 joins on
  // non-Nullable keys only; the items are not NULL here already).
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE clv_basket_kept AS
    SELECT t.customer_id, ${orderKeySql(d, 't.')} AS order_key, t.ts, COALESCE(t.${itemColumn}, '') AS item
    FROM transactions t
    JOIN (SELECT customer_id, COALESCE(${itemColumn}, '') AS net_item FROM transactions WHERE ${window} GROUP BY customer_id, ${itemColumn} HAVING ${d.orderFreeSum('quantity')} > 0) net
      ON net.customer_id = t.customer_id AND net.net_item = COALESCE(t.${itemColumn}, '')
    WHERE NOT t.is_return AND ${inWindow('t.')}`);
  // GROUP BY, not SELECT DISTINCT: ClickHouse 18.x applies a DISTINCT over a JOIN per stream only (its issues 3658,
  // 4162), so a line whose copies two threads read came back twice (test/engine/clickhouse/basket-lines-distinct.test.ts)
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE clv_basket_lines AS
    SELECT k.customer_id, o.order_ts, k.order_key, k.item
    FROM clv_basket_kept k JOIN (SELECT customer_id, order_key, min(ts) AS order_ts FROM clv_basket_kept GROUP BY customer_id, order_key) o
      ON o.customer_id = k.customer_id AND o.order_key = k.order_key
    GROUP BY k.customer_id, o.order_ts, k.order_key, k.item`);
  let itemCodes: string[];
  let itemLabels: string[];
  if (options.itemCodes) {
    itemCodes = [...options.itemCodes];
    itemLabels = itemCodes;
    await warehouse.execute('CREATE OR REPLACE TEMP TABLE clv_items (item VARCHAR NOT NULL, item_id BIGINT NOT NULL)');
    await warehouse.append('clv_items', { item: itemCodes, item_id: itemCodes.map((_, i) => i) });
  } else {
    // Most frequently bought first, so low ids are popular items (ties by code).
    await warehouse.execute(`
      CREATE OR REPLACE TEMP TABLE clv_items AS
      SELECT item, item_rank - 1 AS item_id FROM (${d.numberRows('SELECT item, count(*) AS lines FROM clv_basket_lines GROUP BY item', 'lines DESC, item', 'item_rank')}) ranked_items`);
    // the label of an item: its most frequent description (ties by text), or its code
    const descriptions = `SELECT COALESCE(${itemColumn}, '') AS described_item, description, count(*) AS uses FROM transactions WHERE ${itemColumn} IS NOT NULL AND description IS NOT NULL GROUP BY ${itemColumn}, description`;
    const dictionary = await warehouse.query(`
      SELECT i.item, i.item_id, COALESCE(l.description, i.item) AS label
      FROM clv_items i LEFT JOIN (${d.firstPerGroup(descriptions, 'described_item', 'uses DESC, description')}) l ON l.described_item = i.item
      ORDER BY i.item_id`);
    itemCodes = dictionary.map((r) => String(r.item));
    itemLabels = level === 'product' ? dictionary.map((r) => String(r.label)) : itemCodes;
  }
  // dense ranks of customers and of baskets (customer, time, order) among the lines with a known item
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE clv_basket_items AS
    SELECT l.customer_id, l.order_ts, l.order_key, i.item_id FROM clv_basket_lines l JOIN clv_items i ON i.item = l.item`);
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE clv_basket_customers AS
    SELECT customer_id, customer_rank - 1 AS customer_idx FROM (${d.numberRows('SELECT DISTINCT customer_id FROM clv_basket_items', 'customer_id', 'customer_rank')}) ranked_customers`);
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE clv_basket_ids AS
    SELECT b.customer_id, b.order_ts, b.order_key, b.basket_rank - 1 AS basket_idx, c.customer_idx
    FROM (${d.numberRows('SELECT DISTINCT customer_id, order_ts, order_key FROM clv_basket_items', 'customer_id, order_ts, order_key', 'basket_rank')}) b
    JOIN clv_basket_customers c ON c.customer_id = b.customer_id`);
  const lines = await warehouse.queryColumns(`
    SELECT b.customer_idx, b.basket_idx, x.item_id
    FROM clv_basket_items x JOIN clv_basket_ids b ON b.customer_id = x.customer_id AND b.order_ts = x.order_ts AND b.order_key = x.order_key
    ORDER BY b.basket_idx, x.item_id`);
  const customers = await warehouse.query('SELECT customer_id FROM clv_basket_customers ORDER BY customer_idx');
  for (const table of SCRATCH_TABLES) await warehouse.execute(`DROP TABLE IF EXISTS ${table}`);
  const customerIdx = lines.columns.customer_idx as Float64Array;
  const basketIdx = lines.columns.basket_idx as Float64Array;
  const itemIdx = lines.columns.item_id as Float64Array;
  const nBaskets = basketIdx.length === 0 ? 0 : basketIdx[basketIdx.length - 1]! + 1;
  const nCustomers = customers.length;
  const basketOffsets = new Uint32Array(nBaskets + 1);
  const items = new Uint32Array(itemIdx.length);
  const basketCustomer = new Uint32Array(nBaskets);
  const sequenceOffsets = new Uint32Array(nCustomers + 1);
  for (let row = 0; row < itemIdx.length; row++) {
    const b = basketIdx[row]!;
    items[row] = itemIdx[row]!;
    basketOffsets[b + 1] = row + 1;
    basketCustomer[b] = customerIdx[row]!;
  }
  for (let b = 0; b < nBaskets; b++) sequenceOffsets[basketCustomer[b]! + 1] = b + 1;
  for (let c = 1; c <= nCustomers; c++) if (sequenceOffsets[c]! < sequenceOffsets[c - 1]!) sequenceOffsets[c] = sequenceOffsets[c - 1]!;
  const nItems = itemCodes.length;
  return {
    level,
    itemCodes,
    itemLabels,
    customerIds: customers.map((r) => String(r.customer_id)),
    baskets: { offsets: basketOffsets, items, nItems },
    basketCustomer,
    sequences: { sequenceOffsets, itemsetOffsets: basketOffsets, items, nItems },
  };
}

/** The codes of item ids of `data`. */
export function itemCodesOf(data: Pick<PurchaseData, 'itemCodes'>, ids: readonly number[]): string[] {
  return ids.map((i) => data.itemCodes[i]!);
}

/** The labels (descriptions) of item ids of `data`. */
export function itemLabelsOf(data: Pick<PurchaseData, 'itemLabels'>, ids: readonly number[]): string[] {
  return ids.map((i) => data.itemLabels[i]!);
}
