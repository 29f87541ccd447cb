/**
 * BG/NBD lets a customer drop out only right after a repeat purchase, so it gives every customer without one
 * (frequency 0) P(alive) = 1 by its construction, however long their silence, and values them as if still buying. The
 * other purchase models (MBG/NBD, Pareto/NBD, MBG/CNBD-k) let customers drop out from their first purchase: their
 * P(alive) of a one-time buyer is below 1. Where such customers carry a material share of the predicted CLV, the run
 * says how much (a QA pass: on 3,000 BTYD customers plus 2,000 one-time buyers the tournament chose BG/NBD, within 1%
 * of MBG/NBD's holdout error, and 25.2k of the 91.6k predicted CLV sat on customers without a repeat purchase; the run
 * said only that P(alive) cannot rank the churned). MBG/NBD, forced on the same data, gave them P(alive) below 1 but
 * much the same predicted CLV (24.3k of 89.7k): the warning offers it for p_alive, not as a cure for the value. The
 * lifecycle stage's "P(alive) cannot rank" line (`churnedButAliveAdvice`) is about ranking the churned; this one is
 * about the value resting on one-time buyers: two lines, the same ONE_BY_CONSTRUCTION and words.
 */
import type { Warehouse } from '../../engine/warehouse.js';
import type { RunWords } from '../../core/run-words.js';
import type { ModelCardEntry } from '../value-step.js';
import { ineligibleReason, tournamentPool } from '../../models/model-tournament.js';

/**
 * P(alive) at or above this is 1, to rounding: for a customer silent long enough to be staged churned, a model with
 * dropout never gives it from the purchases — only by its construction (BG/NBD-family models give every one-time buyer,
 * x = 0, P(alive) = 1; a model without dropout, or a no-dropout limit, gives it to everyone).
 */
export const ONE_BY_CONSTRUCTION = 1 - 1e-9;

/**
 * "Material": the customers without a repeat purchase held alive by construction carry at least this share of the
 * predicted CLV (and are at least the smallest group shown). Measured on synthetic BTYD shops (`clvkit synth`, 1,500
 * and 3,000 customers, about half of them without a repeat purchase): those customers carried 5–8% of the predicted CLV
 * under the model the tournament chose (Pareto/NBD, MBG/NBD) and 10% under BG/NBD; with 2,000 one-time buyers added
 * to the 3,000-customer shop, 27.5%. 15% stays clear of the ordinary shops and catches the mix.
 */
export const MATERIAL_CLV_SHARE = 0.15;

/** What `oneTimeAliveWarning` decides on (`queryOneTimeAliveSums`). */
export interface OneTimeAliveSums {
  /** predicted_clv_12m of every scored customer (an exact sum) */
  readonly totalClv: number;
  /** customers without a repeat purchase (frequency 0) whose P(alive) is 1 (ONE_BY_CONSTRUCTION) */
  readonly oneTime: number;
  /** their predicted_clv_12m (an exact sum) */
  readonly oneTimeClv: number;
}

/**
 * The sums of customer_scores beside customer_summary's frequency that `oneTimeAliveWarning` decides on: exact sums of
 * money (`orderFreeSum`), the same on every engine and row order. (Portable SQL; not yet run on ClickHouse.)
 */
export async function queryOneTimeAliveSums(warehouse: Warehouse): Promise<OneTimeAliveSums> {
  const d = warehouse.dialect;
  const once = `m.frequency = 0 AND s.p_alive >= ${ONE_BY_CONSTRUCTION}`;
  const [row] = await warehouse.query(
    `SELECT ${d.orderFreeSum('s.predicted_clv_12m')} AS total_clv, sum(CASE WHEN ${once} THEN 1 ELSE 0 END) AS one_time, ` +
      `${d.orderFreeSum(`CASE WHEN ${once} THEN s.predicted_clv_12m ELSE 0 END`)} AS one_time_clv ` +
      'FROM customer_scores s JOIN customer_summary m ON m.customer_id = s.customer_id',
  );
  const num = (v: unknown) => (v === null || v === undefined ? NaN : Number(v));
  return { totalClv: num(row?.total_clv), oneTime: Number(row?.one_time ?? 0), oneTimeClv: num(row?.one_time_clv) };
}

