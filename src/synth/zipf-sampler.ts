/**
 * Zipf popularity over n ranks: P(rank k) = k^−s / H(n, s), k = 1…n, drawn by
 * inversion on the cumulative table (binary search, O(log n) per draw,
 * 8n bytes). s = 0 is uniform.
 */
import type { Random } from '../math/random.js';

export interface ZipfSampler {
  readonly n: number;
  readonly exponent: number;
  /** a 0-based rank (0 = most popular) */
  draw(random: Random): number;
  /** P(0-based rank) */
  probability(rank: number): number;
}

export function createZipfSampler(n: number, exponent: number): ZipfSampler {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) {
    total += Math.pow(k + 1, -exponent);
    cumulative[k] = total;
  }
  return {
    n,
    exponent,
    draw(random: Random): number {
      const u = random.uniform() * total;
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumulative[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
    probability(rank: number): number {
      if (!(rank >= 0 && rank < n) || !Number.isInteger(rank)) return 0;
      return Math.pow(rank + 1, -exponent) / total;
    },
  };
}
