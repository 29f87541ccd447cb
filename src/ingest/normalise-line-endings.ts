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

/**
 * Stream `path` (gunzipped when `gzip`) into a temporary copy with every CRLF
 * turned into LF, so the engine reads it with one line ending. Lines keep
 * their numbers and content (a lone CR inside a line is kept). The copy
 * costs one pass over the file and its size on disk; call `remove` after use.
 *
 * Example: `const copy = await normaliseLineEndings('orders.csv', false)` →
 * `copy.path` is `/tmp/clvkit-lines-…/orders.csv` with LF endings only.
 */
export async function normaliseLineEndings(path: string, gzip: boolean): Promise<NormalisedCopy> {
  const dir = mkdtempSync(join(tmpdir(), 'clvkit-lines-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const copy = join(dir, 'source.csv');
  try {
    const stages = gzip ? [createReadStream(path), createGunzip(), new CrlfToLf(), createWriteStream(copy)] : [createReadStream(path), new CrlfToLf(), createWriteStream(copy)];
    await pipeline(stages);
  } catch (error) {
    remove();
    throw error;
  }
  return { path: copy, remove };
}
