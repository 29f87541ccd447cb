/**
 * A number as `toLocaleString('en-US')` writes it (`1234567` → `1,234,567`), without Intl for whole numbers: the first
 * Intl call of a process loads ICU's locale data, ~25 ms of CPU (and more waiting for the disk) that a CLI ingest paid
 * only to print its report's counts. Other numbers (fractions, -0, beyond 2^53) go to `toLocaleString`.
 *
 * Example: `groupThousands(-1234)` → `'-1,234'`
 */
export function groupThousands(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
