/** The delimiters a delimited file is tried with when nothing else decides. */
export const DELIMITER_CANDIDATES = [',', ';', '\t', '|'] as const;

/**
 * The candidate delimiter that occurs most often in `line` (the first of the
 * list on a tie), or undefined when none occurs.
 *
 * Example: `commonestDelimiter('a;b;c,d')` → ';'
 */
export function commonestDelimiter(line: string): string | undefined {
  let best: string | undefined;
  let most = 0;
  for (const c of DELIMITER_CANDIDATES) {
    const n = line.split(c).length - 1;
    if (n > most) [best, most] = [c, n];
  }
  return best;
}
