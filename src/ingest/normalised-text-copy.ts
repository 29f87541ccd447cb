import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

/**
 * True when `text` ends some lines in CRLF and others in a bare LF (a file
 * assembled from exports of two systems). The engine's CSV reader accepts
 * either ending throughout, but not both in one file.
 */
export function hasMixedLineEndings(text: string): boolean {
  let crlf = false;
  let lf = false;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf = true;
    else lf = true;
    if (crlf && lf) return true;
  }
  return false;
}

/** CRLF → LF over a byte stream, carrying a CR that ends one chunk into the next. */
class CrlfToLf extends Transform {
  private pendingCr = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const input = this.pendingCr ? Buffer.concat([Buffer.from([13]), chunk]) : chunk;
    this.pendingCr = input.length > 0 && input[input.length - 1] === 13;
    const end = this.pendingCr ? input.length - 1 : input.length;
    const out = Buffer.allocUnsafe(end);
    let n = 0;
    for (let i = 0; i < end; i++) {
      if (input[i] === 13 && i + 1 < end && input[i + 1] === 10) continue;
      out[n++] = input[i]!;
    }
    done(null, out.subarray(0, n));
  }

  override _flush(done: TransformCallback): void {
    done(null, this.pendingCr ? Buffer.from([13]) : undefined);
  }
}

/** A normalised copy of a text file and how to remove it. */
export interface NormalisedCopy {
  readonly path: string;
  readonly remove: () => void;
}

/** The characters Windows-1252 writes as 0x80–0x9F (WHATWG's table: its five undefined bytes as the C1 controls). */
const WINDOWS_1252_C1 = '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

/**
 * Windows-1252 text as a string. Not TextDecoder('windows-1252'): Node 20's reads 0x80–0x9F as C1 controls, as
 * Latin-1 does. Every other byte is the character of its code (ASCII, and Latin-1 from 0xA0).
 *
 * Example: `decodeWindows1252(Buffer.from([0x93, 0x41, 0x94, 0x80]))` → `'“A”€'`
 */
export function decodeWindows1252(bytes: Buffer): string {
  return bytes.toString('latin1').replace(/[\x80-\x9F]/g, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80]!);
}

/**
 * Windows-1252 → UTF-8 over a byte stream (one byte is one character: each chunk decodes on its own). The engine's
 * Latin-1 reader refuses the bytes 0x80–0x9F, where Windows-1252 writes € ‚ „ … ‘ ’ “ ” – — ™.
 */
class Windows1252ToUtf8 extends Transform {
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    done(null, Buffer.from(decodeWindows1252(chunk), 'utf8'));
  }
}

/**
 * Stream `path` (gunzipped when `gzip`) into a temporary plain-text copy with
 * every CRLF turned into LF, so the engine reads it with one line ending, and,
 * with `fromWindows1252`, its text transcoded from Windows-1252 into UTF-8.
 * Lines keep their numbers and content (a lone CR inside a line is kept). The
 * copy costs one pass over the file and its size on disk; call `remove` after use.
 *
 * Example: `const copy = await normalisedTextCopy('orders.csv', false)` →
 * `copy.path` is `/tmp/clvkit-lines-…/source.csv` with LF endings only.
 */
export async function normalisedTextCopy(path: string, gzip: boolean, fromWindows1252 = false): Promise<NormalisedCopy> {
  const dir = mkdtempSync(join(tmpdir(), 'clvkit-lines-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const copy = join(dir, 'source.csv');
  try {
    await pipeline([createReadStream(path), ...(gzip ? [createGunzip()] : []), ...(fromWindows1252 ? [new Windows1252ToUtf8()] : []), new CrlfToLf(), createWriteStream(copy)]);
  } catch (error) {
    remove();
    throw error;
  }
  return { path: copy, remove };
}
