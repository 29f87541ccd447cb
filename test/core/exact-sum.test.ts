import { describe, expect, it } from 'vitest';
import { ExactSum, exactSum } from '../../src/core/exact-sum.js';
import { createRandom } from '../../src/math/random.js';

describe('exactSum', () => {
  it('rounds the exact sum once: 0.1 + 0.2 + 0.3 is 0.6 in either order, where a += loop gives 0.6000000000000001 one way', () => {
    expect(0.1 + 0.2 + 0.3).toBe(0.6000000000000001);
    expect(exactSum([0.1, 0.2, 0.3])).toBe(0.6);
    expect(exactSum([0.3, 0.2, 0.1])).toBe(0.6);
  });

  it('keeps what cancellation loses: 1e100 + 1 − 1e100 is 1, and 1e16 + 1 + 1 − 1e16 is 2', () => {
    expect(exactSum([1e100, 1, -1e100])).toBe(1);
    expect(exactSum([1e16, 1, 1, -1e16])).toBe(2);
  });

  it('rounds a half-way sum to even by the partials below it: 1 + 2⁻⁵³ + 2⁻¹⁰⁶ is 1 + 2⁻⁵²', () => {
    expect(exactSum([1, 2 ** -53, 2 ** -106])).toBe(1 + 2 ** -52);
    expect(exactSum([1, 2 ** -53])).toBe(1);
  });

  it('gives 5000 money amounts the same sum to the bit in 20 shuffled orders', () => {
    const rng = createRandom(3);
    const amounts = Array.from({ length: 5000 }, () => Math.round(rng.uniform() * 1e6) / 100);
    const sums = new Set<number>();
    const plain = new Set<number>();
    for (let round = 0; round < 20; round++) {
      for (let i = amounts.length - 1; i > 0; i--) {
        const j = Math.floor(rng.uniform() * (i + 1));
        [amounts[i], amounts[j]] = [amounts[j]!, amounts[i]!];
      }
      sums.add(exactSum(amounts));
      plain.add(amounts.reduce((a, b) => a + b, 0));
    }
    expect(plain.size).toBeGreaterThan(1);
    expect(sums.size).toBe(1);
    // and it is the total of the cents, divided by 100 once
    expect([...sums][0]).toBe(amounts.reduce((a, b) => a + Math.round(b * 100), 0) / 100);
  });

  it('is 0 for no terms and carries infinities and NaN', () => {
    expect(new ExactSum().value()).toBe(0);
    expect(exactSum([1, Infinity])).toBe(Infinity);
    expect(exactSum([Infinity, -Infinity])).toBeNaN();
    expect(exactSum([1, NaN])).toBeNaN();
  });
});
