/**
 * RFM scores in SQL: scores 1–5 of recency, frequency and monetary value
 * (quintiles of the customers' percent ranks), and the named segment from a
 * score → segment map.
 *
 * Score of a customer on one dimension, from W = the customers with a
 * strictly worse value and B = the customers with a strictly better one:
 *
 *   q = W / (W + B)                 (the percent rank, ties left out)
 *   score = 1 + ⌊5 q⌋, and 5 when q = 1
 *
 * q is the share of the customers whose value differs from this customer's
 * that have a worse one. With distinct values it is SQL `percent_rank()`,
 * (rank − 1) / (n − 1), so the scores are the quintiles (a fifth of the
 * customers each); customers tied with this one are neither better nor worse
 * and are left out, as the sign test leaves out ties. So:
 *
 * - **equal values always get equal scores** (q depends on the value alone,
 *   not on row order or customer ids);
 * - the scores follow the direction: **the best value scores 5** (B = 0)
 *   and **the worst scores 1** (W = 0), however many customers share it —
 *   85 of 100 customers who bought on the as-of day all get R 5, and
 *   one-time buyers, however many, F 1;
 * - a block of ties in between gets the score of its place among the others
 *   (e.g. 2 purchases, with 36% of customers buying less and 44% more,
 *   q = 0.45: F 3), so a score may be empty or hold more than a fifth;
 * - when every customer has the same value (W + B = 0) the dimension ranks
 *   nobody above anybody: everyone gets the middle score, 3.
 *
 * W and B come from the dialect's `countBefore` in the two orders (a running
 * sum over the distinct values; no window functions on ClickHouse 18.16).
 *
 * Orders: recency by days since the last purchase, more days = worse (a more
 * recent customer scores higher); frequency by purchase occasions; monetary
 * by net spend in the window (`total`, default) or net spend per occasion
 * whose spend is known (`average`), rounded to 6 decimals so that float sums of equal amounts
 * tie; more is better for both. A customer without a monetary value (every
 * purchase without an amount) gets M 1 and is left out of the others' ranks.
 * Without order values (`monetary: 'none'`) the scoring is RF: m_score is
 * NULL, FM = F and rfm_score has two digits.
 */
import type { SqlDialect } from '../engine/sql-dialect.js';
import { buildCustomerBaseSql, type CustomerBaseOptions } from '../features/customer-base.js';
import { DEFAULT_RFM_SEGMENT_RULES, type RfmSegmentRule } from './rfm-segment-rules.js';

/** What the M of RFM measures; `none` for data without order values (RF scoring: FM = F, m_score NULL). */
export type RfmMonetary = 'total' | 'average' | 'none';

export interface RfmScoresOptions extends CustomerBaseOptions {
  readonly monetary?: RfmMonetary;
  /** score → segment map (default `DEFAULT_RFM_SEGMENT_RULES`); check it with `checkRfmSegmentRules` first */
  readonly rules?: readonly RfmSegmentRule[];
}

/**
 * Per distinct non-NULL value of `column` of `base`: `worse` and `better`,
 * the customers with a strictly worse and a strictly better value, `order`
 * being worst → best (`DESC` for recency days).
 */
function rankCountsSql(d: SqlDialect, column: string, order: 'ASC' | 'DESC'): string {
  const counted = `SELECT ${column} AS value, count(*) AS n FROM base WHERE ${column} IS NOT NULL GROUP BY ${column}`;
  const reverse = order === 'ASC' ? 'DESC' : 'ASC';
  return `SELECT w.value AS value, w.before AS worse, b.better AS better
  FROM (${d.countBefore(counted, order)}) w
  JOIN (SELECT value AS better_value, before AS better FROM (${d.countBefore(counted, reverse)}) c) b ON b.better_value = w.value`;
}

/** `score = 1 + ⌊5 W / (W + B)⌋`, 5 when B = 0 (the best value), 3 when W + B = 0 (everyone tied); 1 when `worse` is NULL (no value). */
function quintileScoreSql(worse: string, better: string): string {
  return `CAST(CASE WHEN ${worse} IS NULL THEN 1 WHEN ${worse} + ${better} = 0 THEN 3 WHEN ${better} = 0 THEN 5 ELSE 1 + floor(5.0 * ${worse} / (${worse} + ${better})) END AS BIGINT)`;
}

