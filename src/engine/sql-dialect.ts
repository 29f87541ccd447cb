/**
 * The few places where engines spell SQL differently. Feature builders call
 * these hooks instead of writing engine-specific strings; a new engine (the
 * ClickHouse warehouse) supplies its own SqlDialect.
 */
export interface SqlDialect {
  readonly name: 'duckdb' | 'clickhouse';
  /** "name" quoted as an identifier */
  identifier(name: string): string;
  /** 'text' quoted as a string literal */
  literal(value: string | number | boolean | null): string;
  /** a TIMESTAMP literal from an ISO-8601 string */
  timestamp(iso: string): string;
  /** whole days between the calendar dates of two timestamp expressions (end − start) */
  daysBetween(start: string, end: string): string;
  /** the calendar date of a timestamp expression (a DATE) */
  dayOf(ts: string): string;
  /** a timestamp/date plus a whole number of days (NULL days → NULL) */
  addDays(ts: string, days: string): string;
  /** first day of the month of a timestamp expression */
  monthOf(ts: string): string;
  /** first day (a Monday, ISO) of the week of a timestamp expression: weeks Monday–Sunday, pandas' "W" (W-SUN) */
  weekOf(ts: string): string;
  /** a timestamp expression cut to its clock hour (a TIMESTAMP) */
  hourOf(ts: string): string;
  /** a timestamp expression cut to its whole second (ClickHouse's DateTime holds whole seconds; DuckDB's TIMESTAMP keeps microseconds) */
  secondOf(ts: string): string;
  /** whole hours between the clock hours of two timestamp expressions (end − start) */
  hoursBetween(start: string, end: string): string;
  /** whole calendar months between the months of two timestamp expressions (end − start) */
  monthsBetween(start: string, end: string): string;
  /** a number parsed from text, NULL when it is not one (NaN and ±Infinity parse: check with isFinite) */
  tryNumber(text: string): string;
  /** true for a finite number, false for NaN and ±Infinity, NULL for NULL */
  isFinite(value: string): string;
  /** a timestamp parsed from text by the first matching strptime format, NULL when none matches */
  tryTimestamp(text: string, formats: readonly string[]): string;
  /** a timestamp from epoch seconds / milliseconds / microseconds held in an integer-valued text */
  epochSeconds(text: string): string;
  epochMilliseconds(text: string): string;
  epochMicroseconds(text: string): string;
  /** hex MD5 of a text expression */
  md5(text: string): string;
  /** text matches a regular expression in full */
  fullMatch(text: string, pattern: string): string;
  /** text with the first match of a regular expression replaced (`\1` in `replacement` is the first group) */
  replaceFirstMatch(text: string, pattern: string, replacement: string): string;
  /** text equals one of the values, as a scalar test (an `IN` list can become a join, which does not keep rows in order) */
  oneOf(text: string, values: readonly string[]): string;
  /** the value of `value` on the row where `by` is smallest (aggregate); rows whose `value` is NULL are passed over */
  argMin(value: string, by: string): string;
  /** the value of `value` on the row where `by` is smallest, NULL when it is NULL there (aggregate; `argMin` passes such rows over) */
  argMinKeepingNull(value: string, by: string): string;
  /** the value of `value` on the row where `by` is largest (aggregate) */
  argMax(value: string, by: string): string;
  /**
   * sum of a DOUBLE expression that does not depend on the order of the rows
   * (aggregate; DOUBLE): a parallel engine adds partial sums in whatever order
   * its threads finish, so a plain floating sum moves in the last bits from run
   * to run. Exact in 10⁻⁹ steps (money), up to ±10²⁹.
   */
  orderFreeSum(expr: string): string;
  /** the number of distinct non-NULL values of an expression, 0 when there are none (aggregate; ClickHouse 18.16's count(DISTINCT) of only NULLs is NULL) */
  countDistinct(expr: string): string;
  /** median and median absolute deviation aggregates */
  median(expr: string): string;
  mad(expr: string): string;
  /**
   * A query over `source` (distinct, non-NULL `value`s with a count `n`)
   * giving each `value` and `before`: the total `n` of the values that come
   * before it in `order` — a running sum, without window functions where the
   * engine has none. Ranks and quantile scores are built on it.
   */
  countBefore(source: string, order: 'ASC' | 'DESC'): string;
  /**
   * A query giving every row of `source` with `name`: its 1-based position
   * in `orderBy` (row_number() OVER (ORDER BY …), without window functions
   * where the engine has none). Ties take an arbitrary order: make
   * `orderBy` total (end it with a key) where the numbers matter.
   */
  numberRows(source: string, orderBy: string, name: string): string;
  /**
   * A query giving the rows of `source` (its columns only) that come first
   * in `orderBy` within each group of `partitionBy`: the first `count` per
   * group (`row_number() OVER (PARTITION BY … ORDER BY …) <= count`, without
   * window functions where the engine has none). Make `orderBy` total where
   * ties matter.
   */
  firstPerGroup(source: string, partitionBy: string, orderBy: string, count?: number): string;
  /**
   * A query giving every row of `source` with `name`: the `value` of the row
   * before it in `orderBy` within its group of `partitionBy` (a column of
   * `source`), NULL on a group's first row — `lag(value) OVER (PARTITION BY …
   * ORDER BY …)`, without window functions where the engine has none. Make
   * `orderBy` total, or ties equal in `value`. Select the columns you need:
   * an engine may add helper columns.
   */
  previousInGroup(source: string, partitionBy: string, orderBy: string, value: string, name: string): string;
  /**
   * Optional: `CAST(expr AS type)` keeping NULLs, where the engine's plain
   * CAST of a NULL to a non-Nullable type fails (ClickHouse); the plain CAST
   * when a dialect has none.
   */
  castKeepingNull?(expr: string, type: string): string;
  /**
   * Optional: the customer summary's occasion step in the engine's own form
   * (see `buildCustomerSummarySql`, which writes the portable form when a
   * dialect has none): one row per customer with a purchase before `end`,
   * columns customer_id, first_ts, last_ts (the first instant of the last
   * occasion), occasions, gross, first_spend (the spend of the first
   * occasion), orders (distinct orders per occasion, added up),
   * money_returns, money_cost.
   */
  perCustomerOccasions?(input: OccasionInput): string;
}

