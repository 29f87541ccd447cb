import { describe, expect, it } from 'vitest';
import { holmAdjusted } from '../../src/math/holm-adjusted.js';
import { createRandom } from '../../src/math/random.js';

describe('holmAdjusted', () => {
  it("equals R's p.adjust(p, 'holm'), in the input order, ties and all", () => {
    // p.adjust(c(0.01, 0.04, 0.03, 0.005), 'holm') → 0.03 0.06 0.06 0.02
    const adjusted = holmAdjusted([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((p, i) => expect(adjusted[i]).toBeCloseTo(p, 15));
    // p.adjust(c(0.02, 0.02, 0.5, 0.001, 0.9), 'holm') → 0.08 0.08 1.00 0.005 1.00
    const tied = holmAdjusted([0.02, 0.02, 0.5, 0.001, 0.9]);
    [0.08, 0.08, 1, 0.005, 1].forEach((p, i) => expect(tied[i]).toBeCloseTo(p, 15));
    expect(holmAdjusted([0.03])).toEqual([0.03]);
    expect(holmAdjusted([])).toEqual([]);
  });

  it('five true hypotheses with independent uniform p-values: some adjusted p < 0.05 in 4.9% of 20,000 families (1 − 0.99⁵), any raw p < 0.05 in 22.6%', () => {
    const random = createRandom(5);
    let holm = 0;
    let raw = 0;
    const FAMILIES = 20_000;
    for (let f = 0; f < FAMILIES; f++) {
      const p = Array.from({ length: 5 }, () => random.uniform());
      if (holmAdjusted(p).some((q) => q < 0.05)) holm++;
      if (p.some((q) => q < 0.05)) raw++;
    }
    // sd of a share near 0.05 over 20,000: 0.0015
    expect(holm / FAMILIES).toBeCloseTo(0.049, 2);
    expect(raw / FAMILIES).toBeCloseTo(0.226, 2);
  });
});
