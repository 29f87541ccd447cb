/**
 * RFM segmentation of the customer base as of a date: quintile scores in SQL
 * (`buildRfmScoresSql`: from each customer's percent rank among the customers
 * with a different value, so ties share a score and the best value scores 5),
 * the eleven named segments from a checked score →
 * segment map, one row per customer in a table (default `customer_rfm`), and
 * the per-segment summary for run.json and the report.
 */
import type { Warehouse } from '../engine/warehouse.js';
import { checkTableName } from '../features/table-name.js';
import { buildRfmScoresSql, type RfmMonetary, type RfmScoresOptions } from './build-rfm-scores-sql.js';
import { checkRfmSegmentRules, DEFAULT_RFM_SEGMENT_RULES, type RfmSegmentRule } from './rfm-segment-rules.js';
import { resolveScoresTable } from './resolve-scores-table.js';
import type { RfmDimension } from './rfm-same-for-all.js';

export interface RfmSegmentsOptions extends RfmScoresOptions {
  /** table written, one row per customer (default `customer_rfm`) */
  readonly table?: string;
  /** table with `predicted_clv_12m` per customer; default `customer_scores` when it exists; null: none */
  readonly scoresTable?: string | null;
}

/** One segment's line. Shares are of all customers / all revenue / all predicted value; 0 when the total is 0. */
export interface RfmSegmentSummary {
  readonly name: string;
  readonly description: string;
  readonly action: string;
  readonly customers: number;
  readonly share: number;
  /** net spend in the window (returns netted); null when the data have no order values (RF segments) */
  readonly revenue: number | null;
  readonly revenueShare: number | null;
  /** net spend − cost (`historic_clv`); null without order values */
  readonly historicValue: number | null;
  /** predicted 12-month value (sum), null without a value model or without order values */
  readonly predictedValue: number | null;
  readonly predictedValueShare: number | null;
  /** means over the segment's customers (NaN for an empty segment) */
  readonly meanRecencyDays: number;
  readonly meanFrequency: number;
  /** null without order values */
  readonly meanMonetary: number | null;
}

/** The values a score stands for on each dimension: [lowest, highest] among its customers, null when no customer has it. */
export interface RfmScoreBand {
  readonly score: number;
  readonly recencyDays: readonly [number, number] | null;
  readonly frequency: readonly [number, number] | null;
  readonly monetary: readonly [number, number] | null;
  readonly customersR: number;
  readonly customersF: number;
  readonly customersM: number;
}

export interface RfmSegmentation {
  readonly asOf: string;
  /** the per-customer table written */
  readonly table: string;
  /** in words, for the report */
  readonly method: string;
  readonly monetary: RfmMonetary;
  readonly customers: number;
  /** null when the data have no order values (monetary 'none') */
  readonly revenue: number | null;
  readonly predictedValue: number | null;
  /** all eleven (or the custom map's) segments in map order, empty ones included */
  readonly segments: readonly RfmSegmentSummary[];
  /** scores 1–5 */
  readonly scoreBands: readonly RfmScoreBand[];
  /** customers per cell: grid[R − 1][FM − 1] */
  readonly grid: readonly (readonly number[])[];
  readonly rules: readonly RfmSegmentRule[];
  /**
   * The dimensions on which every customer has the same value (all bought on one day, or once): scored 3 for all,
   * they rank nobody, and the segments' words for them ("bought most recently", "buy often") do not apply.
   */
  readonly sameForAll: readonly RfmDimension[];
}

/** The tie rule in words (build-rfm-scores-sql.ts). */
const TIES = 'scores from the percent rank among customers with a different value, so ties share a score and the best value scores 5, the worst 1';

function share(part: number, total: number): number {
  return total === 0 ? 0 : part / total;
}

function range(lo: unknown, hi: unknown): readonly [number, number] | null {
  return lo === null || hi === null ? null : [Number(lo), Number(hi)];
}

/**
 * Score and segment every customer with a purchase on or before `asOf`;
 * write the per-customer table; return the summary.
 *
 * Example: `await assignRfmSegments(warehouse, { asOf: '2011-12-09', summaryTable: 'customer_summary' })`
 */
