import { addDays, parseDay } from '../core/calendar-days.js';
import { UserError } from '../core/errors/user-error.js';
import { DAYS_PER_UNIT, type TimeUnit } from '../core/time-unit.js';
import { orderKeySql, type SqlDialect } from '../engine/sql-dialect.js';
import { buildCustomerSummarySql, netOccasionSpend, occasionSpendSums, PURCHASE_LINES, type PurchaseGrain } from './customer-summary.js';
import { currentCustomersSql, type CustomerValueColumn } from '../engine/current-customers.js';

export interface LearnedFeaturesOptions {
  /** cut-off: last day whose purchases the features may see (inclusive), YYYY-MM-DD */
  asOf: string;
  timeUnit: TimeUnit;
  grain?: PurchaseGrain;
  /** with a label window: purchase occasions and spend in (asOf, labelEnd] become `label_purchases`, `label_spend` */
  labelEnd?: string;
  /** source table (default `transactions`) */
  table?: string;
  /**
   * channel, country and region fall back to the customer profiles (`customers`) where the transactions have none
   * (default true); false: the transactions only — `validate`, which reads nothing else (a file validated on DuckDB
   * has no profiles, so the same file on a cluster holding profiles gave another answer)
   */
  profiles?: boolean;
  /**
   * a table holding this cut-off's `buildLearnedCategoriesSql` rows (same `asOf`, `table`, `profiles`), read in place
   * of the categories' CTEs: ClickHouse 18.16, without CTEs, inlines them at each of their five reads, and analysing
   * those copies was most of the query's cost (learned-snapshot.ts stages them there)
   */
  stagedCategories?: string;
}

/**
 * The feature columns, in the order the learned models receive them. Money,
 * product and return features are NULL (NaN in TypeScript) when the log has
 * no order values or product ids; gap features are NULL below two gaps.
 */
export const LEARNED_FEATURE_NAMES = [
  'frequency',
  'recency',
  'T',
  'orders',
  'monetary_mean',
  'monetary_max',
  'monetary_trend',
  'ipt_mean',
  'ipt_cv',
  'last_gap_ratio',
  'since_last_ratio',
  'litt',
  'purchases_4w',
  'purchases_13w',
  'purchases_26w',
  'purchases_52w',
  'season_share',
  'product_diversity',
  'return_share',
  'channel_share',
  'country_share',
  'region_share',
  'acquired_days',
] as const;

/** The categorical attributes given to the models as target-free frequency codes: transaction column, then profile column. */
const CATEGORIES = [
  { feature: 'channel_share', transactions: 'channel', profile: 'acquisition_channel' },
  { feature: 'country_share', transactions: 'country', profile: 'country' },
  { feature: 'region_share', transactions: 'region', profile: 'region' },
] as const;

export type LearnedFeatureName = (typeof LEARNED_FEATURE_NAMES)[number];

/** Calendar months (1–12) touched by the days (from, to]. */
function monthsOfWindow(from: string, to: string): number[] {
  const months = new Set<number>();
  for (let day = addDays(from, 1); day <= to && months.size < 12; day = addDays(day, 7)) months.add(Number(day.slice(5, 7)));
  months.add(Number(to.slice(5, 7)));
  return [...months].sort((a, b) => a - b);
}

/** `lines` per customer (product diversity, returned and gross spend) carried to the codes beside the categories. */
const LINE_COLUMNS = ['product_diversity', 'returned', 'gross'];
const LINE_CARRIED = LINE_COLUMNS.map((x) => `l__${x}`);

/**
 * The CTEs up to `categories` (one row per customer with a purchase line before `end`: its line statistics, prefixed
 * `l__`, and its channel, country and region value, `<feature>_value`), for `buildLearnedFeaturesSql` and
 * `buildLearnedCategoriesSql`.
 */
