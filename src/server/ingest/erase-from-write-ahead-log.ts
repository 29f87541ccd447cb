/**
 * Erasure reaches the ingest write-ahead log of a server on the warehouse (`<db>.ingest-wal/`): the batches sent to
 * POST /api/events and /api/orders are kept there, encrypted, until they are applied (and a batch the ingest could not
 * take in `failed/`). An erased customer must not stay in them — nor come back from a batch acknowledged before a
 * crash and applied at the next start. Every record of every segment and of failed/ loses the lines whose customer id
 * gives an erased token (the ids are as sent: tokenised here as the ingest tokenises them); a record that lost lines
 * counts them (`erased`: the batch is recorded applied with them as quarantined, its received count unchanged, each a
 * quarantine row holding nothing of the line: erased-before-load.ts). A file that
 * held such lines is rewritten beside itself, synced and renamed over it: a crash leaves the old file or the new one.
 * A torn tail (never acknowledged) is not copied. A group file left in apply/ by a server killed while applying it is
 * deleted (its batches are in the log). A log held by a running server (wal-lock.ts) is left alone and named. A batch
 * set aside by a clvkit before the log was encrypted (`failed/<batch>.ndjson`, its body in clear) loses the lines too.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFileDurably } from '../../core/replace-file.js';
import { statOrUndefined } from '../../core/errors/file-system-error.js';
import type { Keyring } from '../../privacy/keys/keyring.js';
import { createPseudonymiser } from '../../privacy/tokens/pseudonymise.js';
import { tryLockWriteAheadLog, unlockWriteAheadLog } from './wal-lock.js';
import { encodeWalRecord, readWalRecords, type WalBatch } from './wal-records.js';
import { bodySha256 } from './batch-receipts.js';
import { segmentFiles, settleLeftovers } from './wal-files.js';
import { setAsideFolder } from './set-aside-copies.js';
import { writeAheadLogFolder } from './wal-folder.js';

export interface WriteAheadLogErasure {
  /** the log folder searched, null when the warehouse has none */
  readonly folder: string | null;
  /** batches searched (segments and failed/) */
  readonly batchesSearched: number;
  /** batches that held an erased customer's lines and were rewritten without them */
  readonly batchesRewritten: number;
  /** lines removed */
  readonly lines: number;
  /** the live process holding the log (a server on it): nothing searched; 0 a lock without a process id; null when the log was searched */
  readonly heldBy: number | null;
}

/** Removes the lines of the customers of `tokens` from the write-ahead log beside the warehouse `db` (see the file header). */
export async function eraseFromWriteAheadLog(db: string, tokens: readonly string[], keyring: Keyring): Promise<WriteAheadLogErasure> {
  const log = await openWriteAheadLogForErasure(db, keyring);
  try {
    return log.erase(tokens);
  } finally {
    log.release();
  }
}

/** The log beside a warehouse, locked and read whole for an erasure (`openWriteAheadLogForErasure`). */
export interface WriteAheadLogForErasure {
  /** Removes the lines of the customers of `tokens` (once); what was searched and rewritten. */
  erase(tokens: readonly string[]): WriteAheadLogErasure;
  /** Lets go of the log's lock (every call after the first does nothing). */
  release(): void;
}

/**
 * The write-ahead log beside the warehouse `db`, locked for an erasure and read whole — every record decrypted and
 * authenticated — before the caller erases anything: a record that does not authenticate throws here (a `KeyError`
 * naming the file, the lock let go), so that an erasure is refused before the warehouse's rows are deleted instead of
 * failing half-way, the rows deleted and the log unreached (a second erase then finds no such customer). A log held
 * by a running server, or none: `erase` answers that, searching nothing.
 */
