import { UserError } from '../core/errors/user-error.js';
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
      options.from ? `${alias}ts >= ${d.timestamp(`${options.from}T00:00:00`)}` : 'TRUE',
      options.until ? `${alias}ts < ${d.timestamp(`${options.until}T00:00:00`)}` : 'TRUE',
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
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE clv_basket_lines AS
    WITH kept AS (
      SELECT t.customer_id, COALESCE(t.order_id, CAST(t.ts AS VARCHAR)) AS order_key, t.ts, t.${itemColumn} AS item, t.description
      FROM transactions t
      JOIN (SELECT customer_id, ${itemColumn} AS item FROM transactions WHERE ${window} GROUP BY customer_id, ${itemColumn} HAVING sum(quantity) > 0) net
        ON net.customer_id = t.customer_id AND net.item = t.${itemColumn}
      WHERE NOT t.is_return AND ${inWindow('t.')}
    ),
    orders AS (SELECT customer_id, order_key, min(ts) AS order_ts FROM kept GROUP BY customer_id, order_key)
    SELECT DISTINCT k.customer_id, o.order_ts, k.order_key, k.item
    FROM kept k JOIN orders o ON o.customer_id = k.customer_id AND o.order_key = k.order_key`);
  let itemCodes: string[];
  let itemLabels: string[];
  if (options.itemCodes) {
    itemCodes = [...options.itemCodes];
    itemLabels = itemCodes;
    await warehouse.execute('CREATE OR REPLACE TEMP TABLE clv_items (item VARCHAR, item_id BIGINT)');
    await warehouse.append('clv_items', { item: itemCodes, item_id: itemCodes.map((_, i) => i) });
  } else {
    // Most frequently bought first, so low ids are popular items (ties by code).
    await warehouse.execute(`
      CREATE OR REPLACE TEMP TABLE clv_items AS
      SELECT item, row_number() OVER (ORDER BY count(*) DESC, item) - 1 AS item_id FROM clv_basket_lines GROUP BY item`);
    const dictionary = await warehouse.query(`
      SELECT i.item, i.item_id, COALESCE(
        (SELECT t.description FROM transactions t WHERE t.${itemColumn} = i.item AND t.description IS NOT NULL GROUP BY t.description ORDER BY count(*) DESC, t.description LIMIT 1),
        i.item) AS label
      FROM clv_items i ORDER BY i.item_id`);
    itemCodes = dictionary.map((r) => String(r.item));
    itemLabels = level === 'product' ? dictionary.map((r) => String(r.label)) : itemCodes;
  }
  const lines = await warehouse.queryColumns(`
    SELECT dense_rank() OVER (ORDER BY l.customer_id) - 1 AS customer_idx,
           dense_rank() OVER (ORDER BY l.customer_id, l.order_ts, l.order_key) - 1 AS basket_idx,
           i.item_id
    FROM clv_basket_lines l JOIN clv_items i ON i.item = l.item
    ORDER BY basket_idx, i.item_id`);
  const customers = await warehouse.query(`SELECT DISTINCT l.customer_id FROM clv_basket_lines l JOIN clv_items i ON i.item = l.item ORDER BY l.customer_id`);
  await warehouse.execute('DROP TABLE IF EXISTS clv_basket_lines; DROP TABLE IF EXISTS clv_items');
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
export function itemCodesOf(data: PurchaseData, ids: readonly number[]): string[] {
  return ids.map((i) => data.itemCodes[i]!);
}

/** The labels (descriptions) of item ids of `data`. */
export function itemLabelsOf(data: PurchaseData, ids: readonly number[]): string[] {
  return ids.map((i) => data.itemLabels[i]!);
}
