/**
 * The small files an action reads beside the warehouse (an opt-out list,
 * campaign responses): their text, their CSV fields, their id column. Data
 * files go through the engine's readers instead.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { UserError } from '../core/errors/user-error.js';
import { inspectSource } from '../ingest/inspect-source.js';
import { decodeWindows1252 } from '../ingest/normalised-text-copy.js';

/**
 * The fields of one CSV line (RFC 4180 quotes: `"a, b"`, `""` inside a quoted
 * field), trimmed: for the small files of ids an action reads (responses,
 * opt-outs); data files go through the engine's reader.
 *
 * Example: `splitCsvLine('a,"b, c","d ""e"""', ',')` → `['a', 'b, c', 'd "e"']`
 */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}

/** A header's names of the customer id column, the most specific first (customer_id, CustomerID, customer id; client id; id). */
const ID_HEADERS = [/^customer[ _-]?id$/i, /^client[ _-]?id$/i, /^id$/i];

/**
 * The customer id column among a header's names, the most specific name
 * first (a `customer_id` beside an `id` of the line); -1 without one.
 *
 * Example: `idColumnIndex(['id', 'CustomerID', 'date'])` → 1
 */
export function idColumnIndex(names: readonly string[]): number {
  for (const pattern of ID_HEADERS) {
    const at = names.findIndex((name) => pattern.test(name.trim()));
    if (at >= 0) return at;
  }
  return -1;
}

/**
 * The text of a small file an action reads (an opt-out list, responses):
 * decompressed when gzip, in its encoding (UTF-8, else Windows-1252), without a BOM. Refused in one line
 * when it is not text (binary, zip, Parquet, a `.gz` that is not gzip) or is
 * JSON Lines — as a data file is by `inspectSource`.
 *
 * Example: `readActionFileText('optout.txt.gz', '--opt-out', 'a list of ids', hint)` → `'C1\nC2\n'`
 */
export function readActionFileText(path: string, flag: string, what: string, hint: string): string {
  const source = inspectSource(path);
  if (source.format !== 'csv' && source.format !== 'whitespace') throw new UserError(`${flag} ${path} is ${source.format === 'jsonl' ? 'a JSON Lines file' : `a ${source.format} file`}, not ${what}`, hint);
  const bytes = readFileSync(path);
  const raw = source.gzip ? gunzipSync(bytes) : bytes;
  // not UTF-8: Windows-1252 (a superset of Latin-1's printable characters), as data files are read, so that € ‘ ’ “ ” –
  // — (0x80–0x9F) are themselves and not invisible control characters
  return (source.encoding === 'utf-8' ? raw.toString('utf8') : decodeWindows1252(raw)).replace(/^\uFEFF/, '');
}
