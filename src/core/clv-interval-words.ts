/**
 * The words of predicted_clv_12m's interval wherever a customer's row is shown (`clvkit customer`, the dashboard's
 * customer 360): predicted_clv_12m_low / _high are the 5th and 95th percentiles of the expected CLV over the
 * parameter draws — a 90% interval (README, docs/data-contracts.md), not a 95% one.
 *
 * Example: `clvIntervalWords(61.25, 99.75, (v) => v.toFixed(2))` → `'90% interval, 5th–95th percentile: 61.25 … 99.75'`
 */
export function clvIntervalWords(low: unknown, high: unknown, format: (value: number) => string): string {
  if (typeof low !== 'number' || typeof high !== 'number' || !Number.isFinite(low) || !Number.isFinite(high)) return 'no interval';
  return `90% interval, 5th–95th percentile: ${format(low)} … ${format(high)}`;
}
