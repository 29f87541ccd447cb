/**
 * Value tiers and the value quadrant.
 *
 * Tiers: customers ranked by value, best first, cut by shares of the base
 * (default high = top 20%, medium = next 30%, low = the rest). A customer's
 * rank is SQL `rank()` by value descending — tied values share the rank of the
 * first of them — and the customer goes to the first tier whose cumulative
 * share covers its position: rank ≤ ⌈cumulative share × n⌉. Equal values
 * therefore always share a tier (a block of ties that straddles a cut goes
 * wholly to the better tier), and the result does not depend on ids.
 * Value: predicted 12-month CLV (`customer_scores.predicted_clv_12m`) when a
 * value model ran, else historic value (net spend − cost), or as chosen by
 * `basis`. Customers without a value rank last. Values are compared rounded
 * to 6 decimals, so float sums of equal amounts tie. Data without order
 * values (`measure: 'purchases'`) is tiered by purchases instead: purchase
 * occasions so far (historic) and expected purchases in the next 365 days
 * (predicted).
 *
 * Quadrant (needs predicted values): historic value vs predicted value, each
 * split at its median; a value above the median is high, a value equal to or
 * below it is low (as in the report's value quadrant): stars (high, high),
 * rising (low historic, high predicted), fading (high historic, low
 * predicted), low (low, low).
 */
import type { Warehouse } from '../engine/warehouse.js';
import { UserError } from '../core/errors/user-error.js';
import { buildCustomerBaseSql, type CustomerBaseOptions } from '../features/customer-base.js';
import { checkTableName } from '../features/table-name.js';
import { resolveScoresTable } from './resolve-scores-table.js';

/** A tier: its name and share of the base; the last tier may omit the share and takes the rest. */
export interface ValueTierSpec {
  readonly name: string;
  readonly share?: number;
}

export const DEFAULT_VALUE_TIERS: readonly ValueTierSpec[] = [{ name: 'high', share: 0.2 }, { name: 'medium', share: 0.3 }, { name: 'low' }];

export type ValueBasis = 'predicted' | 'historic';
export type ValueQuadrantKey = 'stars' | 'rising' | 'fading' | 'low';

export const VALUE_QUADRANT_LABELS: Readonly<Record<ValueQuadrantKey, string>> = {
  stars: 'Stars: high so far, high predicted',
  rising: 'Rising: low so far, high predicted',
  fading: 'Fading: high so far, low predicted',
  low: 'Low: low so far, low predicted',
};

export interface ValueTiersOptions extends CustomerBaseOptions {
  /** best first; default `DEFAULT_VALUE_TIERS` */
  readonly tiers?: readonly ValueTierSpec[];
  /** rank by predicted CLV (default when scores exist) or historic value */
  readonly basis?: ValueBasis;
  /** table with `predicted_clv_12m`; default `customer_scores` when it exists; null: none */
  readonly scoresTable?: string | null;
  /** table written (default `customer_value_tiers`) */
  readonly table?: string;
  /** what value is measured in: spend (default) or, for data without order values, purchases */
  readonly measure?: ValueMeasure;
}

/** Spend (historic_clv, predicted_clv_12m) or, without order values, purchases (occasions, expected_purchases_365d). */
export type ValueMeasure = 'spend' | 'purchases';

export interface ValueTierSummary {
  readonly name: string;
  /** the share asked for (the last tier: the rest) */
  readonly targetShare: number;
  readonly customers: number;
  /** actual share (ties can move it above the target) */
  readonly share: number;
  /** value range of the tier on the basis, null when empty */
  readonly minValue: number | null;
  readonly maxValue: number | null;
  readonly historicValue: number;
  readonly historicValueShare: number;
  readonly predictedValue: number | null;
  readonly predictedValueShare: number | null;
}

export interface ValueQuadrantSummary {
  readonly key: ValueQuadrantKey;
  readonly label: string;
  readonly customers: number;
  readonly share: number;
  readonly historicValue: number;
  readonly predictedValue: number;
}

export interface ValueTiers {
  readonly asOf: string;
  readonly table: string;
  readonly basis: ValueBasis;
  /** present when not spend: `purchases` for data without order values */
  readonly measure?: ValueMeasure;
  readonly customers: number;
  readonly tiers: readonly ValueTierSummary[];
  /** null without predicted values */
  readonly quadrant: {
    readonly historicThreshold: number;
    readonly predictedThreshold: number;
    readonly quadrants: readonly ValueQuadrantSummary[];
  } | null;
}

