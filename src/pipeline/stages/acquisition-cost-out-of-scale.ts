/**
 * An acquisition cost no customer's value comes near. The KPIs average the profiles' acquisition_cost (the mean
 * acquisition cost, simple CLV, CLV:CAC), so one cost of 1e9 on a shop whose best customer is worth thousands makes
 * them all nonsense, without a word (a user trial: a cost typed in cents, or with a misplaced separator). The run warns
 * when a cost exceeds `COST_SCALE_FACTOR` times the largest value any customer has: spent to date (customer_summary's
 * total_spend) or, where the value models ran, predicted over 12 months (predicted_clv_12m). A large multiple: a
 * cost above every customer's value is legitimate for a shop acquiring at a loss, one a hundred times above the best
 * customer is not a plan anyone makes.
 */
import type { Warehouse } from '../../engine/warehouse.js';
import { currentCustomersSql } from '../../engine/current-customers.js';
import { tableExists } from '../../features/table-exists.js';

/** How many times the largest customer value an acquisition cost must exceed to be warned about. */
export const COST_SCALE_FACTOR = 100;

/** What `outOfScaleCostWarning` decides on. */
export interface AcquisitionCostScale {
  /** profiles with a known acquisition cost */
  readonly costed: number;
  /** of them, those whose cost exceeds COST_SCALE_FACTOR × the largest customer value */
  readonly outOfScale: number;
  /** the mean acquisition cost over `costed` (what the KPIs report) */
  readonly meanCost: number;
}

/**
 * The profiles' acquisition costs against the largest customer value (spent to date, or predicted over 12 months
 * when `withScores`); null without profiles holding a cost, or without any positive customer value to compare with
 * (a file without order values).
 */
export async function queryAcquisitionCostScale(warehouse: Warehouse, withScores: boolean): Promise<AcquisitionCostScale | null> {
  if (!(await tableExists(warehouse, 'customers'))) return null;
  const d = warehouse.dialect;
  const [values] = await warehouse.query(`SELECT (SELECT max(total_spend) FROM customer_summary) AS spend${withScores ? ', (SELECT max(predicted_clv_12m) FROM customer_scores) AS clv' : ''}`);
  const largest = Math.max(...[values?.spend, values?.clv].map((v) => (v === null || v === undefined ? Number.NaN : Number(v))).filter((v) => Number.isFinite(v)), 0);
  if (!(largest > 0)) return null;
  const [row] = await warehouse.query(
    `SELECT count(acquisition_cost) AS costed, sum(CASE WHEN acquisition_cost > ${COST_SCALE_FACTOR * largest} THEN 1 ELSE 0 END) AS above, avg(acquisition_cost) AS mean FROM ${currentCustomersSql(d, ['acquisition_cost'])} cc`,
  );
  const costed = Number(row?.costed ?? 0);
  return costed === 0 ? null : { costed, outOfScale: Number(row?.above ?? 0), meanCost: Number(row?.mean) };
}

/**
 * One line when some acquisition cost is out of scale, else null. The count is said when it is at least
 * `minGroupSize` (a smaller one as "fewer than k": whose profile it is stays unsaid); no single customer's cost or
 * value is printed, the mean cost only (the KPIs publish it).
 *
 * Example: `outOfScaleCostWarning({ costed: 300, outOfScale: 1, meanCost: 3_333_358 }, 5)` → "acquisition_cost of fewer
 * than 5 of the 300 customer profiles with one is more than 100 times the largest value any customer has …"
 */
export function outOfScaleCostWarning(scale: AcquisitionCostScale | null, minGroupSize: number): string | null {
  if (scale === null || scale.outOfScale === 0) return null;
  const count = scale.outOfScale >= minGroupSize ? scale.outOfScale.toLocaleString('en-US') : `fewer than ${minGroupSize}`;
  // the mean of fewer than k costs would describe those customers: said only over k or more
  const mean = scale.costed >= minGroupSize ? ` (${scale.meanCost.toLocaleString('en-US', { maximumFractionDigits: 2 })})` : '';
  return `acquisition_cost of ${count} of the ${scale.costed.toLocaleString('en-US')} customer profiles with one is more than ${COST_SCALE_FACTOR} times the largest value any customer has (spent to date or predicted over 12 months): the mean acquisition cost${mean}, simple CLV and CLV:CAC rest on it — a cost in cents, a misplaced decimal separator or a typo? check the profiles' acquisition_cost column`;
}