// Without profiles a customer's value is the transactions' mode alone, not COALESCE(mode, CAST(NULL AS VARCHAR)): the
// same values, and ClickHouse 18.16 makes a malformed Nullable column of a COALESCE with a constant NULL, which a
// SELECT sends but a table refuses — writing it into the staged categories crashed the server (segfault in
// ColumnNullable::checkConsistency; test/engine/clickhouse/learned-features-two-engines.test.ts stages them without profiles).
function categoriesCtes(d: SqlDialect, table: string, end: string, profiles: boolean): string {
  // the summary's customers are those with a purchase line by the cut-off: read from `lines` (already one row per
  // customer), not the summary (which ClickHouse 18.16 would compute again for every read of `categories`: 8.4 s →
  // 3.2–5.4 s on the CDNOW sample, load ~30); their line statistics ride along to the codes, so that the rows are
  // joined once, with the codes, instead of once more on their own
  // one JOIN per SELECT, on customer_id (USING), each table's columns prefixed (ClickHouse 18.16 takes one JOIN per
  // SELECT, and its aliases are global to a query: `round(x, 6) AS x` would name itself)
  const categoryChain = CATEGORIES.reduce(
    (chain, c, i) => `SELECT customer_id, ${[...LINE_CARRIED, ...CATEGORIES.map((x) => `${x.feature}_profile`), ...CATEGORIES.slice(0, i).map((x) => `${x.transactions}_mode_value`)].join(', ')}, ${c.transactions}_mode_value FROM (${chain}) category_chain_${i} LEFT JOIN ${c.transactions}_mode USING (customer_id)`,
    `SELECT customer_id, ${[...LINE_CARRIED, ...CATEGORIES.map((c) => (profiles ? `${c.feature}_value AS ${c.feature}_profile` : `CAST(NULL AS VARCHAR) AS ${c.feature}_profile`))].join(', ')} FROM (SELECT customer_id, ${LINE_COLUMNS.map((x) => `${x} AS l__${x}`).join(', ')} FROM lines WHERE purchase_lines > 0) summary_ids${profiles ? ' LEFT JOIN profile USING (customer_id)' : ''}`,
  );
  return `lines AS (
  SELECT customer_id,
    CASE WHEN count(product_id) = 0 THEN NULL ELSE CAST(count(product_id) AS DOUBLE) END AS product_diversity,
    sum(product_returned) AS returned,
    sum(product_gross) AS gross,
    sum(product_purchases) AS purchase_lines
  FROM (
    SELECT customer_id, product_id, sum(CASE WHEN is_return THEN -amount ELSE 0 END) AS product_returned, sum(CASE WHEN is_return THEN 0 ELSE amount END) AS product_gross, sum(CASE WHEN is_return THEN 0 ELSE 1 END) AS product_purchases
    FROM ${table} WHERE ts < ${end} GROUP BY customer_id, product_id
  ) per_product GROUP BY customer_id
),
${CATEGORIES.map((c) => `${c.transactions}_mode AS (
  SELECT customer_id, ${d.argMin(c.transactions, `(-value_lines, ${c.transactions})`)} AS ${c.transactions}_mode_value
  FROM (SELECT customer_id, ${c.transactions}, count(*) AS value_lines FROM ${table} WHERE NOT is_return AND ts < ${end} AND ${c.transactions} IS NOT NULL GROUP BY customer_id, ${c.transactions}) value_counts
  GROUP BY customer_id
)`).join(',\n')},
${profiles ? `profile AS (
  SELECT customer_id, ${CATEGORIES.map((c) => `${c.profile} AS ${c.feature}_value`).join(', ')} FROM ${currentCustomersSql(d, CATEGORIES.map((c) => c.profile as CustomerValueColumn))} cc
),
` : ''}categories AS (
  SELECT customer_id, ${LINE_CARRIED.join(', ')}, ${CATEGORIES.map((c) => (profiles ? `COALESCE(${c.transactions}_mode_value, ${c.feature}_profile)` : `${c.transactions}_mode_value`) + ` AS ${c.feature}_value`).join(', ')}
  FROM (${categoryChain})
)`;
}

