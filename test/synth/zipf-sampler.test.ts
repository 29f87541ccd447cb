import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/math/random.js';
import { createZipfSampler } from '../../src/synth/zipf-sampler.js';

describe('createZipfSampler', () => {
  it('P(rank k) ∝ k^−s: probabilities sum to 1 and match 200,000 draws within 4 sd for every rank (n = 50, s = 1.2)', () => {
    const zipf = createZipfSampler(50, 1.2);
    let total = 0;
    for (let k = 0; k < 50; k++) total += zipf.probability(k);
    expect(Math.abs(total - 1)).toBeLessThan(1e-12);
    expect(zipf.probability(0) / zipf.probability(1)).toBeCloseTo(2 ** 1.2, 12);
    expect(zipf.probability(50)).toBe(0);
    const random = createRandom(8);
    const draws = 200_000;
    const counts = new Array<number>(50).fill(0);
    for (let i = 0; i < draws; i++) counts[zipf.draw(random)]++;
    for (let k = 0; k < 50; k++) {
      const p = zipf.probability(k);
      expect(Math.abs(counts[k] / draws - p), `rank ${k + 1}: ${counts[k]} of ${draws}, p = ${p}`).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / draws));
    }
  });

  it('exponent 0 is uniform', () => {
    const zipf = createZipfSampler(4, 0);
    for (let k = 0; k < 4; k++) expect(zipf.probability(k)).toBeCloseTo(0.25, 15);
  });
});
