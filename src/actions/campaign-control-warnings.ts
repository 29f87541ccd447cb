import { probabilityOfNone } from '../math/two-proportions.js';
import { formatCount } from '../report/format-number.js';
import type { UpliftEstimate } from './estimate-uplift.js';
import { pEquals } from './format-p-value.js';

/** A control group with fewer buyers than this gets a warning: its uplifts can only tell a large effect from chance. */
export const MIN_CONTROL_BUYERS = 10;

/** A share difference's interval in percentage points: '[−6.1, +9.3] points'. */
export function points(interval: readonly [number, number]): string {
  const point = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(100 * v).toFixed(1)}`;
  return `[${point(interval[0])}, ${point(interval[1])}] points`;
}

/**
 * The warnings of a control group too thin to measure against: no buyer at
 * all (with the chance of that were the campaign without effect: the
 * hypergeometric probability that the audience's buyers all fell in the
 * treatment group), or fewer than `MIN_CONTROL_BUYERS`. The tests and
 * intervals allow for it (`estimateShareUplift`, `estimateMeanUplifts`);
 * the warning says why they are wide.
 *
 * Example: `controlGroupWarnings(259, 15, 29, 0, buyers)` → ['the control group has no buyer (0 of 29 customers): … probability 0.195 …']
 */
export function controlGroupWarnings(treated: number, treatedBuyers: number, controls: number, controlBuyers: number, buyers: UpliftEstimate): string[] {
  if (controlBuyers === 0) {
    if (treatedBuyers === 0) return [`neither group has a buyer in the window (${formatCount(treated)} treated, ${formatCount(controls)} control customers): there is no response to compare`];
    const chance = probabilityOfNone(treated + controls, treatedBuyers, controls);
    return [
      `the control group has no buyer (0 of ${formatCount(controls)} customers): were the campaign without effect, the audience's ${formatCount(treatedBuyers)} buyers among ${formatCount(treated + controls)} customers would leave the control without one with probability ${chance.toFixed(3)}, so its purchases and revenue are not known to be 0 — read the intervals (buyers ${points(buyers.absoluteUpliftInterval)}, ${pEquals(buyers.pValue)})`,
    ];
  }
  if (controlBuyers < MIN_CONTROL_BUYERS) {
    return [`the control group has only ${formatCount(controlBuyers)} buyer${controlBuyers === 1 ? '' : 's'} (of ${formatCount(controls)} customers): the uplifts are measured against them, so their intervals are wide (buyers ${points(buyers.absoluteUpliftInterval)}) and only a large effect can be told from chance`];
  }
  return [];
}
