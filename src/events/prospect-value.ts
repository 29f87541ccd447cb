/**
 * A prospect's expected first-year value and its parameter-uncertainty
 * interval — the same TypeScript on DuckDB and ClickHouse: the engines only
 * give the compact inputs (the new-customer value groups from SQL, one row
 * per acquisition channel; the prospects' channels), so both write the same
 * `customer_prospects`.
 *
 * Value = conversion propensity × new-customer value (score-prospects.ts).
 * Interval (`expected_first_year_value_low` / `_high`, customers.csv's
 * `predicted_clv_12m_low` / `_high` for prospects): the 5th and 95th
 * percentiles of the value over 200 parameter draws (seeded: the same on
 * every run and engine), each draw taking
 * - the propensity model's standardised parameters from their approximate
 *   normal posterior N(β̂, H⁻¹) (`linearModelCovariance`: the penalised
 *   log-likelihood's Hessian, the information counted once per person — the
 *   rows of one person at successive cutoffs are far from independent), or,
 *   with the base rate (c conversions in n rows), the rate from its Jeffreys
 *   posterior Beta(c/m + ½, (n − c)/m + ½) with m rows per person; with c = 0
 *   the lower end is the estimate 0 (and with c = n the upper end the
 *   estimate), Brown, Cai & DasGupta's (2001) boundary rule;
 * - the new-customer value from the sampling distribution of a mean over its
 *   k buyers, approximated by the log-normal with its mean and standard error
 *   s/√k (s their standard deviation; `meanDraw`).
 * The two are independent (separate data). Prospects given the base rate in
 * place of the model (a separated level, separated-levels.ts) take the base
 * rate's draws. The interval is empty when the
 * propensity is (nothing to learn from), when there were no training rows
 * (the propensity 0 is a placeholder, not an estimate), when the value rests
 * on fewer than 2 buyers, or when the model's Hessian is not positive definite.
 */
import { derivedTable } from '../engine/derived-tables.js';
import type { Warehouse } from '../engine/warehouse.js';
import { createMultivariateNormalSampler } from '../math/normal.js';
import { createRandom } from '../math/random.js';
import { sigmoid } from '../math/sigmoid.js';
import { percentileInterval } from '../math/zero-heavy-means.js';
import { standardisedRow, type LinearModel } from '../models/learned/linear-model.js';

/** The mean first-year value of a group of k earlier new customers, and its standard error s/√k (NaN for k < 2). */
export interface ValueGroup {
  readonly mean: number;
  readonly buyers: number;
  readonly standardError: number;
}

/** The value groups: per acquisition channel (those with 20 buyers or more; null = no channel) and overall. */
export interface NewCustomerValues {
  readonly byChannel: ReadonlyMap<string | null, ValueGroup>;
  readonly overall: ValueGroup;
}

/** A group from the SQL sums: the mean, the number of buyers and the (exact) sum of squared spends. */
export function valueGroup(mean: unknown, buyers: unknown, squares: unknown): ValueGroup | null {
  const k = Number(buyers ?? 0);
  const m = mean === null || mean === undefined ? Number.NaN : Number(mean);
  if (!(k > 0) || !Number.isFinite(m)) return null;
  const variance = k >= 2 ? Math.max(0, (Number(squares) - k * m * m) / (k - 1)) : Number.NaN;
  return { mean: m, buyers: k, standardError: Math.sqrt(variance / k) };
}

/** The value groups from the per-channel rows (channel, v, n, squares) and the overall first-year and to-date groups. */
export function newCustomerValues(channels: readonly { channel: string | null; group: ValueGroup | null }[], firstYear: ValueGroup | null, toDate: ValueGroup | null): NewCustomerValues {
  const byChannel = new Map<string | null, ValueGroup>();
  for (const { channel, group } of channels) if (group !== null && group.buyers >= 20) byChannel.set(channel, group);
  // nobody bought: 0, a placeholder (no interval)
  return { byChannel, overall: firstYear ?? toDate ?? { mean: 0, buyers: 0, standardError: Number.NaN } };
}

/**
 * One draw of a group's mean first-year value from standard normal deviate z: the log-normal with the mean's estimate
 * and standard error (σ² = ln(1 + (s/m)²), median m·e^(−σ²/2)), positive and skewed to the right as a mean of a few
 * skewed spends is — a normal gave 20 buyers, one of them a big spender (mean 100, standard error 80), a negative lower
 * end. A mean of 0 or less (nobody spent, or returns outweigh) keeps the normal.
 */
function meanDraw(group: ValueGroup, z: number): number {
  if (!(group.mean > 0)) return group.mean + group.standardError * z;
  const s2 = Math.log1p((group.standardError / group.mean) ** 2);
  return group.mean * Math.exp(Math.sqrt(s2) * z - s2 / 2);
}

/** A base rate's uncertainty: c conversions in n training rows, m rows per person. */
export interface RateUncertainty {
  readonly conversions: number;
  readonly rows: number;
  readonly rowsPerPerson: number;
}

/** What the propensity's uncertainty rests on. */
export type PropensityUncertainty =
  | {
      readonly kind: 'model';
      readonly model: LinearModel;
      readonly covariance: readonly (readonly number[])[] | null;
      readonly columns: readonly Float64Array[];
      /** the prospects given the base rate instead of the model (a separated level, separated-levels.ts; 1 = given it) */
      readonly baseRate?: RateUncertainty & { readonly affected: Uint8Array };
    }
  | ({ readonly kind: 'rate' } & RateUncertainty)
  | { readonly kind: 'none' };