export async function assignRfmSegments(warehouse: Warehouse, options: RfmSegmentsOptions): Promise<RfmSegmentation> {
  const rules = options.rules ?? DEFAULT_RFM_SEGMENT_RULES;
  checkRfmSegmentRules(rules);
  const table = checkTableName(options.table ?? 'customer_rfm', 'RFM table');
  const scores = await resolveScoresTable(warehouse, options.scoresTable);
  const monetary = options.monetary ?? 'total';
  const d = warehouse.dialect;
  await warehouse.execute(`CREATE OR REPLACE TABLE ${table} AS ${buildRfmScoresSql(d, { ...options, rules, monetary })}`);

  const predicted = scores ? d.orderFreeSum('p.predicted_clv_12m') : 'CAST(NULL AS DOUBLE)';
  const join = scores ? `LEFT JOIN ${scores} p ON p.customer_id = r.customer_id` : '';
  const bySegment = await warehouse.query(`
    SELECT r.segment AS segment, count(*) AS customers, ${d.orderFreeSum('r.total_spend')} AS revenue, ${d.orderFreeSum('r.historic_clv')} AS historic_value, ${predicted} AS predicted_value,
      avg(r.recency_days) AS mean_recency, avg(r.frequency) AS mean_frequency, CASE WHEN count(r.monetary) = 0 THEN NULL ELSE ${d.orderFreeSum('r.monetary')} / count(r.monetary) END AS mean_monetary
    FROM ${table} r
    ${join}
    GROUP BY r.segment ORDER BY r.segment`);
  const rows = new Map(bySegment.map((row) => [String(row.segment), row]));
  const totalCustomers = bySegment.reduce((s, row) => s + Number(row.customers), 0);
  // without order values (RF segments) every money figure is absent, not 0
  const money = monetary !== 'none';
  const totalRevenue = money ? bySegment.reduce((s, row) => s + Number(row.revenue), 0) : null;
  const totalPredicted = scores && money ? bySegment.reduce((s, row) => s + Number(row.predicted_value ?? 0), 0) : null;
  const segments: RfmSegmentSummary[] = rules.map((rule) => {
    const row = rows.get(rule.segment);
    const customers = row ? Number(row.customers) : 0;
    const revenue = totalRevenue === null ? null : row ? Number(row.revenue) : 0;
    const predictedValue = totalPredicted === null ? null : row ? Number(row.predicted_value ?? 0) : 0;
    return {
      name: rule.segment,
      description: rule.description,
      action: rule.action,
      customers,
      share: share(customers, totalCustomers),
      revenue,
      revenueShare: revenue === null ? null : share(revenue, totalRevenue!),
      historicValue: !money ? null : row ? Number(row.historic_value) : 0,
      predictedValue,
      predictedValueShare: predictedValue === null ? null : share(predictedValue, totalPredicted!),
      meanRecencyDays: row ? Number(row.mean_recency) : Number.NaN,
      meanFrequency: row ? Number(row.mean_frequency) : Number.NaN,
      meanMonetary: !money ? null : row ? Number(row.mean_monetary) : Number.NaN,
    };
  });

  // one scan with conditional aggregates, not correlated subqueries (ClickHouse 18.16 has none); a score no customer holds is filled in below
  const within = (score: string, value: string) => `CASE WHEN ${score} = score THEN ${value} END`;
  const banded = await warehouse.query(`
    SELECT score,
      min(${within('r_score', 'recency_days')}) AS r_lo, max(${within('r_score', 'recency_days')}) AS r_hi,
      min(${within('f_score', 'frequency')}) AS f_lo, max(${within('f_score', 'frequency')}) AS f_hi,
      min(${within('m_score', 'monetary')}) AS m_lo, max(${within('m_score', 'monetary')}) AS m_hi,
      count(${within('r_score', '1')}) AS n_r,
      count(${within('f_score', '1')}) AS n_f,
      count(${within('m_score', '1')}) AS n_m
    FROM ${table} CROSS JOIN (SELECT 1 AS score UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5) s
    GROUP BY score`);
  const bandRows = [1, 2, 3, 4, 5].map(
    (score) => banded.find((row) => Number(row.score) === score) ?? { score, r_lo: null, r_hi: null, f_lo: null, f_hi: null, m_lo: null, m_hi: null, n_r: 0, n_f: 0, n_m: 0 },
  );
  const scoreBands: RfmScoreBand[] = bandRows.map((row) => ({
    score: Number(row.score),
    recencyDays: range(row.r_lo, row.r_hi),
    frequency: range(row.f_lo, row.f_hi),
    monetary: range(row.m_lo, row.m_hi),
    customersR: Number(row.n_r),
    customersF: Number(row.n_f),
    customersM: Number(row.n_m),
  }));

  const grid = Array.from({ length: 5 }, () => new Array<number>(5).fill(0));
  for (const row of await warehouse.query(`SELECT r_score, fm_score, count(*) AS n FROM ${table} GROUP BY r_score, fm_score`)) {
    grid[Number(row.r_score) - 1]![Number(row.fm_score) - 1] = Number(row.n);
  }

  return {
    asOf: options.asOf,
    table,
    method:
      monetary === 'none'
        ? `RF: quintile scores 1–5 of recency (days since last purchase) and frequency (purchase occasions), the data has no order values; ${TIES}; segment from R and F in place of FM`
        : `quintile scores 1–5 of recency (days since last purchase), frequency (purchase occasions) and monetary value (${monetary === 'total' ? 'net spend' : 'net spend per occasion'}); ${TIES}; segment from R and FM = ⌊(F + M) / 2⌋`,
    monetary,
    customers: totalCustomers,
    revenue: totalRevenue,
    predictedValue: totalPredicted,
    segments,
    scoreBands,
    grid,
    rules,
    sameForAll: (['recency', 'frequency', 'monetary'] as const).filter((dimension, i) => {
      if (dimension === 'monetary' && monetary === 'none') return false;
      const held = (band: RfmScoreBand) => [band.customersR, band.customersF, band.customersM][i]!;
      // everyone tied scores 3 (W + B = 0); scored from ranks, nobody else can all share one score
      return totalCustomers > 1 && held(scoreBands[2]!) === totalCustomers;
    }),
  };
}