/**
 * Per-customer features for the learned models as of a cut-off date, in SQL
 * (one row per customer with a purchase by `asOf`, ordered by every feature
 * and label and only then by the token, so that row-order-dependent steps
 * (row sampling) do not depend on the pseudonymisation key):
 *
 * - the BTYD summary (frequency x, recency t_x, T, orders) taken from
 *   `buildCustomerSummarySql`, so the definitions are the summary's own;
 * - spend per purchase occasion, over the occasions whose spend is known
 *   (an occasion of lines without an amount is no spend of 0): mean, max,
 *   trend (the last such occasion ÷ mean);
 * - inter-purchase times (in the time unit) between consecutive occasions:
 *   mean, coefficient of variation (NULL below two gaps), last gap ÷ mean gap,
 *   time since the last purchase ÷ mean gap, and `litt` = Σ log(gap), the
 *   regularity statistic of MBG/CNBD-k; `litt_days`, the same with the gaps
 *   in days whatever the unit, is what the learned models receive as `litt`
 *   (learned-snapshot.ts): Σ log(gap) in another unit moves by
 *   (gaps) · log(unit days), which reorders customers with different numbers
 *   of gaps, and the trees (binned by rank) gave another model per unit;
 * - occasions in the last 4, 13, 26 and 52 weeks before the cut-off;
 * - seasonality: the share of the customer's occasions that fell in the
 *   calendar months of the coming window of the label's length (NULL when the
 *   customer's history is shorter than a year);
 * - distinct products, returned share of gross spend, and the acquisition
 *   day (days from the first purchase in the table to the customer's first);
 * - channel, country and region where the data have them, as target-free
 *   frequency codes: the share of the cut-off's customers who share the
 *   customer's value (1 for a single-valued column) — the customer's most
 *   frequent value in the transactions to the cut-off, else the profile's
 *   (`customers.acquisition_channel`, `country`, `region`; not with
 *   `profiles: false`); NULL when neither has one. A code, unlike one-hot columns of the top-k values, means the same
 *   at every cut-off, so training and scoring rows always have the same columns.
 *
 * `monetary_value`, `monetary_frequency` (the summary's mean spend of the
 * repeat occasions whose spend is known and their number: what Gamma-Gamma
 * fits on) and `litt_days` come along but are not in LEARNED_FEATURE_NAMES. With `labelEnd`, `label_purchases` and `label_spend` hold the occasions and
 * spend in (asOf, labelEnd]. The BTYD model outputs (P(alive), E[X(t)],
 * Gamma-Gamma spend) are added by the caller after fitting on the same window.
 * Money is rounded to 6 decimals and the other computed ratios to 9: the
 * engine's parallel sums differ in the last bits from run to run, and the
 * row order and the fits downstream must not.
 * Standard SQL with window functions (lag); engine differences go through the dialect.
 *
 * Example: `buildLearnedFeaturesSql(duckdbDialect, { asOf: '1997-06-30', labelEnd: '1997-09-30', timeUnit: 'week' })`
 */
