import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { UserError } from '../core/errors/user-error.js';
import { errorMessage } from '../core/errors/error-message.js';

/**
 * Decompresses a gzip file to nowhere and throws a UserError when its stream
 * is cut short or damaged. The engine's reader stops quietly at the cut: the
 * rows before it would be ingested, the rest lost without a word. One pass of
 * zlib over the file, run before the file is read.
 */
export async function checkGzipComplete(path: string): Promise<void> {
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  try {
    await pipeline(createReadStream(path), createGunzip(), sink);
  } catch (error) {
    const reason = errorMessage(error);
    throw new UserError(`${path} is a truncated or damaged gzip file (${reason}): only part of it could be read`, 'is the file complete? download or export it again; `gzip -t FILE` checks it');
  }
}
