/** A [lowest, highest] range of a group's values, either end possibly withheld. */
export type ValueRange = readonly [number | null, number | null] | null;

/**
 * Withhold the ends of a set of ranges that are the lowest and the highest
 * value of all customers: the range of the group at the bottom starts at one
 * customer's own value, the one at the top ends at one (the biggest spender's
 * spend, for instance). Inner ends — where one group stops and the next
 * begins — stay. Ranges already null stay null; ties withhold every end that
 * equals the extreme. The extremes are taken over `all` (default `ranges`):
 * pass the ranges before suppression, so that the ends of shown groups that
 * are not an extreme of everyone stay.
 *
 * Example: `[[1, 4], [5, 9], [10, 2500]]` → `[[null, 4], [5, 9], [10, null]]`.
 */
export function withholdExtremes(ranges: readonly ValueRange[], all: readonly ValueRange[] = ranges): ValueRange[] {
  let lowest = Infinity;
  let highest = -Infinity;
  for (const range of all) {
    if (range?.[0] !== null && range?.[0] !== undefined && range[0] < lowest) lowest = range[0];
    if (range?.[1] !== null && range?.[1] !== undefined && range[1] > highest) highest = range[1];
  }
  return ranges.map((range) => (range === null ? null : [range[0] === lowest ? null : range[0], range[1] === highest ? null : range[1]]));
}
