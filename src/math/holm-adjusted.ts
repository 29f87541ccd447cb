/**
 * Holm's step-down adjusted p-values (Holm 1979, "A simple sequentially
 * rejective multiple test procedure", Scand. J. Statist. 6), as R's
 * `p.adjust(p, 'holm')`: with the m p-values sorted ascending,
 *
 *   p̃_(i) = max over j ≤ i of min(1, (m − j + 1) · p_(j)),
 *
 * returned in the input order (ties keep it). Rejecting every hypothesis
 * whose adjusted p-value is below α keeps the chance of rejecting any true
 * one at most α — for every set of true hypotheses and whatever the
 * dependence between the tests — and rejects all that Bonferroni's α/m
 * rejects and more. Which of the rejected is then used does not change that
 * chance.
 *
 * Example: `holmAdjusted([0.01, 0.04, 0.03, 0.005])` → `[0.03, 0.06, 0.06, 0.02]`
 */
export function holmAdjusted(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => pValues[a]! - pValues[b]! || a - b);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[index]!));
    adjusted[index] = running;
  });
  return adjusted;
}
