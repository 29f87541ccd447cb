import type { Warehouse } from '../engine/warehouse.js';

/**
 * Whether a delimited file quotes its fields with double quotes (RFC 4180): some sampled line holds a whole field
 * between double quotes (doubled quotes inside), between delimiters or the line's ends.
 *
 * DuckDB's sniffer drops the double quote as soon as one line of its sample cannot be read with it (one stray `"` that
 * opens a field and never closes), and the whole file is then read without quotes: every quoted delimiter splits its
 * row (quarantined as malformed) and every quoted value keeps its quote marks. A file that quotes its fields is read
 * with the double quote all the same, so that only the lines around the stray quote are quarantined, as when it lies
 * past the sniffer's sample.
 *
 * Example: `quotesFields(['id,note', 'a,"x, y"', 'b,"open'], ',')` → true; `quotesFields(['id,note', 'b,it"s'], ',')` → false
 */
export function quotesFields(lines: readonly string[], delimiter: string): boolean {
  const d = delimiter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const field = new RegExp(`(?:^|${d})"(?:[^"]|"")*"(?=${d}|\\s*$)`);
  return lines.some((line) => field.test(line));
}

/** A quote or escape character as `sniff_csv` names it: `(empty)` for none. */
const sniffedChar = (value: unknown): string => (value === '(empty)' || value === null || value === undefined ? '' : String(value));

/**
 * The quote and escape the readers are given: the sniffer's (`sniff_csv`'s Quote and Escape), but the double quote (and
 * doubled quotes) where it chose none and the sampled lines quote their fields (`quotesFields`).
 *
 * Example: `readerQuoting({ quote: '(empty)', escape: '(empty)' }, ['id,note', 'a,"x, y"', 'b,"open'], ',')` → `[['quote', '"'], ['escape', '"']]`
 */
export function readerQuoting(sniffed: { readonly quote?: unknown; readonly escape?: unknown }, lines: readonly string[], delimiter: string): [string, string][] {
  const [quote, escape] = sniffedChar(sniffed.quote) === '' && quotesFields(lines, delimiter) ? ['"', '"'] : [sniffedChar(sniffed.quote), sniffedChar(sniffed.escape)];
  return [
    ['quote', quote],
    ['escape', escape],
  ];
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
interface StagedColumns {
  readonly columns: readonly string[];
  readonly delimiter: string | null;
  readonly sampleFor: (rows: number) => Promise<string>;
}

/**
 * The warning for a file that quotes its fields (`quotesFields`) but was read without quotes, as DuckDB's sniffer
 * decides when a quote in its sample never closes: a value of its first rows still starts with a quote mark.
 * Then quoted values keep their marks and a delimiter inside quotes splits its row (quarantined as malformed); said,
 * with the line of the quote that does not close when the sampled head shows it. Null otherwise.
 */
export async function strayQuoteWarning(warehouse: Warehouse, sampleLines: readonly string[], staged: StagedColumns): Promise<string | null> {
  if (staged.delimiter === null || staged.delimiter === 'whitespace' || staged.columns.length === 0 || !quotesFields(sampleLines, staged.delimiter)) return null;
  const d = warehouse.dialect;
  const marked = staged.columns.map((c) => `${d.identifier(c)} LIKE '"%'`).join(' OR ');
  const [row] = await warehouse.query(`SELECT count(*) AS n FROM (SELECT * FROM ${await staged.sampleFor(1000)} LIMIT 1000) head WHERE ${marked}`);
  if (Number(row?.n ?? 0) === 0) return null;
  const line = unclosedQuoteLine(sampleLines, staged.delimiter);
  return `the file quotes its fields ("…"), but ${line === undefined ? 'a quote near its start never closes' : `the quote opened on line ${line} never closes`}, so the file was read without quotes: quoted values keep their quote marks and a row with the delimiter inside quotes is split (quarantined as malformed_row); correct that line (close or remove the quote) and ingest the file again`;
}
