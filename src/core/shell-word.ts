/**
 * A word as a shell reads it, for a hint that suggests a command: as it is when it needs no quotes, else in single
 * quotes (a quote inside closed, escaped and reopened).
 *
 * Example: `shellWord('orders.csv')` → `orders.csv`; `shellWord('phone=Phone Number')` → `'phone=Phone Number'`
 */
export function shellWord(word: string): string {
  return /^[\w.,:/+@=-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
