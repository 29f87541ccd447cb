import { closeSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { basename, extname } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { UserError } from '../core/errors/user-error.js';
import { shellPath } from '../core/shell-word.js';
import { asFileSystemError, fileSystemUserError } from '../core/errors/file-system-error.js';
import { decodeWindows1252, hasMixedLineEndings } from './normalised-text-copy.js';

export type SourceFormat = 'csv' | 'whitespace' | 'parquet' | 'jsonl' | 'xlsx';

/** What a source file is, decided from its name and its first bytes. */
export interface SourceInspection {
  readonly path: string;
  readonly format: SourceFormat;
  readonly gzip: boolean;
  readonly encoding: FileEncoding;
  /** the first non-ASCII character the sampled head writes in UTF-8 (in a head that is not UTF-8 throughout too): garbled if the file is read as Latin-1 */
  readonly utf8Character?: string;
  readonly sizeBytes: number;
  /** first text lines (decoded), for delimited and whitespace files */
  readonly sampleLines: readonly string[];
  /** some sampled lines end in CRLF and others in LF: delimited files are then read from a copy with LF only */
  readonly mixedLineEndings: boolean;
}

/**
 * How a text file is read: UTF-8 unless its bytes are not; then Latin-1, and Windows-1252 when they hold 0x80–0x9F
 * (€, curly quotes and dashes), which the engine's Latin-1 reader refuses: such a file is read from a UTF-8 copy.
 */
export type FileEncoding = 'utf-8' | 'latin-1' | 'windows-1252';

/** The encoding the engine's reader is given for a file of `encoding` (a Windows-1252 file is read from its UTF-8 copy). */
export const readerEncoding = (encoding: FileEncoding): string => (encoding === 'windows-1252' ? 'utf-8' : encoding);

/** The engine's reader's words when a file's bytes are not of the encoding it reads them in. */
const NOT_ENCODED = { 'utf-8': /not utf-8 encoded|Invalid unicode/i, 'latin-1': /not latin-1 encoded/i } as const;

/** Whether the engine's reader failed with `message` because the bytes are not `encoding` (either one it reads, when absent). */
export function notEncodedAs(message: string, encoding?: keyof typeof NOT_ENCODED): boolean {
  return encoding === undefined ? notEncodedAs(message, 'utf-8') || notEncodedAs(message, 'latin-1') : NOT_ENCODED[encoding].test(message);
}

/** The encoding to read a file in again after its reader failed with `message` in `encoding`; undefined: not an encoding failure. */
export function nextEncoding(encoding: FileEncoding, message: string): FileEncoding | undefined {
  if (encoding === 'utf-8' && notEncodedAs(message, 'utf-8')) return 'latin-1';
  return encoding === 'latin-1' && notEncodedAs(message, 'latin-1') ? 'windows-1252' : undefined;
}

/** Bytes of a file's head read to decide its format and encoding. */
export const SAMPLE_BYTES = 256 * 1024;

function readHead(path: string, bytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const n = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function gunzipHead(head: Buffer): Buffer {
  // A truncated gzip stream still yields its first bytes with finishFlush.
  return gunzipSync(head, { finishFlush: 2 /* Z_SYNC_FLUSH */ });
}

function isValidUtf8(bytes: Buffer): boolean {
  // The sample may end inside a multi-byte character: decoded as a stream, an unfinished last character is held back,
  // not an error (dropping the last 3 bytes instead cut a character that ended 1 or 2 bytes before the end)
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** A well-formed UTF-8 multi-byte character, in bytes read as Latin-1 ('é' is 'Ã©'): rare in Latin-1 text itself. */
const UTF8_SEQUENCE = /[\xC2-\xDF][\x80-\xBF]|[\xE0-\xEF][\x80-\xBF]{2}|[\xF0-\xF4][\x80-\xBF]{3}/;

/** The first non-ASCII character of the head written in UTF-8, valid UTF-8 throughout or not. */
function firstUtf8Character(head: Buffer, valid: boolean): string | undefined {
  if (valid) return /[^\x00-\x7F\uFEFF]/u.exec(new TextDecoder('utf-8').decode(head))?.[0];
  const sequence = UTF8_SEQUENCE.exec(head.toString('latin1'))?.[0];
  return sequence === undefined ? undefined : Buffer.from(sequence, 'latin1').toString('utf8');
}

/**
 * The warning for a file read as Latin-1 or Windows-1252 that writes text in UTF-8 too (mixed encodings; the reader
 * takes one encoding per file): its UTF-8 characters are stored as their reading in that encoding. Null when there is
 * nothing to say.
 */
export function mixedEncodingWarning(source: SourceInspection, readAs: string): string | null {
  if ((readAs !== 'latin-1' && readAs !== 'windows-1252') || source.utf8Character === undefined) return null;
  const bytes = Buffer.from(source.utf8Character, 'utf8');
  const garbled = readAs === 'latin-1' ? bytes.toString('latin1') : decodeWindows1252(bytes);
  return `the file mixes encodings: it is not UTF-8 throughout${source.encoding === 'utf-8' ? ' (a line after its first 256 KB is not)' : ''}, so it was read as ${readAs === 'latin-1' ? 'Latin-1' : 'Windows-1252'}, and its UTF-8 text is stored garbled ('${source.utf8Character}' as '${garbled}'); to keep that text right, convert the file to one encoding before ingesting it`;
}

/**
 * Whether a file's head is UTF-16 (Excel's "Unicode Text", PowerShell's default output): a byte-order mark, or text
 * whose every other byte is zero (the high byte of Latin characters) and the bytes between them are not.
 */
function looksUtf16(head: Buffer): boolean {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return true;
  const zeros = [0, 0];
  const n = Math.min(head.length, 4096) & ~1;
  for (let i = 0; i < n; i++) if (head[i] === 0) zeros[i % 2]!++;
  const half = n / 2;
  return n >= 8 && Math.max(zeros[0]!, zeros[1]!) >= 0.5 * half && Math.min(zeros[0]!, zeros[1]!) < 0.1 * half;
}

/** Share of control bytes other than tab/CR/LF/FF: text files have none. */
function controlShare(bytes: Buffer): number {
  let control = 0;
  // an index loop: the Buffer's iterator took ~3× longer (9 ms against 3.5) over the 256 KiB head, read two or three times per file ingested
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0 || (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12)) control++;
  }
  return bytes.length === 0 ? 0 : control / bytes.length;
}

/**
 * Whitespace-separated columns without a delimiter (the CDNOW layout): no
 * comma, tab, semicolon or pipe, and lines that split on runs of spaces into
 * the same number (≥ 2) of fields.
 */
export function looksWhitespaceSeparated(lines: readonly string[]): boolean {
  const body = lines.filter((line) => line.trim() !== '').slice(0, 50);
  if (body.length === 0) return false;
  if (body.some((line) => /[,;\t|]/.test(line))) return false;
  const widths = body.map((line) => line.trim().split(/\s+/).length);
  return widths[0]! >= 2 && widths.every((w) => w === widths[0]);
}

/**
 * The refusal of a file that holds no row to read — a header alone (perhaps
 * with blank lines after it), or a table or worksheet without rows — as a
 * 0-byte file is refused: one line naming the file. Thrown by the ingest
 * once the file is read, before anything is recorded (a 0-row ingest kept
 * the new warehouse and key file it made, and `analyze` went on to say
 * "ingest a transaction file first" about a file it had been given).
 *
 * Example: `noDataRowsError('orders.csv', true).message` → `orders.csv has a header but no data rows`
 */
export function noDataRowsError(path: string, hasHeader: boolean): NoDataRowsError {
  return new NoDataRowsError(`${path} ${hasHeader ? 'has a header but no data rows' : 'has no data rows'}`, 'export the data again with its rows: there is nothing in it to ingest');
}

/** The refusal of a file without data rows: alone it stops the ingest; beside other files it is a warning (ingest-files.ts). */
export class NoDataRowsError extends UserError {}

/** The ingest's warning for a file without data rows beside files with rows (`orders.csv has a header but no data rows: nothing was ingested from it`). */
export function noDataRowsWarning(error: NoDataRowsError): string {
  return `${error.message}: nothing was ingested from it`;
}

/** The refusal of an ingest of several files none of which has data rows: each named (`noDataRowsError`'s message). */
export function noFileHasDataRowsError(empty: readonly NoDataRowsError[]): NoDataRowsError {
  return new NoDataRowsError(`none of the ${empty.length} files has data rows (${empty.map((e) => e.message).join('; ')})`, empty[0]!.hint);
}

/**
 * The refusal of a file named `.gz` whose bytes are not gzip (no 1f 8b magic): the engine's reader goes by the name
 * and failed inside its reader (an internal error with its SQL, or a hint about the delimiter). Says what the file
 * is, judged from its head, and how to read it.
 *
 * Example: `notGzipError('orders.csv.gz', Buffer.from('id,date\n')).message` → `orders.csv.gz is named .gz but is not gzip-compressed (it is plain text)`
 */
function notGzipError(path: string, head: Buffer): UserError {
  const plain = path.replace(/\.gz$/i, '');
  const [what, hint] =
    head.subarray(0, 4).toString('latin1') === 'PAR1'
      ? ['a Parquet file', `rename it without .gz: mv ${path} ${/\.parquet$/i.test(plain) ? plain : `${plain}.parquet`}`]
      : head[0] === 0x50 && head[1] === 0x4b
        ? ['a zip archive', 'unzip it and pass the CSV/Parquet/JSONL/XLSX file inside']
        : controlShare(head) <= 0.01
          ? ['plain text', `rename it without .gz: mv ${path} ${plain}`]
          : ['binary content of another kind', 'decompress it with the tool that made it, or export it again; gzip -t FILE checks a gzip file'];
  return new UserError(`${path} is named .gz but is not gzip-compressed (it is ${what})`, hint);
}

/**
 * The refusal of a path that is no regular file: a pipe, a socket or a device. clvkit reads a file more than once (its
 * head, its SHA-256, the engine's passes), which a stream cannot give; its size (0) said nothing of its data.
 *
 * Example: `notAFileError('/dev/stdin', fifoStat).message` → `/dev/stdin is a pipe, not a file: clvkit reads a file more than once …`
 */
function notAFileError(path: string, stat: Stats): UserError {
  const what = stat.isFIFO() ? 'a pipe' : stat.isSocket() ? 'a socket' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : 'not a regular file';
  return new UserError(
    `${path} is ${what === 'not a regular file' ? what : `${what}, not a file`}: clvkit reads a file more than once (its layout, its hash, then its rows)`,
    'save the stream to a file first and pass that, e.g. zcat orders.csv.gz > orders.csv (a .gz file is read as it is, without zcat)',
  );
}

/**
 * Check a source path and decide how to read it. Throws a UserError with a
 * hint for a missing file, a directory, an empty or binary file.
 */
export function inspectSource(path: string): SourceInspection {
  let stat: Stats;
  let head: Buffer;
  try {
    stat = statSync(path);
    if (stat.isDirectory()) throw new UserError(`${path} is a directory, not a file`, 'pass the data file(s) inside it, e.g. ' + `${path}/*.csv`);
    // a pipe (`/dev/stdin` fed by `zcat … |`, `<(…)`, a FIFO) has size 0 whatever flows through it, and is read once
    if (!stat.isFile()) throw notAFileError(path, stat);
    if (stat.size === 0) throw new UserError(`${path} is empty (0 bytes)`, 'export the data again; the file has no rows');
    head = readHead(path, SAMPLE_BYTES);
  } catch (error) {
    // a file that is not there, that may not be read, or behind a folder that may not be entered: one line, not a stack trace
    const failure = asFileSystemError(error);
    if (failure?.code === 'ENOENT') {
      // a pattern the shell did not expand (quoted, or matching nothing): clvkit reads the names it is given
      if (/[*?[]/.test(basename(path))) throw new UserError(`no such file: ${path} (clvkit does not expand * ? [ ]: the shell does)`, `leave the pattern unquoted, e.g. clvkit ingest data/*.csv --db shop.duckdb; if it stays as typed, no file matches it`);
      throw new UserError(`no such file: ${path}`, 'check the path (relative paths start from the current folder)');
    }
    throw failure ? fileSystemUserError(failure, 'read') : error;
  }
  const extension = extname(path.replace(/\.gz$/i, '')).toLowerCase();
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  if (!gzip && /\.gz$/i.test(path)) throw notGzipError(path, head);
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') return { path, format: 'parquet', gzip: false, encoding: 'utf-8', sizeBytes: stat.size, sampleLines: [], mixedLineEndings: false };
  if (head[0] === 0x50 && head[1] === 0x4b) {
    if (extension === '.xlsx' || extension === '.xlsm') return { path, format: 'xlsx', gzip: false, encoding: 'utf-8', sizeBytes: stat.size, sampleLines: [], mixedLineEndings: false };
    throw new UserError(`${path} is a zip archive`, 'unzip it and pass the CSV/Parquet/JSONL/XLSX file inside');
  }
  if (gzip) {
    try {
      head = gunzipHead(head);
    } catch {
      throw new UserError(`${path} looks gzip-compressed but cannot be decompressed`, 'is the file complete? try `gzip -t` on it');
    }
  }
  if (head.length === 0) throw new UserError(`${path} is empty after decompression`, 'export the data again; the file has no rows');
  if (looksUtf16(head)) throw new UserError(`${path} is UTF-16 text, which clvkit does not read`, `save it as UTF-8 (in Excel: CSV UTF-8), or convert it: ${gzip ? `gunzip -c ${shellPath(path)} | iconv -f UTF-16 -t UTF-8` : `iconv -f UTF-16 -t UTF-8 ${shellPath(path)}`} > converted.csv`);
  if (controlShare(head) > 0.01) {
    throw new UserError(`${path} is not a text file (binary content)`, 'clvkit reads CSV/TSV (optionally .gz), Parquet, JSON Lines and XLSX');
  }
  const valid = isValidUtf8(head);
  const encoding = valid ? 'utf-8' : 'latin-1';
  const utf8Character = firstUtf8Character(head, valid);
  const text = new TextDecoder(encoding === 'utf-8' ? 'utf-8' : 'latin1').decode(head).replace(/^\uFEFF/, '');
  const sampleLines = text.split(/\r?\n/).slice(0, 200);
  if (sampleLines.every((line) => line.trim() === '')) throw new UserError(`${path} has no data (only blank lines)`, 'export the data again; the file has no rows');
  const firstChar = text.trimStart()[0];
  const format: SourceFormat =
    extension === '.jsonl' || extension === '.ndjson' || (extension === '.json' && firstChar === '{')
      ? 'jsonl'
      : looksWhitespaceSeparated(sampleLines.slice(0, -1).length > 0 ? sampleLines.slice(0, -1) : sampleLines)
        ? 'whitespace'
        : 'csv';
  return { path, format, gzip, encoding, ...(utf8Character === undefined ? {} : { utf8Character }), sizeBytes: stat.size, sampleLines, mixedLineEndings: hasMixedLineEndings(text) };
}
