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

/** A header cell: a name (a letter or _ first; letters, digits, blanks and _ . - ( ) after), quoted or not. */
const HEADER_NAME = /^\s*"?[\p{L}_][\p{L}\p{N} _.()-]*"?\s*$/u;

/**
 * The delimiter of a file the reader does not detect (UNDETECTED_DELIMITERS), or undefined: its first non-blank line
 * holds none of DELIMITER_CANDIDATES and splits on the character into 2 or more names (HEADER_NAME), and each line
 * below (up to 20; the last sample line left out when there are more, it may be cut) splits into as many fields.
 * A one-column file whose values hold the character (a timestamp's ':') has no header of names split by it, or
 * lines that disagree: left alone.
 *
 * Example: `undetectedHeaderDelimiter(['customer_id:date:amount', '1:2024-01-01:10'])` → ':'
 */
export function undetectedHeaderDelimiter(lines: readonly string[]): string | undefined {
  const filled = lines.filter((line) => line.trim() !== '');
  const [first, ...rest] = filled;
  if (first === undefined || commonestDelimiter(first) !== undefined) return undefined;
  const below = (rest.length > 1 && lines.length >= 200 ? rest.slice(0, -1) : rest).slice(0, 20);
  for (const c of UNDETECTED_DELIMITERS) {
    const fields = first.split(c);
    if (fields.length < 2 || !fields.every((f) => HEADER_NAME.test(f))) continue;
    if (below.every((line) => line.split(c).length === fields.length)) return c;
  }
  return undefined;
}
