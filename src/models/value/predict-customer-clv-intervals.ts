/**
 * Per-customer CLV intervals from the parameter uncertainty of the purchase
 * and spend models (`predictClvIntervals`): each draw rescores the unique
 * (x, t_x, T) tuples and multiplies by each customer's spend per purchase
 * (`predictSpendPerPurchase`, the same function as the point estimate) and
 * the margin. Pure: typed arrays in, typed arrays out.
 *
 * Bounded: the number of draws follows a budget of model evaluations
 * (tuples × schedule steps × draws ≤ `evaluationBudget`, 100..200 draws:
 * MIN_CLV_INTERVAL_DRAWS), and
 * a fit on a boundary of its parameter space (no standard errors), or one
 * whose 95% intervals are not finite (a fit stopped at the optimiser's box,
 * a singular information matrix), is not drawn from at all: the result says
 * why instead.
 */
import { createClvSchedule, predictClvAll, predictClvIntervals, type ClvScheduleOptions } from '../clv.js';
import type { FittedModel, RfmData } from '../model-types.js';
import type { PurchaseModel } from '../btyd/purchase-models.js';
import type { GammaGammaParams } from '../gamma-gamma/gamma-gamma.js';
import { predictSpendPerPurchase } from '../gamma-gamma/spend-per-purchase.js';

export interface CustomerClvIntervalInput {
  /** the purchase model's E[X] at every t (a registry model, or an adapter: MBG/CNBD-k at its k, regularity-scores.ts) */
  readonly model: Pick<PurchaseModel, 'conditionalPurchasesAtAll'>;
  readonly purchaseFit: FittedModel;
  /** null: spend per purchase without a Gamma-Gamma fit (see `predictSpendPerPurchase`) */
  readonly spendFit: FittedModel<GammaGammaParams> | null;
  /** unique tuples, and per customer the index of their tuple */
  readonly tuples: RfmData;
  readonly tupleOf: Uint32Array;
  /** per customer: repeat count and mean repeat spend */
  readonly frequency: Float64Array;
  readonly monetary: Float64Array;
  readonly fallbackMean: number;
  readonly schedule: ClvScheduleOptions;
  readonly margin: number;
  readonly seed: number;
  /** central level, e.g. 0.9 */
  readonly level: number;
  /** most model evaluations (tuples × steps × draws), default 8e5 */
  readonly evaluationBudget?: number;
  /** this many draws instead of the budget's: another schedule's interval from the same parameter draws (same seed, same fits) */
  readonly draws?: number;
  /** fewest draws, whatever the budget (default MIN_CLV_INTERVAL_DRAWS; MBG/CNBD-k's costly series pass 20, regularity-scores.ts) */
  readonly minDraws?: number;
  /**
   * most model evaluations at all, for a model whose evaluation is costly (MBG/CNBD-k's series): when the draws
   * (at least `minDraws`) would need more, there are no intervals and `skipped` says so (default: no limit)
   */
  readonly evaluationLimit?: number;
}

/**
 * The fewest parameter draws behind a 5th–95th percentile interval: 5 draws lie beyond each end, and the Monte Carlo
 * error of an end is about 2.1·σ/√n (the 5th percentile of a normal spread σ), 13% of the interval's half-width 1.645·σ
 * at 100 draws against 29% at 20 (the floor until session 43, which Online Retail's 3,031 histories came near: 65).
 * The budget lowers the draws from 200 to this, not further.
 */
export const MIN_CLV_INTERVAL_DRAWS = 100;

/** The most parameter draws, on shops small enough for the budget. */
const MAX_CLV_INTERVAL_DRAWS = 200;

export type CustomerClvIntervals =
  | { readonly lower: Float64Array; readonly upper: Float64Array; readonly draws: number; readonly level: number; readonly skipped: null }
  | { readonly lower: null; readonly upper: null; readonly draws: 0; readonly level: number; readonly skipped: string };

/**
 * The parameters of a fit whose 95% interval is not a finite, positive range (NaN: a singular information matrix;
 * [0, ∞): a standard error on the log scale too large to exponentiate, as where an estimate ran to the optimiser's box
 * without a named boundary). Draws from such a fit give no finite CLV: there is nothing to draw from.
 *
 * Example: MBG/NBD stopped at a = 2.9e-11, b = 1.8e-9 with intervals a: [0, ∞), b: [0, ∞) → `['a', 'b']`
 */
export function parametersWithoutIntervals(fit: FittedModel): string[] {
  return Object.entries(fit.intervals95 as Record<string, readonly [number, number]>).filter(([, [low, high]]) => !(low > 0 && Number.isFinite(high) && high >= low)).map(([name]) => name);
}

export function predictCustomerClvIntervals(input: CustomerClvIntervalInput): CustomerClvIntervals {
  const onBoundary = [input.purchaseFit, input.spendFit].find((f) => f?.fit.boundary);
  if (onBoundary) {
    const b = onBoundary.fit.boundary!;
    return { lower: null, upper: null, draws: 0, level: input.level, skipped: `no intervals: the ${onBoundary.model} estimates are on a boundary (${b.limit}: ${b.meaning}), where parameter uncertainty has no normal approximation` };
  }
  // no finite standard errors: every draw would be NaN (customers.csv's columns empty) while the card counted the draws
  for (const fit of [input.purchaseFit, input.spendFit]) {
    const missing = fit ? parametersWithoutIntervals(fit) : [];
    if (fit && missing.length > 0) {
      return { lower: null, upper: null, draws: 0, level: input.level, skipped: `no intervals: the ${fit.model} estimates have no finite 95% interval for ${missing.join(', ')} (${fit.fit.converged ? 'its information matrix is singular or nearly so' : 'the fit did not converge'}), so there is no parameter uncertainty to draw from` };
    }
  }
  const steps = createClvSchedule(input.schedule).times.length;
  const budget = input.evaluationBudget ?? 8e5;
  const draws = input.draws ?? Math.max(input.minDraws ?? MIN_CLV_INTERVAL_DRAWS, Math.min(MAX_CLV_INTERVAL_DRAWS, Math.floor(budget / Math.max(1, input.tuples.frequency.length * steps))));
  const evaluations = draws * input.tuples.frequency.length * steps;
  if (input.evaluationLimit !== undefined && evaluations > input.evaluationLimit) {
    const n = (v: number) => v.toLocaleString('en-US');
    return { lower: null, upper: null, draws: 0, level: input.level, skipped: `no intervals: ${draws} draws of the ${input.purchaseFit.model} parameters over ${n(input.tuples.frequency.length)} distinct purchase histories and ${steps} schedule steps would take ${n(evaluations)} evaluations of its costly predictions, more than the ${n(input.evaluationLimit)} allowed` };
  }
  const { model, tupleOf, frequency, monetary } = input;
  const intervals = predictClvIntervals({
    draws,
    seed: input.seed,
    level: input.level,
    evaluate: (sample) => {
      const params = sample(input.purchaseFit);
      const discounted = predictClvAll({ ...input.schedule, expectedPurchasesAtAll: (times) => model.conditionalPurchasesAtAll({ params }, times, input.tuples), spendPerPurchase: 1 });
      const spend = input.spendFit ? sample(input.spendFit) : null;
      const out = new Float64Array(tupleOf.length);
      for (let i = 0; i < out.length; i++) out[i] = discounted[tupleOf[i]!]! * predictSpendPerPurchase(spend, frequency[i]!, monetary[i]!, input.fallbackMean) * input.margin;
      return out;
    },
  });
  return { lower: intervals.lower, upper: intervals.upper, draws, level: input.level, skipped: null };
}
