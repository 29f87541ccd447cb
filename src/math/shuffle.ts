import type { Random } from './random.js';

/**
 * Shuffles `items` in place by Fisher–Yates (Durstenfeld's version: from the
 * end, swap each position with a uniform one at or before it) with a seeded
 * generator, so the same input order and seed give the same permutation.
 * Arrays and typed arrays alike (no allocation per swap: the Qini
 * permutation test shuffles an Int32Array of indices 999 times). Returns
 * `items`.
 *
 * Example: `shuffleInPlace([1, 2, 3, 4], createRandom(7))` → the same permutation of 1…4 on every run
 */
export function shuffleInPlace<A extends { readonly length: number; [index: number]: unknown }>(items: A, random: Random): A {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.integer(i + 1);
    const swap = items[i];
    items[i] = items[j];
    items[j] = swap;
  }
  return items;
}
