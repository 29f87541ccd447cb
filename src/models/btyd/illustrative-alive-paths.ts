/**
 * Alive paths of three made-up purchase histories under fitted parameters,
 * for the report: they show what the model concludes from a history (a
 * steady buyer, one who stopped, a one-off buyer) without publishing any real
 * customer's purchases. Real customers' paths are per-customer data:
 * `clvkit customer <id> --alive-path`.
 */
import { aliveProbabilityPath } from './alive-probability-path.js';
import type { PurchaseFit, PurchaseModelName } from './purchase-models.js';

export interface IllustrativeAlivePath {
  readonly label: string;
  /** purchase ages (time unit) of the made-up history */
  readonly purchaseTimes: readonly number[];
  readonly t: readonly number[];
  readonly pAlive: readonly number[];
}

const POINTS = 200;

const formatAge = (age: number, unit: string) => `${Number(age.toPrecision(3))} ${unit}s`;

/**
 * Three histories over `horizon` time units (e.g. a year; `timeUnit` names
 * them in the labels): purchases every
 * g = α/r (the time between purchases at the mean rate r/α, kept within
 * horizon/12 … horizon/4, so the steady buyer buys at least 5 times)
 * throughout; the same through the middle of the horizon and then nothing;
 * the first purchase only.
 *
 * Example: `illustrateAlivePaths('bgnbd', { params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } }, 52, 'week')` → 'buys every 13 weeks' (α/r = 18.2 is capped at 52/4), …
 */
export function illustrateAlivePaths(model: PurchaseModelName, fit: PurchaseFit, horizon: number, timeUnit = 'time unit'): IllustrativeAlivePath[] {
  const { r, alpha } = fit.params;
  if (!(r! > 0 && alpha! > 0 && horizon > 0)) return [];
  const gap = Math.min(horizon / 4, Math.max(horizon / 12, alpha! / r!));
  const steady = Array.from({ length: Math.floor(horizon / gap + 1e-9) + 1 }, (_, k) => Math.min(k * gap, horizon));
  const histories = [
    { label: `buys every ${formatAge(gap, timeUnit)}`, purchaseTimes: steady },
    { label: `stopped after ${formatAge(steady[Math.floor((steady.length - 1) / 2)]!, timeUnit)}`, purchaseTimes: steady.slice(0, Math.floor((steady.length - 1) / 2) + 1) },
    { label: 'one purchase only', purchaseTimes: [0] },
  ];
  return histories.map(({ label, purchaseTimes }) => {
    const path = aliveProbabilityPath(model, fit, purchaseTimes, horizon, horizon / POINTS);
    return { label, purchaseTimes, t: Array.from(path.t), pAlive: Array.from(path.pAlive) };
  });
}