/** How the run scored the customers: the model whose P(alive) and predicted CLV customer_scores hold, and the tournament's entries. */
export interface OneTimeAliveModels {
  /** the model whose P(alive) and predicted CLV customer_scores hold (null: a learned winner rewrote the predicted CLV) */
  readonly scoredBy: string | null;
  /** the value model's tournament (its holdout errors) */
  readonly comparison: readonly Pick<ModelCardEntry, 'model' | 'label' | 'holdout' | 'fit' | 'stdErrors'>[];
}

/**
 * One line when BG/NBD scored the customers and those without a repeat purchase, at P(alive) = 1 by its construction,
 * carry at least MATERIAL_CLV_SHARE of the predicted CLV (and number at least `minGroupSize`): how many, their predicted
 * CLV and its share, and the model the tournament measured that lets them drop out (the lowest holdout error among the
 * others the tournament could have chosen: not one it ruled out, which the line then names with why), with the setting
 * that forces it. Null otherwise — also when a learned winner rewrote the predicted CLV.
 *
 * Example: the QA mix → "3,466 customers without a repeat purchase carry 25,233 of the 91,597 predicted CLV over 12
 * months (27.5%): BG/NBD gives each of them P(alive) = 1 by its construction …; --model mbgnbd uses MBG/NBD (holdout
 * MAE 0.6260; BG/NBD 0.6316) …"
 */
export function oneTimeAliveWarning(sums: OneTimeAliveSums, models: OneTimeAliveModels, minGroupSize: number, words: RunWords): string | null {
  if (models.scoredBy !== 'bgnbd') return null;
  const share = sums.oneTimeClv / sums.totalClv;
  if (!(sums.oneTime >= minGroupSize) || !(sums.totalClv > 0) || !(share >= MATERIAL_CLV_SHARE)) return null;
  const money = (v: number) => Math.round(v).toLocaleString('en-US');
  const own = models.comparison.find((c) => c.model === 'bgnbd');
  // only a model the tournament could have chosen (tournamentPool: a settled fit, with finite standard errors when any
  // has them): a QA run was told to force Pareto/NBD, ruled out on a boundary, and its mean P(alive) fell from 0.91 to 0.68
  const others = models.comparison.filter((c) => c.model !== 'bgnbd' && Number.isFinite(c.holdout.mae));
  const { pool } = tournamentPool(models.comparison.map((c) => ({ entry: c, fitted: { fit: c.fit, stdErrors: c.stdErrors }, holdout: c.holdout })));
  const eligible = new Set(pool.map((p) => p.entry));
  const other = others.filter((c) => eligible.has(c)).sort((a, b) => a.holdout.mae - b.holdout.mae)[0];
  const ruledOut = others.filter((c) => !eligible.has(c));
  const remedy = other
    ? `${words.set('model', other.model)} uses ${other.label} (holdout MAE ${other.holdout.mae.toFixed(4)}${own && Number.isFinite(own.holdout.mae) ? `; BG/NBD ${own.holdout.mae.toFixed(4)}` : ''}), which lets customers drop out from their first purchase, so that their p_alive falls with their silence`
    : ruledOut.length > 0
    ? `the models that let customers drop out from their first purchase were ruled out by the tournament (${ruledOut.map((c) => `${c.label}: ${ineligibleReason({ fit: c.fit, stdErrors: c.stdErrors })}`).join('; ')}), so none is offered in its place`
    : `${words.name('model')} mbgnbd or paretonbd uses a model that lets customers drop out from their first purchase, so that their p_alive falls with their silence`;
  return (
    `${sums.oneTime.toLocaleString('en-US')} customers without a repeat purchase carry ${money(sums.oneTimeClv)} of the ${money(sums.totalClv)} predicted CLV over 12 months (${(100 * share).toFixed(1)}%): ` +
    'BG/NBD gives each of them P(alive) = 1 by its construction (it lets customers drop out only right after a repeat purchase), however long their silence, and values them as if still buying at rates learnt from the repeat buyers; ' +
    `${remedy}; their predicted CLV rests on one purchase each under any purchase model: count it as the least certain part of the total`
  );
}
