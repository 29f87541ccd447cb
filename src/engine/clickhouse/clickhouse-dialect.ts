import { createHash } from 'node:crypto';
import type { OccasionInput, SqlDialect } from '../sql-dialect.js';

function quoteLiteral(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as an SQL literal`);
    return String(value);
  }
  // ClickHouse has no TRUE/FALSE: booleans are UInt8
  if (typeof value === 'boolean') return value ? '1' : '0';
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** The interpolated median of the non-NULL values (DuckDB's `median`): the mean of the middle one or two sorted values. */
function interpolatedMedian(values: string): string {
  const n = `length(${values})`;
  return `arrayReduce('avg', arraySlice(${values}, toUInt64(intDiv(${n} + 1, 2)), toUInt64(2 - ${n} % 2)))`;
}

/**
 * A double as a whole number of 10⁻⁹ steps (a Decimal128 of scale 0), rounded as DuckDB's `CAST(x AS DECIMAL(38, 9))`
 * rounds: the double product x · 10⁹, then to the nearest whole number, half away from zero (floor and the fraction are
 * exact on doubles). `toDecimal128(x, 9)` truncates instead, and the half step added before it (x ± 5·10⁻¹⁰) was
 * rounded away in x's own last place from |x| ≈ 4·10⁶ on: 7313331.365 became 7313331.365000001, one sum in 20 of
 * amounts in the millions differed from DuckDB's in the last digit (test/engine/clickhouse/exact-money-two-engines).
 *
 * Example: `nanoUnits('amount')` on 2.0999999999999996 → 2100000000
 */
function nanoUnits(x: string): string {
  const y = named(`((${x}) * 1e9)`);
  const whole = `floor(abs(${y.name}))`;
  return `toDecimal128(if(${y.defined} < 0, -1, 1) * (${whole} + if(abs(${y.name}) - ${whole} >= 0.5, 1, 0)), 0)`;
}

/**
 * A sum of `nanoUnits` as a double, as DuckDB casts its DECIMAL(38, 9) sum to DOUBLE: up to ±2⁵³ the whole number as a
 * double, / 10⁹; beyond, the whole part and the 10⁻⁹ steps apart (`q + r / 10⁹`, q and r as C++ divides: toward zero).
 * `toFloat64` of the Decimal alone (one rounding) gave other last digits from sums of about 9.2·10⁹ on:
 * 12854972487.350002 where DuckDB gives 12854972487.35.
 */
function nanoUnitsToDouble(sum: string): string {
  const s = named(sum);
  const whole = `intDiv(${s.name}, 1000000000)`;
  return `if(${s.defined} >= -9007199254740992 AND ${s.name} <= 9007199254740992, toFloat64(${s.name}) / 1e9, toFloat64(${whole}) + toFloat64(${s.name} - ${whole} * toDecimal128(1000000000, 0)) / 1e9)`;
}

/**
 * An expression written once, `(expr AS name)` where it is first used, and by its name after: 18.16 parses and analyses
 * every copy of an expression, at every level of subqueries above it. The exact sums wrote their operand 24 times
 * (`nanoUnits` 4 copies, `nanoUnitsToDouble` 6 of those): the learned features' query, 22 sums in 48 KB, took 0.72 s to
 * plan on an empty table, 0.51 s written this way, 0.25 s with plain sums (measured 2026-12-06). The name is the
 * expression's hash: 18.16's aliases are global to a query, and one name for one text keeps two uses of the same
 * expression (two sums of `amount` in one query) agreeing, and two expressions apart. A name inside a name binds the
 * outer one to what it reads: `orderFreeSum('amount') AS amount` is refused by 18.16 ("Cyclic aliases", as is
 * `sum((v * 2) AS a) AS v`) where `sum(v * 2) AS v` was not — name an exact sum apart from the columns it reads.
 */
function named(expr: string): { defined: string; name: string } {
  const name = `exact_${createHash('sha1').update(expr).digest('hex').slice(0, 16)}`;
  return { defined: `(${expr} AS ${name})`, name };
}

const orderFreeSum = (expr: string) => nanoUnitsToDouble(`sum(${nanoUnits(expr)})`);

/**
 * The occasion step in one GROUP BY customer_id: the portable form groups
 * by (customer, occasion) first, which makes ~20× more groups than
 * customers, and on a cluster ships them all to the entry node to merge
 * (measured 2026-12-03 on 1M lines: ×10 the bare GROUP BY customer_id,
 * against ×1.3 for one GROUP BY customer_id). Here the shard-local
 * aggregation sees each customer's rows once: occasions by an exact
 * distinct count, the last purchase by max(ts) where occasions are
 * days or hours (every use of it is by day or hour; cheaper than arrays), the first occasion by argMin of the occasion
 * over ts, the last (orders) as the one that started last (`lastOrderStarted`), each occasion's spend net of its returns
 * from one sumMap of the lines' amounts by occasion (as the portable step's `netOccasionSpend`): the occasions with a
 * spend (`valued_occasions`), their sum (`valued_spend`) and the first occasion's (`first_spend`, NULL when it has none).
 * The money columns (returns, cost) come from the same scan instead of a second one and a join.
 *
 * Orders are the distinct (occasion, order) pairs counted by a 64-bit hash
 * of the pair (`cityHash64`): exact unless two of one customer's pairs
 * collide (about n² / 2^65 for a customer of n pairs: ~1e-17 at 20 pairs);
 * the exact count of the tuples cost 3–4× more CPU on the shards (measured
 * 2026-12-03, 1M lines: 760 ms against 244 ms, the bare GROUP BY 69 ms).
 *
 * Where occasions rise with ts (`ordered`: days, hours, calendar periods —
 * not orders), the first and last occasion are the least and greatest one:
 * minIf/maxIf instead of argMinIf/argMaxIf over ts (the same values; the
 * arg forms cost ~0.17 CPU-s per 2M lines more on a shard, the bare GROUP
 * BY 0.23 — measured with system.query_log's CPU time, 2026-12-03). Orders
 * may share a second: ties go to the least (first) and greatest (last) order
 * key, as in the portable step.
 */
function perCustomerOccasions({ table, occasion, end, withinDay, ordered = false }: OccasionInput): string {
  const days = 'groupArrayIf(occasion, buy)';
  // An occasion a lambda compares with goes in as one more array (`replicate`: the value once per element), never
  // captured: 18.16 does not count what a lambda captures as needed, so with the summary read in part (monetary_value
  // alone, first_occasion not read) `ts`, which only first_occasion needs, was left out of the rows below — "Unknown
  // identifier: ts"
  const each = (value: string, array: string) => `replicate(${value}, ${array})`;
  // Each occasion's net spend in exact 10⁻⁹ steps: the lines with an amount summed by occasion (a 64-bit hash of it:
  // sumMap takes no String keys) with one sumMap — every line (returns are negative), the purchase lines, and how many
  // purchase lines (sumMap leaves out a key whose sums are all 0: a return-only occasion of amount 0, which is no
  // occasion). An occasion with a purchase line spends its net when that is above 0 or when no return took anything
  // (the net is what it bought, 0 included); else returns took back all it bought and it has no spend — as the
  // portable step's `netOccasionSpend`. An occasion whose purchase lines have no amount has no purchase line counted.
  const nets = `sumMapIf([cityHash64(occasion)], [${nanoUnits('assumeNotNull(amount)')}], [if(buy, ${nanoUnits('assumeNotNull(amount)')}, toDecimal128(0, 0))], [toUInt64(buy)], isNotNull(amount))`;
  // an occasion spent: a purchase line (c), and a net (n) above 0 or what it bought (b)
  const spent = 'c > 0 AND (n > 0 OR n = b)';
  const spends = `arrayFilter((n, b, c) -> ${spent}, (${nets} AS occasion_nets).2, occasion_nets.3, occasion_nets.4)`;
  return `SELECT customer_id,
    minIf(ts, buy) AS first_ts,
    ${withinDay ? 'maxIf(ts, buy)' : `arrayReduce('min', arrayFilter((t, o, last) -> o = last, groupArrayIf(ts, buy), ${days}, ${each('last_occasion', days)}))`} AS last_ts,
    uniqExactIf(occasion, buy) AS occasions,
    ${orderFreeSum('if(buy, amount, NULL)')} AS gross,
    if(empty(${spends} AS spends), NULL, ${nanoUnitsToDouble("arrayReduce('sum', spends)")}) AS valued_spend,
    if(empty(arrayFilter((n, b, c, k, first) -> k = first AND ${spent}, occasion_nets.2, occasion_nets.3, occasion_nets.4, occasion_nets.1, ${each('cityHash64(first_occasion)', 'occasion_nets.1')}) AS first_spends), NULL,
      ${nanoUnitsToDouble('first_spends[1]')}) AS first_spend,
    length(spends) AS valued_occasions,
    uniqExactIf(cityHash64(occasion, assumeNotNull(order_id)), buy AND isNotNull(order_id)) AS orders,
    ${orderFreeSum('CASE WHEN is_return THEN amount ELSE 0 END')} AS money_returns,
    ${orderFreeSum('CASE WHEN is_return THEN -abs(cost) ELSE cost END')} AS money_cost,
    ${ordered ? 'minIf(occasion, buy)' : 'argMinIf(occasion, (ts, occasion), buy)'} AS first_occasion,
    ${ordered ? 'maxIf(occasion, buy)' : lastOrderStarted(days)} AS last_occasion
  FROM (SELECT customer_id, ts, amount, cost, order_id, is_return, NOT is_return AS buy, ${occasion} AS occasion FROM ${table} WHERE ts < ${end}) r
  GROUP BY customer_id HAVING countIf(buy) > 0`;
}

/**
 * The occasion (an order) that started last — an order's place is its first line's time, as the portable step ranks
 * orders; ties to the greatest key. Not the order holding the latest line: an order whose lines span days started
 * before a later one may hold it. The purchase lines sorted by (order, ts) give each order's first time where the
 * order changes; the latest of those (time, then key) wins. Per customer, in the arrays the step builds anyway.
 */
function lastOrderStarted(occasions: string): string {
  const sorted = `(arraySort((o, t) -> (o, t), ${occasions}, groupArrayIf(ts, buy)) AS occasions_by_start)`;
  const firstOfEach = (lambda: string, ...arrays: string[]) => `arrayFilter(${lambda}, ${arrays.join(', ')}, arrayEnumerate(occasions_by_start))`;
  const starts = firstOfEach('(t, o, i) -> i = 1 OR o != occasions_by_start[i - 1]', `arraySort((t, o) -> (o, t), groupArrayIf(ts, buy), ${occasions})`, 'occasions_by_start');
  return `arrayReverseSort((o, t) -> (t, o), ${firstOfEach('(o, i) -> i = 1 OR o != occasions_by_start[i - 1]', sorted)}, ${starts})[1]`;
}

/**
 * lag() without window functions: the rows numbered in (group, order), each
 * joined to the row numbered one before it in the same group. (Renamed, not
 * `position + 1 AS position`: 18.16's aliases are global to a query.)
 */
function previousInGroup(source: string, partitionBy: string, orderBy: string, value: string, name: string): string {
  const numbered = clickhouseNumberRows(source, `${partitionBy}, ${orderBy}`, 'in_group_position');
  return `SELECT * FROM (SELECT *, in_group_position - 1 AS previous_position FROM (${numbered}) current_rows) current_rows
  LEFT JOIN (SELECT ${partitionBy}, in_group_position AS previous_position, ${value} AS ${name} FROM (${numbered}) previous_rows) previous_rows USING (${partitionBy}, previous_position)`;
}

// no window functions in 18.16: the sorted rows numbered as they stream out of one sort
function clickhouseNumberRows(source: string, orderBy: string, name: string): string {
  return `SELECT *, toInt64(rowNumberInAllBlocks() + 1) AS ${name} FROM (SELECT * FROM (${source}) numbered_source ORDER BY ${orderBy}) sorted_source`;
}

/** ClickHouse strptime patterns are not supported; only the ISO layouts `parseDateTimeBestEffort` reads are. */
const ISO_FORMATS = new Set(['%Y-%m-%d', '%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M']);

/**
 * SQL as ClickHouse (18.16 and later) spells it. What 18.16 lacks is written
 * with what it has: `dateDiff` → `toRelativeDayNum` differences, the
 * interpolated median → a sorted `groupArray`. Timestamps are `DateTime`
 * (whole seconds, UTC: the cluster runs with `<timezone>UTC</timezone>`).
 * Statement-level differences (no CTEs, one JOIN per SELECT) are handled by
 * the warehouse (`inlineCtes`), not here.
 */
export const clickhouseDialect: SqlDialect = {
  name: 'clickhouse',
  identifier: (name) => `\`${name.replaceAll('\\', '\\\\').replaceAll('`', '\\`')}\``,
  literal: quoteLiteral,
  timestamp: (iso) => `toDateTime(${quoteLiteral(iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '').slice(0, 19))})`,
  daysBetween: (start, end) => `(toRelativeDayNum(${end}) - toRelativeDayNum(${start}))`,
  dayOf: (ts) => `toDate(${ts})`,
  // an interval cannot be Nullable in 18.16: NULL days are tested first
  addDays: (ts, days) => `if(isNull(${days}), NULL, ${ts} + toIntervalDay(toInt32(assumeNotNull(${days}))))`,
  monthOf: (ts) => `toStartOfMonth(${ts})`,
  weekOf: (ts) => `toMonday(${ts})`,
  hourOf: (ts) => `toStartOfHour(toDateTime(${ts}))`,
  // a DateTime holds whole seconds already (the ingest copy drops the milliseconds: append-columns.ts)
  secondOf: (ts) => `toDateTime(${ts})`,
  hoursBetween: (start, end) => `(toRelativeHourNum(toDateTime(${end})) - toRelativeHourNum(toDateTime(${start})))`,
  monthsBetween: (start, end) => `(toRelativeMonthNum(${end}) - toRelativeMonthNum(${start}))`,
  tryNumber: (text) => `toFloat64OrNull(${text})`,
  isFinite: (value) => `isFinite(${value})`,
  tryTimestamp: (text, formats) => {
    const unsupported = formats.filter((format) => !ISO_FORMATS.has(format));
    if (unsupported.length > 0) throw new Error(`the ClickHouse dialect parses ISO timestamps only, not ${unsupported.join(', ')}`);
    return formats.length === 0 ? 'CAST(NULL AS Nullable(DateTime))' : `parseDateTimeBestEffortOrNull(${text})`;
  },
  epochSeconds: (text) => `toDateTime(toInt64OrNull(${text}))`,
  epochMilliseconds: (text) => `toDateTime(intDiv(toInt64OrNull(${text}), 1000))`,
  epochMicroseconds: (text) => `toDateTime(intDiv(toInt64OrNull(${text}), 1000000))`,
  md5: (text) => `lower(hex(MD5(${text})))`,
  fullMatch: (text, pattern) => `match(${text}, ${quoteLiteral(`^(?:${pattern})$`)})`,
  replaceFirstMatch: (text, pattern, replacement) => `replaceRegexpOne(${text}, ${quoteLiteral(pattern)}, ${quoteLiteral(replacement)})`,
  oneOf: (text, values) => `has([${values.map(quoteLiteral).join(', ')}], ${text})`,
  argMin: (value, by) => `argMin(${value}, ${by})`,
  // a Nullable argument makes the aggregate skip its NULL rows; a tuple holding it is not Nullable itself
  argMinKeepingNull: (value, by) => `argMin(tuple(${value}), ${by}).1`,
  argMax: (value, by) => `argMax(${value}, ${by})`,
  // exact in 1e-9 steps whatever order the shards' partial sums arrive in, rounded as DuckDB's DECIMAL(38, 9) (nanoUnits)
  orderFreeSum,
  // uniqExact of only NULLs is NULL in 18.16 (and a CAST of it to a non-Nullable type fails): 0 as on DuckDB
  countDistinct: (expr) => `ifNull(uniqExact(${expr}), 0)`,
  median: (expr) => interpolatedMedian(`arraySort(groupArray(${expr}))`),
  mad: (expr) => {
    const sorted = `arraySort(groupArray(${expr}))`;
    const median = interpolatedMedian(sorted);
    return interpolatedMedian(`arraySort(arrayMap(v -> abs(v - ${median}), ${sorted}))`);
  },
  // no window functions in 18.16: the (value, n) pairs sorted in one array, then a running sum over it
  countBefore: (source, order) => {
    const pairs = `arraySort(p -> ${order === 'ASC' ? 'p.1' : '-p.1'}, groupArray((value, n)))`;
    return `SELECT pair.1 AS value, toInt64(pair.2) AS before FROM (
  SELECT arrayJoin(arrayMap((p, running) -> (p.1, running - p.2), sorted, arrayCumSum(arrayMap(p -> p.2, sorted)))) AS pair
  FROM (SELECT ${pairs} AS sorted FROM (${source}) counted) s
) r`;
  },
  numberRows: clickhouseNumberRows,
  // no window functions in 18.16: sorted, then the first rows of each group by LIMIT … BY
  firstPerGroup: (source, partitionBy, orderBy, count = 1) => `SELECT * FROM (${source}) grouped_source ORDER BY ${partitionBy}, ${orderBy} LIMIT ${count} BY ${partitionBy}`,
  previousInGroup,
  perCustomerOccasions,
  // CAST(NULL AS Int64) fails in 18.16 (customers.csv's orders of a prospect, who has no summary row)
  castKeepingNull: (expr, type) => `CAST(${expr} AS Nullable(${type}))`,
};
