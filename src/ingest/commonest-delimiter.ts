/** The delimiters a delimited file is tried with when nothing else decides. */
export const DELIMITER_CANDIDATES = [',', ';', '\t', '|'] as const;

/**
 * Delimiters met in exports that the reader does not detect (DuckDB's sniffer tries only , ; | and tab): never
 * chosen on their own (a one-column file may hold them in its values), only named in the hint of a header read as
 * one column.
 */
export const UNDETECTED_DELIMITERS = [':', '#', '~', '^'] as const;

/**
 * The candidate delimiter that occurs most often in `line` (the first of the
 * list on a tie), or undefined when none occurs.
 *
 * Example: `commonestDelimiter('a;b;c,d')` → ';'
 */
export function commonestDelimiter(line: string, candidates: readonly string[] = DELIMITER_CANDIDATES): string | undefined {
  let best: string | undefined;
  let most = 0;
  for (const c of candidates) {
    const n = line.split(c).length - 1;
    if (n > most) [best, most] = [c, n];
  }
  return best;
}
