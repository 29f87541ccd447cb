/**
 * Money as the outputs give it: rounded to cents (the playbook knows no currency, so no other minor unit), half away
 * from zero. A sum of float amounts (0.1 × 463 = 46.300000000000004) otherwise reaches a script as noise, and a total
 * 200.00000000000003 fails its `expectedCost <= budget`.
 *
 * Example: `toCents(46.300000000000004)` → 46.3; `toCents(0.125)` → 0.13
 */
export function toCents(amount: number): number {
  if (!Number.isFinite(amount)) return amount;
  const cents = Math.round(Math.abs(amount) * 100 + 1e-9 * Math.max(1, Math.abs(amount)));
  return (Math.sign(amount) * cents) / 100 || 0;
}

/** `toCents` of an amount that may be unknown (null). */
export const centsOrNull = (amount: number | null): number | null => (amount === null ? null : toCents(amount));