/** Check tier specs; return cumulative shares (the last is 1). */
export function cumulativeTierShares(tiers: readonly ValueTierSpec[]): number[] {
  if (tiers.length < 2) throw new UserError(`value tiers need at least two tiers, got ${tiers.length}`, 'e.g. high 0.2, medium 0.3, low (the rest)');
  const names = new Set<string>();
  let cumulative = 0;
  return tiers.map((tier, i) => {
    if (!tier.name || names.has(tier.name)) throw new UserError(`value tier name ${JSON.stringify(tier.name)} is empty or repeated`, 'give each tier its own name');
    names.add(tier.name);
    const last = i === tiers.length - 1;
    if (tier.share === undefined) {
      if (!last) throw new UserError(`value tier ${tier.name} has no share`, 'only the last tier may omit its share (it takes the rest)');
      cumulative = 1;
      return 1;
    }
    if (!(tier.share > 0) || !Number.isFinite(tier.share)) throw new UserError(`value tier ${tier.name}: share ${tier.share} is not a positive number`, 'shares are fractions of the base, e.g. 0.2');
    cumulative += tier.share;
    if (cumulative > 1 + 1e-9) throw new UserError(`value tier shares add up to ${cumulative.toFixed(3)}, more than 1`, 'lower the shares; the last tier takes the rest');
    if (last) {
      if (Math.abs(cumulative - 1) > 1e-9) throw new UserError(`value tier shares add up to ${cumulative.toFixed(3)}, not 1`, 'omit the last tier\'s share so that it takes the rest');
      cumulative = 1;
    }
    return cumulative;
  });
}

function share(part: number, total: number): number {
  return total === 0 ? 0 : part / total;
}

/**
 * Assign every customer of the base a value tier (and a quadrant when
 * predicted values exist); write the per-customer table; return the summary.
 */
