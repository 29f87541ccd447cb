/**
 * Otsu's threshold (Otsu 1979, "A threshold selection method from gray-level
 * histograms", eq. 18): the cut of a one-dimensional sample into a low and a
 * high class that maximises the between-class variance
 * ω₀ω₁(μ₀ − μ₁)² — equivalently minimises the within-class variance. Exact
 * over the sorted sample (every midpoint between distinct neighbours is a
 * candidate), O(n log n). Non-finite values are ignored; fewer than two
 * distinct values give NaN.
 *
 * Example: `otsuThreshold([1, 1.2, 0.9, 5, 5.5, 6])` → `3` (midway between 1.2 and 5)
 */
export function otsuThreshold(values: ArrayLike<number>): number {
  const sorted = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
  const n = sorted.length;
  let total = 0;
  for (const v of sorted) total += v;
  let best = Number.NaN;
  let bestScore = -Infinity;
  let lowSum = 0;
  for (let i = 0; i < n - 1; i++) {
    lowSum += sorted[i]!;
    if (sorted[i] === sorted[i + 1]) continue;
    const w0 = i + 1;
    const w1 = n - w0;
    const diff = lowSum / w0 - (total - lowSum) / w1;
    const score = w0 * w1 * diff * diff;
    if (score > bestScore) {
      bestScore = score;
      best = (sorted[i]! + sorted[i + 1]!) / 2;
    }
  }
  return best;
}
