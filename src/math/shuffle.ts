import type { Random } from './random.js';

/**
 * Shuffles `items` in place by Fisher–Yates (Durstenfeld's version: from the
 * end, swap each position with a uniform one at or before it) with a seeded
 * generator, so the same input order and seed give the same permutation.
 * Returns `items`.
 *
 * Example: `shuffleInPlace([1, 2, 3, 4], createRandom(7))` → the same permutation of 1…4 on every run
 */
export function shuffleInPlace<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.integer(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
