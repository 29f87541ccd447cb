import { describe, expect, it } from 'vitest';
import { sigmoid } from '../../src/math/sigmoid.js';

describe('sigmoid', () => {
  it('is ½ at 0, symmetric, and does not overflow', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(0.3)).toBeCloseTo(0.574442516811659, 15);
    expect(sigmoid(2) + sigmoid(-2)).toBeCloseTo(1, 15);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(-40)).toBeCloseTo(Math.exp(-40), 30);
  });
});