export const PROSPECT_INTERVAL_DRAWS = 200;
export const PROSPECT_INTERVAL_SEED = 20_261_123;

/**
 * The 5th and 95th percentiles of propensity × value per prospect over the parameter draws (see the file header);
 * NaN where there is no interval. `columns` (model) hold the prospects' feature rows in the order of `propensity`.
 */
export function prospectValueIntervals(
  uncertainty: PropensityUncertainty,
  propensity: Float64Array,
  value: readonly ValueGroup[],
  draws = PROSPECT_INTERVAL_DRAWS,
): { low: Float64Array; high: Float64Array } {
  if (uncertainty.kind === 'model' && uncertainty.baseRate?.affected.includes(1)) {
    // the model's rows as without them (the same draws), the base rate's from its own
    const { affected, ...rate } = uncertainty.baseRate;
    const { baseRate: _, ...model } = uncertainty;
    const all = prospectValueIntervals(model, propensity, value, draws);
    const at = Array.from(affected.keys()).filter((i) => affected[i] === 1);
    const own = prospectValueIntervals({ kind: 'rate', ...rate }, Float64Array.from(at, (i) => propensity[i]!), at.map((i) => value[i]!), draws);
    at.forEach((i, k) => {
      all.low[i] = own.low[k]!;
      all.high[i] = own.high[k]!;
    });
    return all;
  }
  const n = propensity.length;
  const low = new Float64Array(n).fill(Number.NaN);
  const high = new Float64Array(n).fill(Number.NaN);
  if (uncertainty.kind === 'none' || (uncertainty.kind === 'rate' && !(uncertainty.rows > 0))) return { low, high };
  if (uncertainty.kind === 'model' && uncertainty.covariance === null) return { low, high };
  const random = createRandom(PROSPECT_INTERVAL_SEED);
  // the propensity's parameters per draw, then the value's standard normal deviates per draw
  let betas: Float64Array[] = [];
  let rates = new Float64Array(0);
  if (uncertainty.kind === 'model') {
    const { model } = uncertainty;
    const sample = createMultivariateNormalSampler([model.standardisedIntercept, ...model.standardisedCoefficients], uncertainty.covariance!, random);
    betas = Array.from({ length: draws }, () => sample());
  } else {
    const { conversions: c, rows, rowsPerPerson: m } = uncertainty;
    rates = Float64Array.from({ length: draws }, () => random.beta(c / m + 0.5, (rows - c) / m + 0.5));
  }
  const deviates = Float64Array.from({ length: draws }, () => random.normal());
  const features = uncertainty.kind === 'model' ? uncertainty.model.featureNames.length : 0;
  const z = new Float64Array(features);
  const products = new Float64Array(draws);
  for (let i = 0; i < n; i++) {
    const group = value[i]!;
    if (!Number.isFinite(propensity[i]!) || !Number.isFinite(group.standardError)) continue;
    if (uncertainty.kind === 'model') standardisedRow(uncertainty.model, uncertainty.columns, i, z);
    for (let d = 0; d < draws; d++) {
      let p: number;
      if (uncertainty.kind === 'model') {
        const beta = betas[d]!;
        let eta = beta[0]!;
        for (let f = 0; f < features; f++) eta += beta[f + 1]! * z[f]!;
        p = sigmoid(eta);
      } else p = rates[d]!;
      products[d] = p * meanDraw(group, deviates[d]!);
    }
    const [q05, q95] = percentileInterval(products, 0.05);
    const point = propensity[i]! * group.mean;
    low[i] = uncertainty.kind === 'rate' && uncertainty.conversions === 0 ? Math.min(q05, point) : q05;
    high[i] = uncertainty.kind === 'rate' && uncertainty.conversions === uncertainty.rows ? Math.max(q95, point) : q95;
  }
  return { low, high };
}

/**
 * Writes `customer_prospects` on either engine: the prospects (customer_id, conversion_propensity,
 * acquisition_channel, in the order to write them), the value groups and the propensity's uncertainty (a model's
 * `columns` hold the prospects' features in the same order).
 */
export async function writeProspectTable(
  warehouse: Warehouse,
  prospects: readonly Record<string, unknown>[],
  values: NewCustomerValues,
  uncertainty: PropensityUncertainty,
): Promise<void> {
  const d = warehouse.dialect;
  const columns = derivedTable('customer_prospects').columns;
  await warehouse.execute(`CREATE OR REPLACE TABLE customer_prospects (${columns.map((c) => `${d.identifier(c.name)} ${c.type}`).join(', ')})`);
  if (prospects.length === 0) return;
  const groups = prospects.map((r) => values.byChannel.get(r.acquisition_channel === null || r.acquisition_channel === undefined ? null : String(r.acquisition_channel)) ?? values.overall);
  // an empty propensity (profiles alone, nothing to learn from) stays empty: NaN, appended as NULL
  const propensity = Float64Array.from(prospects, (r) => (r.conversion_propensity === null ? Number.NaN : Number(r.conversion_propensity)));
  const newValue = Float64Array.from(groups, (g) => g.mean);
  const { low, high } = prospectValueIntervals(uncertainty, propensity, groups);
  await warehouse.append('customer_prospects', {
    customer_id: prospects.map((r) => String(r.customer_id)),
    conversion_propensity: propensity,
    new_customer_value: newValue,
    expected_first_year_value: propensity.map((p, i) => p * newValue[i]!),
    expected_first_year_value_low: low,
    expected_first_year_value_high: high,
  });
}
