import { describe, expect, it } from 'vitest';
import { computeTimeToNextPurchaseQuantile } from '../../../src/models/btyd/next-purchase-probability.js';
import { NEXT_ORDER_MAX_DAYS, nextOrderDays } from '../../../src/models/value/next-order-days.js';

describe('nextOrderDays', () => {
  it('converts units to days and leaves out infinite, NaN and beyond-a-century quantiles', () => {
    expect(nextOrderDays(Float64Array.of(0, 2, Infinity, NaN, 1e9, NEXT_ORDER_MAX_DAYS / 7), 7)).toEqual([0, 14, null, null, null, NEXT_ORDER_MAX_DAYS]);
    expect(nextOrderDays(Float64Array.of(NEXT_ORDER_MAX_DAYS / 7 + 1e-6), 7)).toEqual([null]);
  });

  it('leaves out the finite but astronomical quantile of a customer whose P(alive) is just above q (regression: 1.8e10 days broke the date cast in analyze)', () => {
    // t_q = κ·((1 − q/P(alive))^(−1/s) − 1): P(alive) = 0.5 + 1e-9, s = 1.2, κ = 30 weeks
    const weeks = computeTimeToNextPurchaseQuantile(0.5 + 1e-9, 1.2, 30, 0.5);
    expect(Number.isFinite(weeks)).toBe(true);
    expect(weeks * 7).toBeGreaterThan(1e9);
    expect(nextOrderDays(Float64Array.of(weeks), 7)).toEqual([null]);
  });
});