export function buildLearnedFeaturesSql(d: SqlDialect, options: LearnedFeaturesOptions): string {
  const asOf = parseDay(options.asOf, 'the feature cut-off');
  const table = options.table ?? 'transactions';
  const unitDays = DAYS_PER_UNIT[options.timeUnit];
  if (unitDays === undefined) throw new UserError(`time unit ${options.timeUnit} is not one of day, week, month`, 'pass --time-unit day|week|month');
  const labelEnd = options.labelEnd === undefined ? undefined : parseDay(options.labelEnd, 'the label window end');
  if (labelEnd !== undefined && labelEnd <= asOf) throw new UserError(`the label window end ${labelEnd} is not after the cut-off ${asOf}`, 'the label window starts the day after the cut-off');
  const end = d.timestamp(`${addDays(asOf, 1)}T00:00:00`);
  // Where the summary would group the table by (customer, occasion) exactly as the features do (an engine without its
  // own occasion step; days or orders, as here, for every unit but hours), one grouping serves both: the occasions carry
  // the summary's order-free spend (which the features average too) and distinct orders, and the summary's occasion
  // step (first/last purchase, occasions, gross, first spend, orders) is aggregated with the features' per-customer
  // statistics. The values are the same as with two groupings (the summary's money totals are not read here and left NULL).
  const shared = d.perCustomerOccasions === undefined && options.timeUnit !== 'hour';
  // the features' per-customer statistics, read beside the summary's columns: carried through the summary's rows where
  // the grouping is shared (one join of a million customers fewer), else joined on the customer
  const perCustomer = ['monetary_mean', 'monetary_max', 'last_spend', 'ipt_mean', 'ipt_sd', 'last_gap', 'litt', 'litt_days', 'season_share', 'purchases_4w', 'purchases_13w', 'purchases_26w', 'purchases_52w'];
  const carriedStats = perCustomer.map((x) => `c__${x}`);
  const occasionStep = `SELECT customer_id, s_first_ts AS first_ts, s_last_ts AS last_ts, s_occasions AS occasions, s_gross AS gross, s_valued_spend AS valued_spend, s_first_spend AS first_spend, s_valued AS valued_occasions, s_orders AS orders,
    CAST(NULL AS DOUBLE) AS money_returns, CAST(NULL AS DOUBLE) AS money_cost, ${perCustomer.map((x) => `${x} AS c__${x}`).join(', ')} FROM per_customer`;
  const summary = buildCustomerSummarySql(d, { asOf, timeUnit: options.timeUnit, grain: options.grain ?? 'day', table, ...(labelEnd ? { holdoutEnd: labelEnd } : {}), ...(shared ? { occasionStep, carry: carriedStats } : {}) });
  const asOfTs = d.timestamp(`${asOf}T00:00:00`);
  const period = options.grain === 'order' ? orderKeySql(d) : d.dayOf('ts');
  // orders may share a second: occasions in (time to the second, order key), so the last spend and gap do not depend on
  // the order the engine meets tied rows in, nor on the engine (ClickHouse keeps no milliseconds, DuckDB does)
  const byOrder = options.grain === 'order';
  // shared and by day: an occasion's distinct orders counted as the groups of its lines by order (count(order_id): an order
  // id of NULL is no order, as in count(DISTINCT order_id)) instead of a count(DISTINCT order_id) per occasion, which
  // was most of the occasion grouping's cost (1M customers: 9.7 → 5.9 CPU s). The same values: min of mins, the exact
  // sum of exact sums (DECIMAL(38, 9) partials, the dialect's order-free sum on top)
  const byDayAndOrder = shared && !byOrder;
  // an occasion's spend net of its returns (`netOccasionSpend`), exact: the spend the features average and the summary
  // reads (one sum: the float sum once kept beside it cost a sum per order and per occasion and differed only in the last bits),
  // and what the purchase lines alone bought (the summary's gross)
  const boughtExact = 'sum(CASE WHEN is_return THEN NULL ELSE order_exact END)';
  const netExact = netOccasionSpend(boughtExact, 'sum(order_exact)');
  const { bought: boughtSum, spend: netSum } = occasionSpendSums(d);
  const occasionOrder = byOrder ? `(${d.secondOf('first_ts')}, period)` : 'first_ts';
  const seasonMonths = monthsOfWindow(asOf, labelEnd ?? addDays(asOf, 91));
  const recent = (weeks: number) => `CAST(count(*) FILTER (WHERE ${d.daysBetween('o.first_ts', asOfTs)} < ${weeks * 7}) AS DOUBLE) AS purchases_${weeks}w`;
  const labels = labelEnd
    ? `,
  s__frequency_holdout AS label_purchases,
  round(s__spend_holdout, 6) AS label_spend`
    : '';
  // each value's customers counted once and joined back on the value (instead of a count(*) OVER (PARTITION BY value)
  // window per column, which sorted every customer, on one thread where a column has few values or only NULLs). The key
  // is (is it NULL, the value or ''): ClickHouse 18.16 joins on non-Nullable keys only, and with every key on both sides
  // no row goes unmatched (18.16 failed on the NULL counts of unmatched rows carried into the next join)
  const values = CATEGORIES.map((c) => `${c.feature}_value`);
  const codeChain = CATEGORIES.reduce((chain, c, i) => {
    const carried = [...LINE_CARRIED, ...values, ...CATEGORIES.slice(0, i).map((x) => `${x.feature}_customers`)].join(', ');
    const key = `${c.feature}_value IS NULL AS value_null_${i}, COALESCE(${c.feature}_value, '') AS value_key_${i}`;
    return `SELECT customer_id, ${carried}, ${c.feature}_customers
    FROM (SELECT customer_id, ${carried}, ${key} FROM (${chain}) code_chain_${i}) keyed_${i}
    JOIN (SELECT ${key}, count(*) AS ${c.feature}_customers FROM categories GROUP BY ${c.feature}_value IS NULL, COALESCE(${c.feature}_value, '')) value_counts_${i} USING (value_null_${i}, value_key_${i})`;
  }, `SELECT customer_id, ${[...LINE_CARRIED, ...values].join(', ')} FROM categories`);
  const parts = [
    ...(shared ? [] : [{ table: 'per_customer', columns: perCustomer.map((x) => `${x} AS c__${x}`), held: carriedStats }]),
    { table: 'category_codes', columns: [...LINE_CARRIED, ...CATEGORIES.map((c) => `${c.feature} AS k__${c.feature}`)], held: [...LINE_CARRIED, ...CATEGORIES.map((c) => `k__${c.feature}`)] },
  ];
  const summaryColumns = ['frequency', 'recency', 'T', 'orders', 'monetary_value', 'monetary_frequency', 'first_purchase', ...(labelEnd ? ['frequency_holdout', 'spend_holdout'] : [])];
  const chained: string[] = [`joined_0 AS (SELECT customer_id, ${[...summaryColumns.map((x) => `${d.identifier(x)} AS s__${x}`), ...(shared ? carriedStats : [])].join(', ')} FROM summary)`];
  let held = [...summaryColumns.map((x) => `s__${x}`), ...(shared ? carriedStats : [])];
  parts.forEach(({ table, columns, held: added }, i) => {
    chained.push(`joined_${i + 1} AS (SELECT customer_id, ${[...held, ...columns].join(', ')} FROM joined_${i} JOIN ${table} USING (customer_id))`);
    held = [...held, ...added];
  });
  chained.push(`joined_last AS (SELECT customer_id, ${held.join(', ')}, first_ts AS st__first_ts FROM joined_${parts.length} CROSS JOIN start)`);
  return `
WITH ${shared ? '' : `summary AS (${summary}
),
`}occasions AS (${byDayAndOrder ? `
  SELECT customer_id, period, min(CASE WHEN is_return THEN NULL ELSE order_ts END) AS first_ts, CAST(${netExact} AS DOUBLE) AS spend,
    CAST(${boughtExact} AS DOUBLE) AS exact_bought, count(CASE WHEN is_return THEN NULL ELSE order_id END) AS period_orders
  FROM (
    SELECT customer_id, ${period} AS period, order_id, is_return, min(ts) AS order_ts, sum(CAST(amount AS DECIMAL(38, 9))) AS order_exact
    FROM ${table} WHERE ts < ${end}
    GROUP BY customer_id, ${period}, order_id, is_return
  ) per_order
  GROUP BY customer_id, period
  HAVING ${PURCHASE_LINES}` : `
  SELECT customer_id, ${period} AS period, min(CASE WHEN is_return THEN NULL ELSE ts END) AS first_ts, ${netSum} AS spend${
    shared ? `, ${boughtSum} AS exact_bought, count(DISTINCT CASE WHEN is_return THEN NULL ELSE order_id END) AS period_orders` : ''
  }
  FROM ${table} WHERE ts < ${end}
  GROUP BY customer_id, ${period}
  HAVING ${PURCHASE_LINES}`}
),
gaps AS (
  SELECT customer_id, first_ts, ${byOrder ? 'period, ' : ''}spend, ${shared ? 'exact_bought, period_orders, ' : ''}${d.daysBetween('previous_ts', 'first_ts')} / ${unitDays} AS gap, ${d.daysBetween('previous_ts', 'first_ts')} AS gap_days
  FROM (${d.previousInGroup(`SELECT customer_id, first_ts, ${byOrder ? 'period, ' : ''}spend${shared ? ', exact_bought, period_orders' : ''} FROM occasions`, 'customer_id', byOrder ? `${d.secondOf('first_ts')}, period` : 'first_ts', 'first_ts', 'previous_ts')}) lagged
),
per_customer AS (
  SELECT customer_id,
    avg(spend) AS monetary_mean,
    max(spend) AS monetary_max,
    ${d.argMax('spend', occasionOrder)} AS last_spend,
    avg(gap) AS ipt_mean,
    CASE WHEN min(gap) = max(gap) AND count(gap) >= 2 THEN 0 ELSE stddev_samp(gap) END AS ipt_sd,
    ${d.argMax('gap', occasionOrder)} AS last_gap,
    sum(CASE WHEN gap > 0 THEN ln(gap) ELSE 0 END) AS litt,
    sum(CASE WHEN gap_days > 0 THEN ln(gap_days) ELSE 0 END) AS litt_days,
    CAST(count(*) FILTER (WHERE EXTRACT(MONTH FROM first_ts) IN (${seasonMonths.join(', ')})) AS DOUBLE) / count(*) AS season_share,
    ${recent(4)}, ${recent(13)}, ${recent(26)}, ${recent(52)}${shared ? `,
    min(first_ts) AS s_first_ts, max(first_ts) AS s_last_ts, count(*) AS s_occasions,
    ${d.orderFreeSum('exact_bought')} AS s_gross, ${d.orderFreeSum('spend')} AS s_valued_spend, ${d.argMinKeepingNull('spend', occasionOrder)} AS s_first_spend, count(spend) AS s_valued, sum(period_orders) AS s_orders` : ''}
  FROM gaps o GROUP BY customer_id
),${shared ? `
summary AS (${summary}
),` : ''}
start AS (SELECT min(ts) AS first_ts FROM ${table} WHERE NOT is_return),
${options.stagedCategories === undefined ? categoriesCtes(d, table, end, options.profiles !== false) : `categories AS (SELECT * FROM ${options.stagedCategories})`},
category_codes AS (
  SELECT customer_id, ${LINE_CARRIED.join(', ')}, ${CATEGORIES.map((c) => `CASE WHEN ${c.feature}_value IS NOT NULL THEN CAST(${c.feature}_customers AS DOUBLE) / cutoff_customers END AS ${c.feature}`).join(', ')}
  FROM (${codeChain}) coded
  CROSS JOIN (SELECT count(*) AS cutoff_customers FROM categories) everyone
),
${chained.join(',\n')}
SELECT
  customer_id,
  s__frequency AS frequency,
  s__recency AS recency,
  s__T AS ${d.identifier('T')},
  s__orders AS orders,
  round(s__monetary_value, 6) AS monetary_value,
  s__monetary_frequency AS monetary_frequency,
  round(c__monetary_mean, 6) AS monetary_mean,
  round(c__monetary_max, 6) AS monetary_max,
  round(CASE WHEN c__monetary_mean > 0 THEN c__last_spend / c__monetary_mean END, 9) AS monetary_trend,
  round(c__ipt_mean, 9) AS ipt_mean,
  round(CASE WHEN s__frequency >= 2 AND c__ipt_mean > 0 THEN c__ipt_sd / c__ipt_mean END, 9) AS ipt_cv,
  round(CASE WHEN c__ipt_mean > 0 THEN c__last_gap / c__ipt_mean END, 9) AS last_gap_ratio,
  round(CASE WHEN c__ipt_mean > 0 THEN (s__T - s__recency) / c__ipt_mean END, 9) AS since_last_ratio,
  round(c__litt, 9) AS litt,
  round(c__litt_days, 9) AS litt_days,
  c__purchases_4w AS purchases_4w,
  c__purchases_13w AS purchases_13w,
  c__purchases_26w AS purchases_26w,
  c__purchases_52w AS purchases_52w,
  CASE WHEN ${d.daysBetween('s__first_purchase', asOfTs)} >= 365 THEN round(c__season_share, 9) END AS season_share,
  l__product_diversity AS product_diversity,
  round(CASE WHEN l__gross > 0 THEN COALESCE(l__returned, 0) / l__gross END, 9) AS return_share,
  ${CATEGORIES.map((c) => `round(k__${c.feature}, 9) AS ${c.feature}`).join(',\n  ')},
  CAST(${d.daysBetween('st__first_ts', 's__first_purchase')} AS DOUBLE) AS acquired_days${labels}
FROM joined_last
ORDER BY ${[...LEARNED_FEATURE_NAMES, 'monetary_value', 'monetary_frequency', ...(labelEnd ? ['label_purchases', 'label_spend'] : []), 'customer_id'].map((name) => d.identifier(name)).join(', ')}`;
}

/**
 * The rows of the learned features' `categories` for the cut-off of `options` (`buildLearnedFeaturesSql`): one per
 * customer with a purchase line by the cut-off, with its line statistics (`l__product_diversity`, `l__returned`,
 * `l__gross`) and its channel, country and region values (`channel_share_value`, …), to be staged in a table and
 * passed back as `stagedCategories`. The features read them five times (the customers, three per-value counts, the
 * cut-off's customer count); ClickHouse 18.16, which has no CTEs, analysed five copies of their 13 subqueries.
 *
 * Example: `CREATE TEMP TABLE c AS ${buildLearnedCategoriesSql(d, o)}`, then `buildLearnedFeaturesSql(d, { ...o, stagedCategories: 'c' })`
 * gives the rows `buildLearnedFeaturesSql(d, o)` gives.
 */
export function buildLearnedCategoriesSql(d: SqlDialect, options: LearnedFeaturesOptions): string {
  const asOf = parseDay(options.asOf, 'the feature cut-off');
  const end = d.timestamp(`${addDays(asOf, 1)}T00:00:00`);
  return `WITH ${categoriesCtes(d, options.table ?? 'transactions', end, options.profiles !== false)}
SELECT * FROM categories`;
}
