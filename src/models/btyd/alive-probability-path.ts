/**
 * The alive path: P(alive) over a customer's own history, evaluated as the
 * history unfolds (`lifetimes`' utils.calculate_alive_path). At each age t
 * since the first purchase the customer's summary is what was known then:
 * x(t) repeat purchases up to t, the last at t_x(t), age t; the path is
 * P(alive | x(t), t_x(t), t) of the fitted model. For BG/NBD and Pareto/NBD it
 * jumps up at every repeat purchase and decays until the next one: to 1 for
 * Pareto/NBD (t_x = t), to (b+x−1)/(a+b+x−1) for BG/NBD (the customer may
 * drop out right after the purchase); before the first repeat purchase a
 * BG/NBD customer is alive for certain.
 */
import { UserError } from '../../core/errors/user-error.js';
import type { RfmData } from '../model-types.js';
import { PURCHASE_MODELS, type PurchaseFit, type PurchaseModelName } from './purchase-models.js';

export interface AliveProbabilityPath {
  /** ages since the first purchase, in the model's time unit: the grid, each purchase time and T, ascending */
  readonly t: Float64Array;
  /** x(t): repeat purchases in (0, t] */
  readonly frequency: Float64Array;
  /** t_x(t): age at the last purchase up to t (0 before the first repeat) */
  readonly recency: Float64Array;
  /** P(alive | x(t), t_x(t), t) */
  readonly pAlive: Float64Array;
}

/** More grid points than this is a mistaken step, not a path anyone reads. */
const MAX_POINTS = 1_000_000;

/**
 * P(alive) over a customer's history on the grid 0, step, 2·step, … ≤ T, with
 * every purchase time and T itself added, so the path shows each purchase's
 * jump exactly. `purchaseTimes` are the customer's purchase occasions in the
 * model's time unit on any origin (the earliest is the first purchase, age 0;
 * repeated times count once; purchases after age T are ignored); `T` is the
 * age at the end of the path, `step` the grid spacing (1 with days for a
 * daily path; 1/7 with weeks). Throws `UserError` on an empty or non-finite
 * history, T < 0 or step ≤ 0.
 *
 * `fit` is the fitted model (a fit at a limit draws the limit's path: limit-predictions.ts), or `{ params }`.
 *
 * Example: BG/NBD at the CDNOW estimates, purchases at weeks 0, 2, 5, T = 8, step 1:
 * t = [0, 1, …, 8], pAlive 1 at 0 and 1, 0.754 at 2 (b/(a+b)), decaying, 0.812 at 5, decaying to 0.699 at 8.
 */
export function aliveProbabilityPath(
  model: PurchaseModelName, fit: PurchaseFit, purchaseTimes: ArrayLike<number>, T: number, step: number,
): AliveProbabilityPath {
  const entry = PURCHASE_MODELS[model];
  if (!entry) throw new UserError(`alive path: unknown model ${JSON.stringify(model)}`, `models: ${Object.keys(PURCHASE_MODELS).join(', ')}`);
  if (purchaseTimes.length === 0) throw new UserError('alive path: the customer has no purchase', 'the path starts at the first purchase');
  const times = Array.from(purchaseTimes);
  if (!times.every(Number.isFinite)) throw new UserError('alive path: a purchase time is not a finite number', 'give purchase times in the model’s time unit');
  if (!(T >= 0) || !Number.isFinite(T)) throw new UserError(`alive path: T = ${T} must be a finite number ≥ 0`, 'T is the age at the end of the path');
  if (!(step > 0) || !Number.isFinite(step)) throw new UserError(`alive path: step = ${step} must be a finite number > 0`, 'e.g. 1 for a daily path in days');
  if (T / step > MAX_POINTS) throw new UserError(`alive path: T / step = ${Math.ceil(T / step)} points is more than ${MAX_POINTS}`, 'use a larger step');
  const first = times.reduce((a, b) => Math.min(a, b));
  const ages = [...new Set(times.map((time) => time - first))].filter((age) => age <= T).sort((a, b) => a - b);
  // grid points within rounding of a purchase time (k·step vs the same age computed another way) give way to it
  const eps = 1e-9 * step;
  const points = [...ages];
  for (let k = 0; k * step <= T + eps; k++) points.push(Math.min(k * step, T));
  points.push(T);
  points.sort((a, b) => a - b);
  const kept: number[] = [];
  for (const point of points) {
    const last = kept.length - 1;
    if (last >= 0 && point - kept[last]! <= eps) {
      if (ages.includes(point)) kept[last] = point; // the exact purchase age wins
      continue;
    }
    kept.push(point);
  }
  const t = Float64Array.from(kept);
  const frequency = new Float64Array(t.length), recency = new Float64Array(t.length);
  let next = 1; // index into ages of the next repeat purchase
  for (let i = 0; i < t.length; i++) {
    while (next < ages.length && ages[next]! <= t[i]!) next++;
    frequency[i] = next - 1;
    recency[i] = ages[next - 1]!;
  }
  const data: RfmData = { frequency, recency, T: t, weight: new Float64Array(t.length).fill(1) };
  return { t, frequency, recency, pAlive: entry.probabilityAliveAll(fit, data) };
}
