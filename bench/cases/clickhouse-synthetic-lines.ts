// The bench's synthetic lines as one portable formula: DuckDB (FROM range(n)) and ClickHouse (FROM numbers(n)) evaluate it
// to the identical lines — the same order_id, customer_id, ts, amount and is_return for every line number n — so that
// each engine generates its own lines natively and the two are compared on the same data (no export between them).
// The hash is plain integer arithmetic both engines compute the same way (no intHash32 / hash(), which differ).

/** The engine a formula is spelled for. */
export type SyntheticLinesEngine = 'duckdb' | 'clickhouse';

const SPELLING = {
  duckdb: { xor: (a: string, b: string) => `xor(${a}, ${b})`, div: (a: string, b: number) => `(${a} // ${b})`, from: (lines: number) => `range(${lines}) lines(number)`, start: "TIMESTAMP '2022-01-01 00:00:00'", seconds: (s: string) => `to_seconds(${s})` },
  clickhouse: { xor: (a: string, b: string) => `bitXor(${a}, ${b})`, div: (a: string, b: number) => `intDiv(${a}, ${b})`, from: (lines: number) => `numbers(${lines})`, start: "toDateTime('2022-01-01 00:00:00')", seconds: (s: string) => s },
} as const;

/** 2^32: every step of the hash is reduced modulo it. */
const TWO_TO_32 = 4_294_967_296;

/**
 * A 32-bit mixing hash of a non-negative integer expression `x` (< 2^62), in SQL: x mod 2^32, then twice
 * "xor with its own high bits, multiply by an odd constant below 2^31, mod 2^32", then a final xor-shift (the shape of
 * MurmurHash3's finaliser, with multipliers small enough that no product reaches 2^63: (2^32 − 1) × 1,911,520,717 <
 * 8.3e18 < 2^63 − 1, so DuckDB's BIGINT never overflows and ClickHouse's UInt64 never wraps). The lines use
 * x = n / 3 and x = 13n, below 1.3e10 for a billion lines.
 *
 * Example: `mixedHash32Sql('duckdb', 'n')` → `xor(((xor(… n % 4294967296 …) * 1597334677) % 4294967296 …), …)`;
 * 0 → 0, 1 → 2,452,791,956, 13e9 → 513,140,633 on both engines.
 */
export function mixedHash32Sql(engine: SyntheticLinesEngine, x: string): string {
  const { xor, div } = SPELLING[engine];
  const h0 = `(${x} % ${TWO_TO_32})`;
  const h1 = `((${xor(h0, div(h0, 65_536))} * 1597334677) % ${TWO_TO_32})`;
  const h2 = `((${xor(h1, div(h1, 8192))} * 1911520717) % ${TWO_TO_32})`;
  return xor(h2, div(h2, 65_536));
}

/**
 * The SELECT of `lines` synthetic lines in the warehouse's transactions columns (order_id, customer_id, ts, amount,
 * is_return, is_outlier, ingest_id, source, source_line, row_hash): two years in time order (a log as a shop writes
 * it: each block of lines falls in one or two monthly partitions, not all 24 — a random time per line made every
 * ClickHouse block 24 parts and the insert ~3× slower), three lines per order at the same second, 2% returns, amounts
 * 0.01 … 100.00 (whole cents, divided by 100 as doubles on both engines), customers c_0 … c_{customers-1} by the hash.
 * `where` keeps a subset (ClickHouse: one shard's customers).
 *
 * Example: `syntheticLinesSelect('duckdb', 30_000, 1500)` → line 0: order '0', customer 'c_0', ts 2022-01-01
 * 00:00:00, amount 0.01, a return; line 1: amount 29.96; 1,498 customers, 149,896,459 cents in all — the same on ClickHouse.
 */
export function syntheticLinesSelect(engine: SyntheticLinesEngine, lines: number, customers: number, where = ''): string {
  const { div, from, start, seconds } = SPELLING[engine];
  const order = div('number', 3);
  return `SELECT order_id, customer_id, ts, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash FROM (
    SELECT CAST(${order} AS VARCHAR) AS order_id, concat('c_', CAST(${mixedHash32Sql(engine, order)} % ${customers} AS VARCHAR)) AS customer_id,
      ${start} + ${seconds(div(`${order} * 3 * ${730 * 86_400}`, lines))} AS ts,
      CAST(${mixedHash32Sql(engine, 'number * 13')} % 10000 + 1 AS DOUBLE) / 100 AS amount, number % 50 = 0 AS is_return, 1 = 0 AS is_outlier,
      1 AS ingest_id, 'bench' AS source, number AS source_line, CAST(number AS VARCHAR) AS row_hash
    FROM ${from(lines)}) synthetic_lines ${where}`;
}
