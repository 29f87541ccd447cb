/**
 * Next-order quantiles as days after the as-of date, for the `next_order_p50`
 * and `next_order_p90` dates: null where the order may never come. A quantile
 * is infinite when q ≥ P(alive), and just below that it is finite but can be
 * astronomically far (t_q = κ·((1 − q/P(alive))^(−1/s) − 1) grows without
 * bound as q → P(alive); 1.8e10 days was seen, which no date type holds).
 * Beyond NEXT_ORDER_MAX_DAYS it says the same as infinity — not within any
 * horizon a shop plans for — and is null too. The date itself is made in SQL
 * (`nextOrderDateSql`), which also leaves NULL a date after NEXT_ORDER_LAST_DAY.
 */

/** a century: quantiles beyond it are "may never be reached" */
export const NEXT_ORDER_MAX_DAYS = 36_525;

/**
 * The last next-order date any engine writes: ClickHouse 18.16's Date ends here (a later day reads as 1970-01-01 or
 * 0000-00-00). A next order after it is NULL on every engine, as one beyond the century is, so DuckDB and ClickHouse
 * pick the same customers for `next_order_p50 <= …` and `--next-order-within`.
 */
export const NEXT_ORDER_LAST_DAY = '2105-12-31';

/**
 * The most whole days after `asOf` (YYYY-MM-DD) a next-order date may lie: the century, or fewer when it would pass
 * NEXT_ORDER_LAST_DAY (negative for an as-of date after it: every next order is NULL then).
 *
 * Example: `nextOrderMaxDaysAfter('2024-06-30')` → 29768 (2105-12-31); `nextOrderMaxDaysAfter('1990-01-01')` → 36525
 */
export function nextOrderMaxDaysAfter(asOf: string): number {
  const toLastDay = Math.round((Date.parse(`${NEXT_ORDER_LAST_DAY}T00:00:00Z`) - Date.parse(`${asOf}T00:00:00Z`)) / 86_400_000);
  return Math.min(NEXT_ORDER_MAX_DAYS, toLastDay);
}

/**
 * Quantiles in model time units → days (null beyond NEXT_ORDER_MAX_DAYS, infinite or NaN).
 *
 * Example: `nextOrderDays(Float64Array.of(2, Infinity, 1e9), 7)` → `[14, null, null]`.
 */
export function nextOrderDays(quantiles: Float64Array, unitDays: number): (number | null)[] {
  return Array.from(quantiles, (t) => {
    const days = t * unitDays;
    return days >= 0 && days <= NEXT_ORDER_MAX_DAYS ? days : null;
  });
}
