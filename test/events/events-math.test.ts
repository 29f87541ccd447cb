import { describe, expect, it } from 'vitest';
import { otsuThreshold } from '../../src/math/otsu-threshold.js';
import { wilsonInterval } from '../../src/math/wilson-interval.js';

describe('wilsonInterval', () => {
  it('matches the published Wilson interval (Brown, Cai & DasGupta 2001) and stays in [0, 1]', () => {
    // 0 of 10: upper bound z²/(n + z²) = 3.8415/13.8415
    const none = wilsonInterval(0, 10);
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(3.841459 / 13.841459, 6);
    // 5 of 10: symmetric about 0.5, half-width z·√(0.025 + z²/400)/(1 + z²/10)
    const half = wilsonInterval(5, 10);
    expect(half.low + half.high).toBeCloseTo(1, 12);
    expect(half.high).toBeCloseTo(0.5 + (1.959964 * Math.sqrt(0.025 + 3.841459 / 400)) / (1 + 0.3841459), 6);
    expect(wilsonInterval(10, 10).high).toBeCloseTo(1, 12);
    expect(Number.isNaN(wilsonInterval(0, 0).low)).toBe(true);
  });

  it('holds its point estimate at 0 of n and n of n: rounding never leaves p̂ outside the interval', () => {
    // run.json funnels of a synthetic shop (synth --customers 12000 --seed 4711): 3,478 of 3,478 sessions viewed had
    // rateHigh 0.9999999999999999 < rate 1, and 0 of 1,003 carted sessions bought had conversionLow 8.7e-19 > rate 0
    for (const n of [1, 7, 10, 1003, 2385, 3478, 8663, 31624, 69092]) {
      const all = wilsonInterval(n, n);
      expect(all.high, `${n} of ${n}`).toBe(1);
      expect(all.low).toBeLessThan(1);
      const none = wilsonInterval(0, n);
      expect(none.low, `0 of ${n}`).toBe(0);
      expect(none.high).toBeGreaterThan(0);
    }
  });
});

describe('otsuThreshold', () => {
  it('cuts two separated groups between them, and gives NaN without two distinct values', () => {
    expect(otsuThreshold([1, 1.2, 0.9, 5, 5.5, 6])).toBeCloseTo(3.1, 12);
    expect(otsuThreshold([-3, -2.5, -2.9, -3.1, 4, 4.2])).toBeCloseTo(0.75, 12);
    expect(Number.isNaN(otsuThreshold([2, 2, 2]))).toBe(true);
    expect(otsuThreshold([0, Number.NaN, 10])).toBe(5);
  });
});