export async function assignValueTiers(warehouse: Warehouse, options: ValueTiersOptions): Promise<ValueTiers> {
  const tiers = options.tiers ?? DEFAULT_VALUE_TIERS;
  const cumulative = cumulativeTierShares(tiers);
  const table = checkTableName(options.table ?? 'customer_value_tiers', 'value tier table');
  const scores = await resolveScoresTable(warehouse, options.scoresTable);
  const basis: ValueBasis = options.basis ?? (scores ? 'predicted' : 'historic');
  if (basis === 'predicted' && !scores) throw new UserError('value tiers by predicted value need the value model scores', 'run the value models first (clvkit analyze), or use historic value');
  const d = warehouse.dialect;
  const base = `(${buildCustomerBaseSql(d, options)})`;
  const [count] = await warehouse.query(`SELECT count(*) AS n FROM ${base} b`);
  const n = Number(count!.n);
  // rank ≤ ⌈cumulative share × n⌉; the epsilon keeps 0.2 × 10 from rounding up to 3
  const limits = cumulative.map((c, i) => (i === cumulative.length - 1 ? n : Math.ceil(c * n - 1e-9)));
  const tierCase = `CASE ${tiers
    .slice(0, -1)
    .map((tier, i) => `WHEN value_rank <= ${limits[i]} THEN ${d.literal(tier.name)}`)
    .join(' ')} ELSE ${d.literal(tiers[tiers.length - 1]!.name)} END`;
  const purchases = options.measure === 'purchases';
  const predicted = scores ? (purchases ? 's.expected_purchases_365d' : 's.predicted_clv_12m') : 'CAST(NULL AS DOUBLE)';
  const historic = purchases ? 'CAST(b.occasions AS DOUBLE)' : 'b.historic_clv';
  const value = basis === 'predicted' ? 'predicted_value' : 'historic_value';
  const quadrant = scores
    ? `CASE WHEN historic_value > median_historic THEN (CASE WHEN predicted_value > median_predicted THEN 'stars' ELSE 'fading' END) ELSE (CASE WHEN predicted_value > median_predicted THEN 'rising' ELSE 'low' END) END`
    : 'CAST(NULL AS VARCHAR)';
  await warehouse.execute(`
    CREATE OR REPLACE TABLE ${table} AS
    WITH v AS (
      SELECT b.customer_id, ${historic} AS historic_value, ${predicted} AS predicted_value
      FROM ${base} b ${scores ? `LEFT JOIN ${scores} s ON s.customer_id = b.customer_id` : ''}
    ),
    -- rank() OVER (ORDER BY round(value, 6) DESC NULLS LAST) without window functions (ClickHouse 18.16):
    -- 1 + the customers with a larger rounded value; a NULL value ranks after every other
    keyed AS (SELECT customer_id, historic_value, predicted_value, round(${value}, 6) AS rank_key FROM v),
    ranks AS (
      SELECT value AS rank_key, before + 1 AS value_rank
      FROM (${d.countBefore('SELECT rank_key AS value, count(*) AS n FROM keyed WHERE rank_key IS NOT NULL GROUP BY rank_key', 'DESC')}) c
    ),
    ranked AS (
      SELECT customer_id, historic_value, predicted_value, COALESCE(value_rank, CAST((SELECT count(*) FROM keyed WHERE rank_key IS NOT NULL) + 1 AS BIGINT)) AS value_rank
      FROM keyed LEFT JOIN ranks USING (rank_key)
    ),
    m AS (SELECT ${d.median('historic_value')} AS median_historic, ${d.median('predicted_value')} AS median_predicted FROM v)
    SELECT customer_id, historic_value, predicted_value, CAST(value_rank AS BIGINT) AS value_rank,
      ${tierCase} AS value_tier, ${quadrant} AS value_quadrant
    FROM ranked CROSS JOIN m`);

  const tierRows = new Map(
    (
      await warehouse.query(`
        SELECT value_tier, count(*) AS customers, min(${value}) AS lo, max(${value}) AS hi, ${d.orderFreeSum('historic_value')} AS historic, ${d.orderFreeSum('predicted_value')} AS predicted
        FROM ${table} GROUP BY value_tier ORDER BY value_tier`)
    ).map((row) => [String(row.value_tier), row]),
  );
  const totalHistoric = [...tierRows.values()].reduce((s, r) => s + Number(r.historic ?? 0), 0);
  const totalPredicted = scores ? [...tierRows.values()].reduce((s, r) => s + Number(r.predicted ?? 0), 0) : null;
  const tierSummaries: ValueTierSummary[] = tiers.map((tier, i) => {
    const row = tierRows.get(tier.name);
    const customers = row ? Number(row.customers) : 0;
    const historicValue = row ? Number(row.historic ?? 0) : 0;
    const predictedValue = totalPredicted === null ? null : row ? Number(row.predicted ?? 0) : 0;
    return {
      name: tier.name,
      targetShare: cumulative[i]! - (i === 0 ? 0 : cumulative[i - 1]!),
      customers,
      share: share(customers, n),
      minValue: row && row.lo !== null ? Number(row.lo) : null,
      maxValue: row && row.hi !== null ? Number(row.hi) : null,
      historicValue,
      historicValueShare: share(historicValue, totalHistoric),
      predictedValue,
      predictedValueShare: predictedValue === null ? null : share(predictedValue, totalPredicted!),
    };
  });

  let quadrantSummary: ValueTiers['quadrant'] = null;
  if (scores) {
    const [medians] = await warehouse.query(`SELECT ${d.median('historic_value')} AS h, ${d.median('predicted_value')} AS p FROM ${table}`);
    const rows = new Map((await warehouse.query(`SELECT value_quadrant, count(*) AS customers, ${d.orderFreeSum('historic_value')} AS historic, ${d.orderFreeSum('predicted_value')} AS predicted FROM ${table} GROUP BY value_quadrant ORDER BY value_quadrant`)).map((r) => [String(r.value_quadrant), r]));
    quadrantSummary = {
      historicThreshold: Number(medians!.h),
      predictedThreshold: Number(medians!.p),
      quadrants: (['stars', 'rising', 'fading', 'low'] as const).map((key) => {
        const row = rows.get(key);
        const customers = row ? Number(row.customers) : 0;
        return { key, label: VALUE_QUADRANT_LABELS[key], customers, share: share(customers, n), historicValue: row ? Number(row.historic ?? 0) : 0, predictedValue: row ? Number(row.predicted ?? 0) : 0 };
      }),
    };
  }
  return { asOf: options.asOf, table, basis, ...(purchases ? { measure: 'purchases' as const } : {}), customers: n, tiers: tierSummaries, quadrant: quadrantSummary };
}
