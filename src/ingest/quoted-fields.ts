import { escapeRegExp } from '../core/escape-regexp.js';
import type { StagedSource } from './stage-tables.js';

/**
 * Whether a delimited file quotes its fields with double quotes (RFC 4180): some sampled line holds a whole field
 * between double quotes (doubled quotes inside), between delimiters or the line's ends.
 *
 * DuckDB's sniffer drops the double quote as soon as one line of its sample cannot be read with it (one stray `"` that
 * opens a field and never closes), and the whole file is then read without quotes: every quoted delimiter splits its
 * row (quarantined as malformed) and every quoted value keeps its quote marks (`strayQuoteWarning` says so).
 *
 * Example: `quotesFields(['id,note', 'a,"x, y"', 'b,"open'], ',')` → true; `quotesFields(['id,note', 'b,it"s'], ',')` → false
 */
export function quotesFields(lines: readonly string[], delimiter: string): boolean {
  const d = escapeRegExp(delimiter);
  const field = new RegExp(`(?:^|${d})"(?:[^"]|"")*"(?=${d}|\\s*$)`);
  return lines.some((line) => field.test(line));
}

/**
 * The line (1-based, of `lines`) where a double-quoted field opens that no later line of `lines` closes, reading them
 * as RFC 4180 does (a quote opens a field only at its start; `""` inside is a quote); undefined when every one closes.
 *
 * Example: `unclosedQuoteLine(['id,note', 'a,"x', 'y"', 'b,"open', 'c,d'], ',')` → 4
 */
export function unclosedQuoteLine(lines: readonly string[], delimiter: string): number | undefined {
  let open: number | undefined;
  lines.forEach((line, index) => {
    for (let i = 0; i < line.length; i++) {
      if (open === undefined) {
        if (line[i] === '"' && (i === 0 || line.startsWith(delimiter, i - delimiter.length))) open = index + 1;
      } else if (line[i] === '"') {
        if (line[i + 1] === '"') i++;
        else open = undefined;
      }
    }
  });
  return open;
}

/**
 * The warning for a file that quotes its fields (`quotesFields`) but is read without quotes (its readers' quote,
 * `StagedSource.readerQuote`, is none), as the sniffer chooses when a quote in its sample never closes. Then quoted values
 * keep their marks and a delimiter inside quotes splits its row (quarantined as malformed); said, with the line of the
 * quote that does not close when the sampled head shows it. Null otherwise (a file read with quotes, whatever its values
 * hold: `"""Deluxe"" mug"` is read as `"Deluxe" mug`; or whose quote is not known: a warning only).
 */
export async function strayQuoteWarning(sampleLines: readonly string[], staged: Pick<StagedSource, 'delimiter' | 'readerQuote'>): Promise<string | null> {
  if (staged.delimiter === null || staged.delimiter === 'whitespace' || staged.readerQuote === undefined || !quotesFields(sampleLines, staged.delimiter)) return null;
  return (await staged.readerQuote()) === '' ? strayQuoteWords(sampleLines, staged.delimiter) : null;
}

/** The warning's words, with the line of the quote that does not close when the sampled head shows it. */
function strayQuoteWords(sampleLines: readonly string[], delimiter: string): string {
  const line = unclosedQuoteLine(sampleLines, delimiter);
  return `the file quotes its fields ("…"), but ${line === undefined ? 'a quote near its start never closes' : `the quote opened on line ${line} never closes`}, so the file was read without quotes: quoted values keep their quote marks and a row with the delimiter inside quotes is split (quarantined as malformed_row); correct that line (close or remove the quote) and ingest the file again`;
}
