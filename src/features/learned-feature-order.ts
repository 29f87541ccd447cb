/**
 * The order of the learned feature rows, put in TypeScript on the typed
 * columns instead of an ORDER BY in the statement (which sorted a million
 * wide rows: 11% of the features' SQL at 1M customers).
 *
 * Row sampling and the fits downstream add their rows in row order, so the
 * order must depend neither on the engine nor on the pseudonymisation key:
 * every feature, `monetary_value` and the labels, ascending with NULL (NaN)
 * last, and only then the token — the order the statement's
 * `ORDER BY … NULLS LAST` gave on DuckDB and ClickHouse, row for row.
 */
import type { ColumnarResult, SqlValue } from '../engine/warehouse.js';
import { LEARNED_FEATURE_NAMES } from './learned-features.js';

/** The columns the rows are ordered by, in that order, before `customer_id` (the labels only where the rows have them). */
export function learnedFeatureOrderColumns(withLabels: boolean): string[] {
  return [...LEARNED_FEATURE_NAMES, 'monetary_value', ...(withLabels ? ['label_purchases', 'label_spend'] : [])];
}

/** Code units remapped so that `<` on them is code point order (UTF-8 byte order, the engines' string order): surrogates above U+E000–U+FFFF. */
function codePointUnit(unit: number): number {
  return unit < 0xd800 ? unit : unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}

/** Strings in code point order (`<` alone compares UTF-16 code units, which differs beyond U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointUnit(x) - codePointUnit(y);
  }
  return a.length - b.length;
}

/** Rows compared key by key (ascending, NaN last, -0 = 0), then by id in code point order. */
function compareRows(keys: readonly Float64Array[], ids: readonly string[]): (i: number, j: number) => number {
  return (i, j) => {
    for (const key of keys) {
      const x = key[i]!;
      const y = key[j]!;
      if (x < y) return -1;
      if (x > y) return 1;
      if (x !== y) {
        // at least one is NaN (NULL): NULLs last
        const xNull = Number.isNaN(x);
        if (xNull !== Number.isNaN(y)) return xNull ? 1 : -1;
      }
    }
    return compareCodePoints(ids[i]!, ids[j]!);
  };
}

/** The key's distinct values (NaN aside, -0 as 0) ascending, or null beyond `limit` of them. */
function distinctValues(key: Float64Array, limit: number): Float64Array | null {
  const values = new Set<number>();
  for (let i = 0; i < key.length; i++) {
    const v = key[i]!;
    if (v === v) values.add(v === 0 ? 0 : v);
    if (values.size > limit) return null;
  }
  return Float64Array.from(values).sort();
}

/**
 * The row permutation that sorts by `keys` in turn (ascending, NaN last, -0 = 0), then by `ids` in code point order:
 * `order[k]` is the row that goes k-th. The leading keys with few values (counts, days) are packed into one exact
 * integer rank beside the row index and sorted natively; only rows tied on all of them go through the comparator.
 */
export function learnedRowOrder(keys: readonly Float64Array[], ids: readonly string[]): Uint32Array {
  const n = ids.length;
  const indexScale = 2 ** Math.max(1, Math.ceil(Math.log2(n + 1)));
  const capacity = 2 ** 53 / indexScale;
  const rank = new Float64Array(n);
  let span = 1;
  let packed = 0;
  for (const key of keys) {
    const values = distinctValues(key, Math.floor(capacity / span) - 1);
    if (values === null) break;
    const slots = values.length + 1; // NaN last
    const slotOf = new Map<number, number>();
    values.forEach((v, slot) => slotOf.set(v, slot));
    for (let i = 0; i < n; i++) rank[i] = rank[i]! * slots + (slotOf.get(key[i]!) ?? values.length);
    span *= slots;
    packed++;
  }
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) sorted[i] = rank[i]! * indexScale + i;
  sorted.sort();
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = sorted[k]! % indexScale;
  const compare = compareRows(keys.slice(packed), ids);
  for (let from = 0; from < n; ) {
    let to = from + 1;
    while (to < n && rank[order[to]!] === rank[order[from]!]) to++;
    if (to - from > 1) order.subarray(from, to).sort(compare);
    from = to;
  }
  return order;
}

/** The learned features' columns (as `buildLearnedFeaturesSql` gives them, in the engine's order) put in their row order. */
export function orderLearnedFeatureColumns(result: ColumnarResult): ColumnarResult {
  const numeric = (name: string): Float64Array => {
    const column = result.columns[name];
    if (!(column instanceof Float64Array)) throw new Error(`the learned features' column ${name} is missing or not numeric`);
    return column;
  };
  const ids = result.columns.customer_id as readonly string[];
  const order = learnedRowOrder(learnedFeatureOrderColumns(result.names.includes('label_purchases')).map(numeric), ids);
  const columns: Record<string, Float64Array | SqlValue[]> = {};
  for (const name of result.names) {
    const column = result.columns[name]!;
    columns[name] = column instanceof Float64Array ? permuteNumbers(column, order) : permuteValues(column, order);
  }
  return { names: result.names, rowCount: result.rowCount, columns };
}

function permuteNumbers(column: Float64Array, order: Uint32Array): Float64Array {
  const sorted = new Float64Array(order.length);
  for (let k = 0; k < order.length; k++) sorted[k] = column[order[k]!]!;
  return sorted;
}

function permuteValues(column: readonly SqlValue[], order: Uint32Array): SqlValue[] {
  const sorted: SqlValue[] = new Array<SqlValue>(order.length);
  for (let k = 0; k < order.length; k++) sorted[k] = column[order[k]!]!;
  return sorted;
}
