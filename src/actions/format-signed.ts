/**
 * A figure and its interval with their signs always written (the minus as '−'), at most `digits` decimals:
 * `4.1, [0.52, 7.7]` (2) → `+4.1 [+0.52, +7.7]`: the adjusted uplift in compare, the report, the dashboard and
 * evaluate's warning (`adjustmentWarning`).
 */
export function formatSignedWithInterval(value: number, interval: readonly [number, number], digits: number): string {
  const signed = (v: number) => `${v < 0 ? '−' : '+'}${Math.abs(v).toLocaleString('en-US', { maximumFractionDigits: digits })}`;
  return `${signed(value)} [${signed(interval[0])}, ${signed(interval[1])}]`;
}
