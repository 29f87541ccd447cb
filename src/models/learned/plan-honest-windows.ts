/**
 * The time windows of the honest tournament, in whole days, from the length
 * of the calibration window (first purchase → calibration end C) and of the
 * holdout (C → H, h days).
 *
 * A learned model is trained on features as of a cut-off with the purchases
 * of the following `label` days as its target, and its prediction is carried
 * to the wanted horizon by the BTYD feature model's ratio E[X(horizon)] /
 * E[X(label)]. So that the inner test measures what the holdout will ask, the
 * inner split keeps the holdout's ratio label ÷ horizon = r:
 *
 *   inner horizon  h_in = min(h, ⌊span/3⌋)
 *   r              = min(1, ⅔·span / h, ⅔·span / h_in − 1)
 *   outer label    L    = min(round(r·h), ⌊⅔·span⌋)           (training cut-off C − L)
 *   inner label    L_in = min(round(r·h_in), ⌊⅔·span⌋ − h_in)  (training cut-off C − h_in − L_in)
 *
 * which leaves at least a third of the calibration span as history before
 * every training cut-off (the rounding never reaches into it, and the longest
 * outer label is the churn horizon's longest, ⌊⅔·span⌋, churn-horizon.ts). With a holdout no longer than a third of the span,
 * r = 1: the models are trained on windows as long as the one they predict.
 *
 * Example: `planHonestWindows(273, 273)` (CDNOW 39 + 39 weeks)
 * → `{ innerDays: 91, innerLabelDays: 61, outerLabelDays: 182, ratio: 2/3 }`
 */
export interface HonestWindows {
  /** h_in: the inner window (C − h_in, C] the choice is made on */
  readonly innerDays: number;
  /** L_in: label window of the models trained for the inner test */
  readonly innerLabelDays: number;
  /** L: label window of the models trained for the holdout (and of the churn label) */
  readonly outerLabelDays: number;
  /** r = label ÷ horizon */
  readonly ratio: number;
}

/**
 * h_in, the inner window the choice is made on: the holdout's length, at most a third of the calibration window.
 *
 * Example: `innerHorizonDays(273, 273)` → 91
 */
export function innerHorizonDays(calibrationSpanDays: number, holdoutDays: number): number {
  return Math.min(holdoutDays, Math.floor(calibrationSpanDays / 3));
}

export function planHonestWindows(calibrationSpanDays: number, holdoutDays: number): HonestWindows {
  const innerDays = innerHorizonDays(calibrationSpanDays, holdoutDays);
  const history = (2 * calibrationSpanDays) / 3;
  const ratio = Math.min(1, history / holdoutDays, history / innerDays - 1);
  // whole days after the first third: a label rounded up past them would reach into it (and the longest label would
  // be a day longer than the churn horizon's ⌊⅔·c⌋, churn-horizon.ts, which then needs a snapshot of its own)
  const afterFirstThird = Math.floor(history);
  return {
    innerDays,
    innerLabelDays: Math.max(1, Math.min(Math.round(ratio * innerDays), afterFirstThird - innerDays)),
    outerLabelDays: Math.max(1, Math.min(Math.round(ratio * holdoutDays), afterFirstThird)),
    ratio,
  };
}
