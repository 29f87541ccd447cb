/**
 * RFM scores in SQL: quintile scores 1–5 of recency, frequency and monetary
 * value, and the named segment from a score → segment map.
 *
 * Score of a customer on one dimension, with n customers:
 *
 *   score = 1 + ⌊5 · (rank − 1) / n⌋,  rank = SQL `rank()` in the order worst → best
 *
 * `rank()` (computed as 1 + the number of customers with a strictly worse
 * value, through the dialect's `countBefore`) gives tied values the rank of the first of them (1 + the number of
 * customers with a strictly worse value), so **equal values always get equal
 * scores** by construction, whatever the row order, and the result does not
 * depend on customer ids. It is the ntile cut of the sorted customers in
 * which a block of ties takes the position of its first member: the bands
 * hold a fifth of the customers each when values are distinct, and a large
 * block of ties (e.g. the many one-time buyers on frequency) stays whole in
 * the band where it starts, so some scores may be empty.
 *
 * Orders: recency by days since the last purchase, more days = worse (a more
 * recent customer scores higher); frequency by purchase occasions; monetary
 * by net spend in the window (`total`, default) or net spend per occasion
 * (`average`), rounded to 6 decimals so that float sums of equal amounts
 * tie; more is better for both. Without order values (`monetary: 'none'`)
 * the scoring is RF: m_score is NULL, FM = F and rfm_score has two digits.
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

/** Per distinct value of `column` of `base`: the customers with a worse value (`before`, i.e. SQL `rank()` − 1 in the order worst → best). */
function worseCountSql(d: SqlDialect, column: string, order: 'ASC' | 'DESC'): string {
  return d.countBefore(`SELECT ${column} AS value, count(*) AS n FROM base WHERE ${column} IS NOT NULL GROUP BY ${column}`, order);
}

/** `score = 1 + ⌊5 (rank − 1) / n⌋` from the number of customers ranked before (`before` = rank − 1). */
function quintileScoreSql(before: string): string {
  return `CAST(1 + floor(5.0 * ${before} / t.customers) AS BIGINT)`;
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
  const monetary = rf ? 'CAST(NULL AS DOUBLE)' : options.monetary === 'average' ? 'round(b.total_spend / b.occasions, 6)' : 'round(b.total_spend, 6)';
  // portable SQL (DuckDB and ClickHouse 18.16): ranks from the dialect's running count, one JOIN per SELECT
  return `
WITH base AS (
  SELECT b.customer_id AS customer_id, b.days_since_last AS recency_days, b.occasions AS frequency, ${monetary} AS monetary,
    b.total_spend AS total_spend, b.historic_clv AS historic_clv
  FROM (${buildCustomerBaseSql(d, options)}) b
),
totals AS (SELECT count(*) AS customers, count(monetary) AS with_monetary FROM base),
r_before AS (${worseCountSql(d, 'recency_days', 'DESC')}),
f_before AS (${worseCountSql(d, 'frequency', 'ASC')}),
with_r AS (SELECT b.*, r.before AS r_worse FROM base b LEFT JOIN r_before r ON r.value = b.recency_days),
with_rf AS (SELECT w.*, f.before AS f_worse FROM with_r w LEFT JOIN f_before f ON f.value = w.frequency),
${
  rf
    ? 'with_rfm AS (SELECT w.*, CAST(NULL AS BIGINT) AS m_worse FROM with_rf w),'
    : `m_before AS (${worseCountSql(d, 'monetary', 'ASC')}),
with_rfm AS (SELECT w.*, m.before AS m_worse FROM with_rf w LEFT JOIN m_before m ON m.value = w.monetary),`
}
scored AS (
  SELECT w.customer_id AS customer_id, w.recency_days AS recency_days, w.frequency AS frequency, w.monetary AS monetary,
    w.total_spend AS total_spend, w.historic_clv AS historic_clv,
    ${quintileScoreSql('w.r_worse')} AS r_score,
    ${quintileScoreSql('w.f_worse')} AS f_score,
    ${rf ? 'CAST(NULL AS BIGINT)' : quintileScoreSql('COALESCE(w.m_worse, CAST(t.with_monetary AS BIGINT))')} AS m_score
  FROM with_rfm w CROSS JOIN totals t
),
combined AS (
  SELECT scored.*, ${rf ? 'f_score' : 'CAST(floor((f_score + m_score) / 2.0) AS BIGINT)'} AS fm_score FROM scored
)
SELECT customer_id, recency_days, frequency, monetary, total_spend, historic_clv, r_score, f_score, m_score, fm_score,
  CAST(${rf ? 'r_score * 10 + f_score' : 'r_score * 100 + f_score * 10 + m_score'} AS VARCHAR) AS rfm_score,
  ${buildRfmSegmentCaseSql(d, rules)} AS segment
FROM combined`;
}
