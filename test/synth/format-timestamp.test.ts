import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/math/random.js';
import { formatDay, formatTimestamp } from '../../src/synth/format-timestamp.js';

describe('formatTimestamp', () => {
  it('equals toISOString to the second (floor) for random instants 1900–2100, including fractional ms and day changes', () => {
    const random = createRandom(3);
    const from = Date.UTC(1900, 0, 1), to = Date.UTC(2100, 0, 1);
    let previous = from;
    for (let i = 0; i < 20_000; i++) {
      // half the draws near the previous one (the cache's case), half anywhere
      const ms = i % 2 === 0 ? previous + random.uniform() * 3 * 86_400_000 : from + random.uniform() * (to - from);
      const expected = new Date(Math.floor(ms)).toISOString().slice(0, 19);
      expect(formatTimestamp(ms), `ms = ${ms}`).toBe(expected);
      previous = ms;
    }
    expect(formatTimestamp(Date.UTC(2023, 11, 31, 23, 59, 59, 999))).toBe('2023-12-31T23:59:59');
    expect(formatTimestamp(Date.UTC(2024, 0, 1))).toBe('2024-01-01T00:00:00');
    expect(formatTimestamp(Date.UTC(1969, 11, 31, 23, 59, 59, 500))).toBe('1969-12-31T23:59:59');
    expect(formatDay(Date.UTC(2024, 1, 29, 12))).toBe('2024-02-29');
  });
});
