import { UserError } from '../core/errors/user-error.js';
import { createRandom } from '../math/random.js';
import { shuffleInPlace } from '../math/shuffle.js';
import { formatCount } from '../report/format-number.js';

/** How `assignControlGroup` assigns, recorded with every audience (`audiences.assignment`). */
export const CONTROL_ASSIGNMENT_METHOD = 'seeded-shuffle-v1: tokens sorted, Fisher-Yates shuffle with xoshiro128** (seed), the first round(n × holdout) are control';

export type AudienceGroup = 'treatment' | 'control';

/**
 * The random control group of an audience: the member tokens are sorted,
 * shuffled by Fisher–Yates with the seeded generator (`math/random.ts`), and
 * the first round(n × holdout) go to control — so the same members, seed and
 * fraction always give the same assignment, whatever order the engine
 * returned them in, and the control group has exactly the share asked for.
 * A holdout that leaves no control customer is a `UserError` (nothing could
 * be measured), and so is one that leaves no treated customer.
 *
 * Example: `assignControlGroup(['c_a', 'c_b', …10 tokens], 0.2, 7)` → a Map with 2 `control` and 8 `treatment`
 */
export function assignControlGroup(tokens: readonly string[], holdout: number, seed: number): Map<string, AudienceGroup> {
  if (!(holdout > 0 && holdout < 1)) throw new UserError(`--holdout ${holdout} is not a fraction between 0 and 1`, 'e.g. --holdout 0.2 keeps 20% of the audience as the control group');
  const sorted = [...new Set(tokens)].sort();
  const control = Math.round(sorted.length * holdout);
  if (control === 0) {
    throw new UserError(`a control group of zero: ${(100 * holdout).toFixed(1)}% of ${formatCount(sorted.length)} customers rounds to nobody, so the campaign could not be measured`, `raise --holdout to at least ${(0.5 / Math.max(1, sorted.length)).toPrecision(2)} or widen --where`);
  }
  if (control === sorted.length) throw new UserError(`--holdout ${holdout} leaves nobody to contact in an audience of ${formatCount(sorted.length)}`, 'lower --holdout (e.g. 0.2)');
  shuffleInPlace(sorted, createRandom(seed));
  return new Map(sorted.map((token, i) => [token, i < control ? 'control' : 'treatment']));
}

/**
 * Why a draw of `members` customers with this holdout cannot be measured
 * under the k-floor — its control or treatment group would hold fewer than
 * `minGroupSize` customers (`holdoutName`, `whereName`: the flags or fields named), so `campaign evaluate` (which refuses such
 * groups) could never read it and its group means would single out
 * individuals — with a hint; null when both groups reach the floor.
 *
 * Example: `groupBelowFloor(300, 0.01, 5)` → `{ message: 'a control group of 3 of 300 customers (--holdout 0.01), fewer than …', hint: 'raise --holdout to at least 0.015 …' }`
 */
export function groupBelowFloor(members: number, holdout: number, minGroupSize: number, holdoutName = '--holdout', whereName = '--where'): { message: string; hint: string } | null {
  const control = Math.round(members * holdout);
  const small = control < minGroupSize ? ['control', control] : members - control < minGroupSize ? ['treatment', members - control] : null;
  if (small === null) return null;
  const message = `a ${small[0]} group of ${small[1]} of ${formatCount(members)} customers (${holdoutName} ${holdout}), fewer than the minimum group size ${minGroupSize}: the campaign could not be measured`;
  if (members < 2 * minGroupSize) return { message, hint: `widen ${whereName}: two groups of ${minGroupSize} need at least ${2 * minGroupSize} customers` };
  // the holdouts of three decimals whose groups both reach the floor: round(n × h) from k to n − k
  const fits = (thousandths: number) => {
    const c = Math.round((members * thousandths) / 1000);
    return c >= minGroupSize && members - c >= minGroupSize;
  };
  let h = small[0] === 'control' ? Math.max(1, Math.floor((1000 * (minGroupSize - 1)) / members)) : Math.min(999, Math.ceil((1000 * (members - minGroupSize + 1)) / members));
  while (h > 0 && h < 1000 && !fits(h)) h += small[0] === 'control' ? 1 : -1;
  if (h <= 0 || h >= 1000) return { message, hint: `widen ${whereName}` };
  return { message, hint: `${small[0] === 'control' ? `raise ${holdoutName} to at least` : `lower ${holdoutName} to at most`} ${h / 1000}, or widen ${whereName}` };
}
