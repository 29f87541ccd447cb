/**
 * Rewrite some of customer_scores' columns from a per-customer table, when a
 * tournament winner other than the value step's model M scores the customers
 * (learned-scores.ts, regularity-scores.ts). Every other column, and every
 * customer without a row in the per-customer table, keeps M's values; the
 * table keeps its declared columns (engine/derived-tables.ts) in order.
 * Written for every engine: one LEFT JOIN, the replacement expressions over
 * `c` (M's customer_scores) and `l` (the winner's table).
 */
import { derivedTable } from '../engine/derived-tables.js';
import type { Warehouse } from '../engine/warehouse.js';

/** What every card of a winner that rewrote customer_scores says (run.json `learned.scores`). */
export interface RewrittenScoresCard {
  readonly customers: number;
  /** Σ of the winner's expected purchases over the card's window (learned: labelDays, MBG/CNBD-k: horizonDays) */
  readonly expectedPurchases: number;
  /** the same total under the value step's model M, for comparison */
  readonly btydExpectedPurchases: number;
  /** Σ predicted_clv_12m as written; NaN without order values. run.json's valueModel.clv.totalPredicted becomes this */
  readonly totalPredictedClv: number;
  /** Σ predicted_clv_12m of M before the rewrite; NaN without order values */
  readonly btydTotalPredictedClv: number;
  /** Σ predicted_clv_horizon as written (the run's --horizon-months when not 12); absent otherwise. run.json's valueModel.clv.horizonTotalPredicted becomes this */
  readonly horizonTotalPredictedClv?: number;
  /** which model scored which columns, in one sentence */
  readonly note: string;
}

/** Σ predicted_clv_12m before (M's) and after the rewrite (exact sums: the same whatever the rows' order); NaN where the column is all NULL (no order values). */
export interface RewrittenClvTotals {
  readonly btyd: number;
  readonly rewritten: number;
  /** Σ predicted_clv_horizon as written; NaN where it is all NULL (a 12-month run, or no order values) */
  readonly horizonRewritten: number;
}

/**
 * Example: `rewriteCustomerScores(warehouse, 'learned_customer_scores', { expected_purchases_30d: 'coalesce(l.e30, c.expected_purchases_30d)' })`
 * → customer_scores with the winner's 30-day purchases, `{ btyd: 61234.5, rewritten: 61234.5 }`
 */
/** The card's `horizonTotalPredictedClv` from the rewrite's totals: present when the run has a horizon other than 12 months and CLV. */
export function horizonTotalOf(totals: RewrittenClvTotals): { readonly horizonTotalPredictedClv?: number } {
  return Number.isNaN(totals.horizonRewritten) ? {} : { horizonTotalPredictedClv: totals.horizonRewritten };
}

export async function rewriteCustomerScores(warehouse: Warehouse, winnerTable: string, replaced: Readonly<Record<string, string>>): Promise<RewrittenClvTotals> {
  const d = warehouse.dialect;
  const select = derivedTable('customer_scores').columns.map((c) => (replaced[c.name] ? `${replaced[c.name]} AS ${d.identifier(c.name)}` : `c.${d.identifier(c.name)}`));
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE customer_scores_btyd AS SELECT * FROM customer_scores`);
  await warehouse.execute(`CREATE OR REPLACE TABLE customer_scores AS SELECT ${select.join(', ')} FROM customer_scores_btyd c LEFT JOIN ${winnerTable} l ON l.customer_id = c.customer_id`);
  // exact sums: a sum of doubles took its last digits from the order the engine met the rows in
  const [clvTotals] = await warehouse.query(`SELECT (SELECT ${d.orderFreeSum('predicted_clv_12m')} FROM customer_scores_btyd) AS btyd, (SELECT ${d.orderFreeSum('predicted_clv_12m')} FROM customer_scores) AS rewritten, (SELECT ${d.orderFreeSum('predicted_clv_horizon')} FROM customer_scores) AS horizon`);
  await warehouse.execute('DROP TABLE customer_scores_btyd');
  const total = (v: unknown) => (v === null || v === undefined ? NaN : Number(v));
  return { btyd: total(clvTotals!.btyd), rewritten: total(clvTotals!.rewritten), horizonRewritten: total(clvTotals!.horizon) };
}

/**
 * The customers of a customer_scores table and their predicted_clv_12m (and predicted_clv_horizon) in all: an exact sum (`orderFreeSum`), the same
 * whatever order the engine meets the rows in (a sum of doubles was not); NaN where the column is all NULL.
 */
export async function customerScoresTotals(warehouse: Warehouse, table = 'customer_scores'): Promise<{ readonly customers: number; readonly predictedClv: number; readonly horizonClv: number }> {
  const d = warehouse.dialect;
  const [row] = await warehouse.query(`SELECT count(*) AS n, ${d.orderFreeSum('predicted_clv_12m')} AS clv, ${d.orderFreeSum('predicted_clv_horizon')} AS clv_h FROM ${table}`);
  const total = (v: unknown) => (v === null || v === undefined ? NaN : Number(v));
  return { customers: Number(row!.n), predictedClv: total(row!.clv), horizonClv: total(row!.clv_h) };
}