/** What `SqlDialect.perCustomerOccasions` summarises. */
export interface OccasionInput {
  /** the transactions table */
  readonly table: string;
  /** the occasion of a row (an expression over `ts`, or `order_id`) */
  readonly occasion: string;
  /** the exclusive end of the window, a timestamp expression */
  readonly end: string;
  /** occasions are clock hours or calendar days of `ts`: the last one's first instant has the day and hour of the latest purchase */
  readonly withinDay: boolean;
  /** occasions rise with `ts` (days, hours, calendar weeks or months; not orders): the first and last occasion are those of the first and last purchase */
  readonly ordered?: boolean;
}

/**
 * The key of a line's order: its order id, or — for a line without one — its
 * time to the second as text (the lines of one customer at one second are one
 * order). To the second on every engine: ClickHouse keeps no milliseconds, so
 * a key with them would split on DuckDB what is one order on ClickHouse.
 *
 * Example: `orderKeySql(duckdbDialect, 't.')` → `COALESCE(t.order_id, CAST(date_trunc('second', CAST(t.ts AS TIMESTAMP)) AS VARCHAR))`
 */
export function orderKeySql(d: SqlDialect, prefix = ''): string {
  return `COALESCE(${prefix}order_id, CAST(${d.secondOf(`${prefix}ts`)} AS VARCHAR))`;
}

/**
 * `CAST(expr AS type)` keeping NULLs on every engine: the dialect's
 * `castKeepingNull` where it has one (ClickHouse), else the plain CAST.
 *
 * Example: `castKeepingNullSql(duckdbDialect, 'g.region', 'VARCHAR')` → `CAST(g.region AS VARCHAR)`
 */
export function castKeepingNullSql(d: SqlDialect, expr: string, type: string): string {
  return d.castKeepingNull?.(expr, type) ?? `CAST(${expr} AS ${type})`;
}

function quoteLiteral(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as an SQL literal`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return `'${value.replaceAll("'", "''")}'`;
}

