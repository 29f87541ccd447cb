import type { Warehouse } from '../engine/warehouse.js';
import { insideCallersTransaction } from './row-position.js';
import { escapeRegExp } from '../core/escape-regexp.js';
import { sniffedChar } from './stage-source.js';

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

/** The part of a staged source `strayQuoteWarning` reads. */
interface StagedReader {
  /** `read_csv(<file>, <arguments>)` for a delimited file */
  readonly relation: string;
  readonly delimiter: string | null;
}

/**
 * The warning for a file that quotes its fields (`quotesFields`) but is read without quotes: the sniffer, given the
 * delimiter, the encoding and the file the readers read, chooses no quote, as it does when a quote in its sample never
 * closes. Then quoted values keep their marks and a delimiter inside quotes splits its row (quarantined as malformed);
 * said, with the line of the quote that does not close when the sampled head shows it. Null otherwise (a file read with
 * quotes, whatever its values hold: `"""Deluxe"" mug"` is read as `"Deluxe" mug`).
 */
export async function strayQuoteWarning(warehouse: Warehouse, sampleLines: readonly string[], staged: StagedReader): Promise<string | null> {
  if (staged.delimiter === null || staged.delimiter === 'whitespace' || !quotesFields(sampleLines, staged.delimiter)) return null;
  const file = /^read_csv\(('(?:[^']|'')*')/.exec(staged.relation)?.[1];
  if (file === undefined) return null;
  // the readers' arguments after the file (a file name may hold "encoding = …" itself)
  const rest = staged.relation.slice('read_csv('.length + file.length);
  // given the quote the sniffer chose (the readers were): settled without a statement
  if (/\bquote = ''[,)]/.test(rest)) return strayQuoteWords(sampleLines, staged.delimiter);
  if (/\bquote = '/.test(rest)) return null;
  // else the readers sniffed it themselves: asked again with what they read with, lines it cannot read passed over, as the
  // readers pass them (without, the sniffer fails on the very line). A warning only: a sniff that fails is none, and
  // as a failed statement would abort a transaction the caller holds open, none is tried there
  if (insideCallersTransaction(warehouse)) return null;
  const d = warehouse.dialect;
  const argument = (name: string) => new RegExp(`\\b${name} = ('[^']*'|true|false|\\d+)`).exec(rest)?.[0] ?? [];
  const reading = [file, `delim = ${d.literal(staged.delimiter)}`, ...['encoding', 'compression', 'header', 'max_line_size'].flatMap(argument), 'ignore_errors = true'];
  const sniffed = await warehouse.query(`SELECT Quote AS quote FROM sniff_csv(${reading.join(', ')})`).then(([row]) => row, () => undefined);
  return sniffed !== undefined && sniffedChar(sniffed.quote) === '' ? strayQuoteWords(sampleLines, staged.delimiter) : null;
}

/** The warning's words, with the line of the quote that does not close when the sampled head shows it. */
function strayQuoteWords(sampleLines: readonly string[], delimiter: string): string {
  const line = unclosedQuoteLine(sampleLines, delimiter);
  return `the file quotes its fields ("…"), but ${line === undefined ? 'a quote near its start never closes' : `the quote opened on line ${line} never closes`}, so the file was read without quotes: quoted values keep their quote marks and a row with the delimiter inside quotes is split (quarantined as malformed_row); correct that line (close or remove the quote) and ingest the file again`;
}