export async function openWriteAheadLogForErasure(db: string, keyring: Keyring): Promise<WriteAheadLogForErasure> {
  const folder = writeAheadLogFolder(db);
  if (statOrUndefined(folder)?.isDirectory() !== true) return answering({ folder: null, batchesSearched: 0, batchesRewritten: 0, lines: 0, heldBy: null });
  const heldBy = tryLockWriteAheadLog(folder, { forErasure: true });
  if (heldBy !== null) return answering({ folder, batchesSearched: 0, batchesRewritten: 0, lines: 0, heldBy });
  let held = true;
  const release = () => {
    if (held) unlockWriteAheadLog(folder);
    held = false;
  };
  try {
    // a crash mid-replacement's scratch files (wal-files.ts): deleted when superseded, else put where they are searched below
    settleLeftovers(folder, keyring);
    rmSync(join(folder, 'apply'), { recursive: true, force: true });
    const failed = setAsideFolder(folder);
    const records = [
      ...segmentFiles(folder).map((name) => join(folder, name)),
      ...(statOrUndefined(failed)?.isDirectory() ? readdirSync(failed).filter((name) => name.endsWith('.wal')).map((name) => join(failed, name)) : []),
    ].map((file) => ({ file, batches: readWalRecords(readFileSync(file), keyring, file).batches }));
    // a batch set aside before the log was encrypted (session 35): its body alone, in clear, as failed/<batch>.ndjson
    const clear = (statOrUndefined(failed)?.isDirectory() ? readdirSync(failed).filter((n) => n.endsWith('.ndjson')) : []).map((name) => {
      const file = join(failed, name);
      return { file, lines: readFileSync(file, 'utf8').split('\n').filter((line) => line !== '') };
    });
    return {
      release,
      erase(tokens) {
        const isErased = erasedLine(tokens, keyring);
        let batchesSearched = 0, batchesRewritten = 0, lines = 0;
        for (const { file, batches } of records) {
          batchesSearched += batches.length;
          const kept = batches.map((batch) => withoutLines(batch, isErased));
          let changed = 0;
          for (let i = 0; i < batches.length; i++) {
            if (kept[i] === batches[i]) continue;
            changed++;
            lines += (kept[i]!.erased ?? 0) - (batches[i]!.erased ?? 0);
          }
          if (changed === 0) continue;
          batchesRewritten += changed;
          replaceFileDurably(file, Buffer.concat(kept.map((b) => encodeWalRecord(b, keyring))));
        }
        for (const { file, lines: body } of clear) {
          const kept = body.filter((line) => !isErased(line));
          batchesSearched++;
          if (kept.length === body.length) continue;
          batchesRewritten++;
          lines += body.length - kept.length;
          replaceFileDurably(file, Buffer.from(kept.map((line) => `${line}\n`).join(''), 'utf8'));
        }
        return { folder, batchesSearched, batchesRewritten, lines, heldBy: null };
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

/** A log not searched (none, or held by a server): its answer whatever the tokens. */
const answering = (answer: WriteAheadLogErasure): WriteAheadLogForErasure => ({ erase: () => answer, release: () => undefined });

/** Whether a line of a batch (NDJSON) is a customer's of `tokens`: its id as sent, tokenised as the ingest tokenises it. */
function erasedLine(tokens: readonly string[], keyring: Keyring): (line: string) => boolean {
  const erased = new Set(tokens);
  const pseudonymise = createPseudonymiser(keyring);
  return (line) => {
    const id = (JSON.parse(line) as { customer_id?: unknown }).customer_id;
    if (typeof id !== 'string') return false;
    try {
      return erased.has(pseudonymise(id));
    } catch {
      return false; // an empty id: no customer's (the ingest quarantines it)
    }
  };
}

/** `batch` without the lines `isErased` picks (counted in `erased`); the same object when it has none. */
function withoutLines(batch: WalBatch, isErased: (line: string) => boolean): WalBatch {
  const lines = batch.body.split('\n').filter((line) => line !== '');
  const kept = lines.filter((line) => !isErased(line));
  if (kept.length === lines.length) return batch;
  const removed = lines.length - kept.length;
  // the hash of the body as sent, for the sender's retry under its key (batch-receipts.ts): of this body unless an
  // erasure shortened it before (then the one kept then, or none when an older clvkit shortened it)
  const sent = batch.idempotencyKey === null || batch.form === 'v1' ? undefined : (batch.sentSha256 ?? (batch.erased ? undefined : bodySha256(batch.body)));
  return { ...batch, body: kept.map((line) => `${line}\n`).join(''), records: batch.records - removed, erased: (batch.erased ?? 0) + removed, ...(sent === undefined ? {} : { sentSha256: sent }) };
}
