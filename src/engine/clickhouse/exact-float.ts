/**
 * Doubles sent to ClickHouse without loss. ClickHouse 18.16 parses decimal
 * text (JSON, TSV, SQL literals) without correct rounding: `2.857142857142857`
 * (20/7, written by JavaScript's shortest round-trip form) arrives one unit in
 * the last place below 20/7, so a score table keyed by `(frequency,
 * recency, T)` lost customers in the join. A double is sent instead as an
 * integer mantissa and a power of two, both read exactly, and rebuilt in
 * the engine by `mantissa * exp2(exponent)`, which is exact.
 *
 * Example: `splitDouble(20 / 7)` → `{ mantissa: 6433713753386423, exponent: -51 }`
 */
export interface SplitDouble {
  readonly mantissa: number;
  readonly exponent: number;
}

const view = new DataView(new ArrayBuffer(8));

/** `value = mantissa · 2^exponent` with a whole `mantissa` (|mantissa| < 2^53); ±Infinity as ±1 · 2^1024. */
export function splitDouble(value: number): SplitDouble {
  if (value === 0 || Number.isNaN(value)) return { mantissa: 0, exponent: 0 };
  if (!Number.isFinite(value)) return { mantissa: Math.sign(value), exponent: 1024 };
  view.setFloat64(0, value);
  const biased = (view.getUint32(0) >>> 20) & 0x7ff;
  const exponent = (biased === 0 ? 1 : biased) - 1075; // subnormals share the smallest exponent
  return { mantissa: value / 2 ** exponent, exponent };
}

/** The ClickHouse expression that rebuilds a double from its two columns (NULL mantissa → NULL). */
export function joinDoubleSql(mantissa: string, exponent: string, nullable: boolean): string {
  const value = `toFloat64(${mantissa}) * exp2(${exponent})`;
  return nullable ? `if(isNull(${mantissa}), NULL, toFloat64(assumeNotNull(${mantissa})) * exp2(assumeNotNull(${exponent})))` : value;
}