export const duckdbDialect: SqlDialect = {
  name: 'duckdb',
  identifier: (name) => `"${name.replaceAll('"', '""')}"`,
  literal: quoteLiteral,
  timestamp: (iso) => `TIMESTAMP ${quoteLiteral(iso.replace('T', ' ').replace(/Z$/, ''))}`,
  daysBetween: (start, end) => `date_diff('day', CAST(${start} AS DATE), CAST(${end} AS DATE))`,
  dayOf: (ts) => `CAST(${ts} AS DATE)`,
  addDays: (ts, days) => `(${ts} + to_days(CAST(${days} AS INTEGER)))`,
  monthOf: (ts) => `CAST(date_trunc('month', ${ts}) AS DATE)`,
  weekOf: (ts) => `CAST(date_trunc('week', ${ts}) AS DATE)`,
  hourOf: (ts) => `date_trunc('hour', CAST(${ts} AS TIMESTAMP))`,
  secondOf: (ts) => `date_trunc('second', CAST(${ts} AS TIMESTAMP))`,
  hoursBetween: (start, end) => `date_diff('hour', date_trunc('hour', CAST(${start} AS TIMESTAMP)), date_trunc('hour', CAST(${end} AS TIMESTAMP)))`,
  monthsBetween: (start, end) => `date_diff('month', date_trunc('month', CAST(${start} AS DATE)), date_trunc('month', CAST(${end} AS DATE)))`,
  tryNumber: (text) => `TRY_CAST(${text} AS DOUBLE)`,
  isFinite: (value) => `isfinite(${value})`,
  tryTimestamp: (text, formats) =>
    formats.length === 0 ? 'CAST(NULL AS TIMESTAMP)' : `try_strptime(${text}, [${formats.map(quoteLiteral).join(', ')}])`,
  epochSeconds: (text) => `make_timestamp(TRY_CAST(${text} AS BIGINT) * 1000000)`,
  epochMilliseconds: (text) => `make_timestamp(TRY_CAST(${text} AS BIGINT) * 1000)`,
  epochMicroseconds: (text) => `make_timestamp(TRY_CAST(${text} AS BIGINT))`,
  md5: (text) => `md5(${text})`,
  fullMatch: (text, pattern) => `regexp_full_match(${text}, ${quoteLiteral(pattern)})`,
  replaceFirstMatch: (text, pattern, replacement) => `regexp_replace(${text}, ${quoteLiteral(pattern)}, ${quoteLiteral(replacement)})`,
  oneOf: (text, values) => `list_contains([${values.map(quoteLiteral).join(', ')}]::VARCHAR[], ${text})`,
  argMin: (value, by) => `arg_min(${value}, ${by})`,
  argMinKeepingNull: (value, by) => `arg_min_null(${value}, ${by})`,
  argMax: (value, by) => `arg_max(${value}, ${by})`,
  orderFreeSum: (expr) => `CAST(sum(CAST(${expr} AS DECIMAL(38, 9))) AS DOUBLE)`,
  countDistinct: (expr) => `count(DISTINCT ${expr})`,
  median: (expr) => `median(${expr})`,
  mad: (expr) => `mad(${expr})`,
  countBefore: (source, order) =>
    `SELECT value, CAST(sum(n) OVER (ORDER BY value ${order} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - n AS BIGINT) AS before FROM (${source}) counted`,
  numberRows: (source, orderBy, name) => `SELECT *, row_number() OVER (ORDER BY ${orderBy}) AS ${name} FROM (${source}) numbered_source`,
  firstPerGroup: (source, partitionBy, orderBy, count = 1) =>
    `SELECT * EXCLUDE (first_per_group_row) FROM (SELECT *, row_number() OVER (PARTITION BY ${partitionBy} ORDER BY ${orderBy}) AS first_per_group_row FROM (${source}) grouped_source) ranked_source WHERE first_per_group_row <= ${count}`,
  previousInGroup: (source, partitionBy, orderBy, value, name) => `SELECT *, lag(${value}) OVER (PARTITION BY ${partitionBy} ORDER BY ${orderBy}) AS ${name} FROM (${source}) lagged_source`,
};
