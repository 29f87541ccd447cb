/**
 * Number formatting for the report, fixed to `en-US` so a report reads the
 * same on every machine. Non-finite numbers print as `–` (never `NaN`).
 */

const DASH = '–';

/** Integer-ish counts: `1234567` → `1,234,567`. */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return DASH;
  return Math.round(value).toLocaleString('en-US');
}

/**
 * A number with exactly `digits` decimals and thousands separators: `1234.5678` → `1,234.57`, `0.76` (3) → `0.760`.
 * Trailing zeros stay, so a column or figure family printed at one `digits` lines up (a QA pass read "AUC 0.76" beside
 * "0.732" when they were dropped).
 */
export function formatNumber(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return DASH;
  const text = value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  // a value a hair below 0 (a Gini of equal predictions: −1e-17) rounds to "-0": it is 0
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** A number with `significant` significant digits, for parameters of any scale: `0.000123456` → `0.000123`. */
export function formatSignificant(value: number, significant = 3): string {
  if (!Number.isFinite(value)) return DASH;
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-4) return value.toExponential(significant - 1);
  return Number(value.toPrecision(significant)).toLocaleString('en-US', { maximumFractionDigits: 20 });
}

/** A share in [0, 1] as a percentage: `0.4567` → `45.7%` (`digits` decimals); null (absent) → `—`. */
export function formatPercent(share: number | null, digits = 1): string {
  if (share === null || !Number.isFinite(share)) return DASH;
  return `${(share * 100).toFixed(digits)}%`;
}

/**
 * A share with the precision it needs: `0` → `0%`, `0.00007` → `<0.01%`,
 * `0.0042` → `0.42%`, `0.4567` → `45.7%`.
 */
export function formatShare(share: number): string {
  if (!Number.isFinite(share)) return DASH;
  if (share === 0) return '0%';
  if (Math.abs(share) < 0.0001) return share > 0 ? '<0.01%' : '>-0.01%';
  return formatPercent(share, Math.abs(share) < 0.01 ? 2 : 1);
}

/** An amount to the cent, never compacted: `244092.5` → `244,092.50` (a warning's figure, which a user checks against the file). */
export function formatAmount(value: number): string {
  if (!Number.isFinite(value)) return DASH;
  return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/**
 * Money, compact when large: `1234.5` → `1,234.50`, `2345678` → `2.35M`;
 * the currency (a code or a symbol) is prefixed when given: `USD 1,234.50`, `£1,234.50`;
 * null (no order values) → `—`.
 */
export function formatMoney(value: number | null, currency?: string): string {
  if (value === null || !Number.isFinite(value)) return DASH;
  const magnitude = Math.abs(value);
  let text: string;
  if (magnitude >= 1e9) text = `${(value / 1e9).toFixed(2)}B`;
  else if (magnitude >= 1e6) text = `${(value / 1e6).toFixed(2)}M`;
  else if (magnitude >= 1e4) text = Math.round(value).toLocaleString('en-US');
  else text = formatAmount(value);
  if (!currency) return text;
  return currency.length === 1 ? (value < 0 ? `-${currency}${text.slice(1)}` : `${currency}${text}`) : `${currency} ${text}`;
}

/** Short axis-style numbers: `1500` → `1.5k`, `2500000` → `2.5M`, `0.25` → `0.25`. */
export function formatCompact(value: number): string {
  if (!Number.isFinite(value)) return DASH;
  const magnitude = Math.abs(value);
  const trim = (n: number) => String(Number(n.toFixed(1)));
  if (magnitude >= 1e9) return `${trim(value / 1e9)}B`;
  if (magnitude >= 1e6) return `${trim(value / 1e6)}M`;
  if (magnitude >= 1e3) return `${trim(value / 1e3)}k`;
  if (magnitude >= 1 || magnitude === 0) return trim(value);
  return String(Number(value.toPrecision(2)));
}

/** Round for snapshots and chart data: `roundTo(1.23456, 3)` → `1.235`; non-finite values pass through. */
export function roundTo(value: number, digits: number): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
