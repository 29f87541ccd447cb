/**
 * The k-floor's one test: is this count below k? A count of 1 … k − 1 people
 * singles its few members out and is not published (or said as "fewer than
 * k"); 0 describes nobody and k or more is a group. Every rule that withholds
 * a count for its size asks this.
 *
 * Example: `belowK(3, 5)` → true; `belowK(0, 5)` → false; `belowK(5, 5)` → false.
 */
export function belowK(count: number, k: number): boolean {
  return count > 0 && count < k;
}

/**
 * Why a count withheld because another table (or another part of the same table) withholds its group is withheld:
 * `small-group` when it is below k itself, `complementary` when it is k or more, null for 0 (nothing to withhold). The
 * marks are `Suppression`'s (suppress-linked-cells.ts, which imports this file).
 *
 * Example: `withheldMark(3, 5)` → 'small-group'; `withheldMark(40, 5)` → 'complementary'; `withheldMark(0, 5)` → null.
 */
export function withheldMark(count: number, k: number): 'small-group' | 'complementary' | null {
  if (!(count > 0)) return null;
  return belowK(count, k) ? 'small-group' : 'complementary';
}
