import { describe, expect, it } from 'vitest';
import { compareCodePoints, learnedRowOrder, orderLearnedFeatureColumns } from '../../src/features/learned-feature-order.js';
import { LEARNED_FEATURE_NAMES } from '../../src/features/learned-features.js';
import { memoryWarehouse } from '../helpers/warehouse.js';

// The learned feature rows are ordered in TypeScript (not by the statement): the order must be the engines'
// `ORDER BY every feature, then the token` (NULLs last, strings in byte order) whatever order the rows arrive in.
describe('the learned feature rows are ordered by every feature, then the token, whatever order they arrive in', () => {
  it('sorts key by key, NULL (NaN) last, -0 equal to 0, then by id', () => {
    const a = Float64Array.from([2, 1, NaN, 1, 1, -0, 1]);
    const b = Float64Array.from([0, NaN, 5, 3, 3, 9, 3]);
    const ids = ['g', 'f', 'e', 'd', 'c', 'b', 'a'];
    // a: -0 (b), then the 1s by b (3, 3, 3, NaN): a, c, d by id, then f; then 2 (g); NaN (e) last
    expect(Array.from(learnedRowOrder([a, b], ids), (i) => ids[i])).toEqual(['b', 'a', 'c', 'd', 'f', 'g', 'e']);
    // -0 and 0 tie on the key and fall to the id
    expect(Array.from(learnedRowOrder([Float64Array.from([0, -0])], ['y', 'x']))).toEqual([1, 0]);
  });

  it('compares ids in code point order (UTF-8 byte order), not UTF-16 code units', () => {
    const astral = '\u{1F600}'; // a surrogate pair: code units 0xD83D 0xDE00, code point above U+FFFF
    const high = '\uFF01'; // U+FF01: below the astral code point, above its code units
    expect(high < astral).toBe(false); // what plain `<` says
    expect(compareCodePoints(high, astral)).toBeLessThan(0);
    expect(Buffer.compare(Buffer.from(high), Buffer.from(astral))).toBeLessThan(0);
    expect(compareCodePoints('ab', 'abc')).toBeLessThan(0);
    expect(compareCodePoints('b', 'abc')).toBeGreaterThan(0);
    expect(compareCodePoints('x', 'x')).toBe(0);
  });

  it("puts DuckDB's ORDER BY order on the columns, from any arrival order, every column moved together", async () => {
    const warehouse = await memoryWarehouse();
    try {
      // 300 rows with ties on the leading features, NULLs in some, ids that differ only at the end
      const columns = LEARNED_FEATURE_NAMES.map((name, k) => `CASE WHEN (i + ${k}) % 11 = 0 THEN NULL ELSE CAST((i * ${k + 3}) % ${k < 3 ? 3 : 50} AS DOUBLE) END AS ${name === 'T' ? '"T"' : name}`);
      const source = `SELECT 'c' || (i % 7) || '-' || i AS customer_id, ${columns.join(', ')}, CAST(i % 2 AS DOUBLE) AS monetary_value, CAST(i % 3 AS DOUBLE) AS label_purchases, CAST(NULL AS DOUBLE) AS label_spend FROM range(300) t(i)`;
      const orderBy = [...LEARNED_FEATURE_NAMES, 'monetary_value', 'label_purchases', 'label_spend', 'customer_id'].map((n) => (n === 'T' ? '"T"' : n)).join(', ');
      const expected = await warehouse.queryColumns(`SELECT * FROM (${source}) s ORDER BY ${orderBy}`);
      for (const arrival of ['random()', 'customer_id DESC', 'frequency DESC, customer_id']) {
        const ordered = orderLearnedFeatureColumns(await warehouse.queryColumns(`SELECT * FROM (${source}) s ORDER BY ${arrival}`));
        expect(ordered.columns.customer_id).toEqual(expected.columns.customer_id);
        for (const name of expected.names) expect([name, ordered.columns[name]]).toEqual([name, expected.columns[name]]);
      }
    } finally {
      await warehouse.close();
    }
  });
});