/** The segment CASE of a rule table on columns `r_score` and `fm_score`. */
export function buildRfmSegmentCaseSql(d: SqlDialect, rules: readonly RfmSegmentRule[]): string {
  const branches = rules.map(
    (rule) => `WHEN r_score BETWEEN ${rule.r[0]} AND ${rule.r[1]} AND fm_score BETWEEN ${rule.fm[0]} AND ${rule.fm[1]} THEN ${d.literal(rule.segment)}`,
  );
  return `CASE ${branches.join(' ')} END`;
}

/**
 * One row per customer of the base: `customer_id`, `recency_days`,
 * `frequency` (purchase occasions), `monetary`, `total_spend` (net),
 * `historic_clv` (net − cost), `r_score`, `f_score`,
 * `m_score`, `fm_score` (⌊(F + M) / 2⌋), `rfm_score` (text `RFM`, e.g. `545`)
 * and `segment`.
 */
export function buildRfmScoresSql(d: SqlDialect, options: RfmScoresOptions): string {
  const rules = options.rules ?? DEFAULT_RFM_SEGMENT_RULES;
  // rounded to 1e-6 so that sums of the same amounts added in another order (1-ulp apart) stay equal and tie
  const rf = options.monetary === 'none';
  // per occasion: over the occasions whose spend is known (one of lines without an amount is no spend of 0)
  const monetary = rf ? 'CAST(NULL AS DOUBLE)' : options.monetary === 'average' ? 'round(b.total_spend / NULLIF(b.valued_occasions, 0), 6)' : 'round(b.total_spend, 6)';
  // portable SQL (DuckDB and ClickHouse 18.16): ranks from the dialect's running count, one JOIN per SELECT
  return `
WITH base AS (
  SELECT b.customer_id AS customer_id, b.days_since_last AS recency_days, b.occasions AS frequency, ${monetary} AS monetary,
    b.total_spend AS total_spend, b.historic_clv AS historic_clv
  FROM (${buildCustomerBaseSql(d, options)}) b
),
r_ranks AS (${rankCountsSql(d, 'recency_days', 'DESC')}),
f_ranks AS (${rankCountsSql(d, 'frequency', 'ASC')}),
with_r AS (SELECT b.*, r.worse AS r_worse, r.better AS r_better FROM base b LEFT JOIN r_ranks r ON r.value = b.recency_days),
with_rf AS (SELECT w.*, f.worse AS f_worse, f.better AS f_better FROM with_r w LEFT JOIN f_ranks f ON f.value = w.frequency),
${
  rf
    ? 'with_rfm AS (SELECT w.*, CAST(NULL AS BIGINT) AS m_worse, CAST(NULL AS BIGINT) AS m_better FROM with_rf w),'
    : `m_ranks AS (${rankCountsSql(d, 'monetary', 'ASC')}),
with_rfm AS (SELECT w.*, m.worse AS m_worse, m.better AS m_better FROM with_rf w LEFT JOIN m_ranks m ON m.value = w.monetary),`
}
scored AS (
  SELECT w.customer_id AS customer_id, w.recency_days AS recency_days, w.frequency AS frequency, w.monetary AS monetary,
    w.total_spend AS total_spend, w.historic_clv AS historic_clv,
    ${quintileScoreSql('w.r_worse', 'w.r_better')} AS r_score,
    ${quintileScoreSql('w.f_worse', 'w.f_better')} AS f_score,
    ${rf ? 'CAST(NULL AS BIGINT)' : quintileScoreSql('w.m_worse', 'w.m_better')} AS m_score
  FROM with_rfm w
),
combined AS (
  SELECT scored.*, ${rf ? 'f_score' : 'CAST(floor((f_score + m_score) / 2.0) AS BIGINT)'} AS fm_score FROM scored
)
SELECT customer_id, recency_days, frequency, monetary, total_spend, historic_clv, r_score, f_score, m_score, fm_score,
  CAST(${rf ? 'r_score * 10 + f_score' : 'r_score * 100 + f_score * 10 + m_score'} AS VARCHAR) AS rfm_score,
  ${buildRfmSegmentCaseSql(d, rules)} AS segment
FROM combined`;
}
