import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { makeFolders } from '../../core/make-folders.js';
import type { Keyring } from '../../privacy/keys/keyring.js';
import { lockWriteAheadLogForServer, unlockWriteAheadLog } from './wal-lock.js';
import { segmentName, segmentNumbers, settleLeftovers } from './wal-files.js';
import { encodeWalRecord, readWalRecords, type WalBatch } from './wal-records.js';

export type { WalBatch } from './wal-records.js';

export { writeAheadLogFolder } from './wal-folder.js';

export interface WriteAheadLogOptions {
  /** the warehouse's keyring: the bodies are encrypted under its root key (wal-records.ts) */
  readonly keyring: Keyring;
  /** start a new segment when the current one is larger than this (default 64 MiB) */
  readonly segmentBytes?: number;
}

/**
 * The write-ahead log of the ingestion endpoint: batches are appended to a
 * segment file and `fdatasync`ed before the request is acknowledged; the
 * appends of concurrent requests share one write and one sync (group commit).
 * A record is a JSON header line (id, kind, idempotency key, sizes, SHA-256
 * of the body) then the body, encrypted, and a newline (wal-records.ts); a
 * record torn by a crash (short, or its hash wrong) ends the segment's
 * readable part — it was never acknowledged, since the sync had not
 * returned; one that fails those checks with a whole record after it is no
 * tear (a crash tears only the last) and the log is refused. Segments whose batches are all applied are deleted (`release`),
 * and the current one at `close` when all of its are. The log is held
 * (wal-lock.ts) from `open` to `close`.
 */
export class WriteAheadLog {
  #handle: FileHandle | null = null;
  #segment = 0;
  #segmentSize = 0;
  #queue: { buffer: Buffer; resolve: () => void; reject: (error: unknown) => void }[] = [];
  #writing: Promise<void> | null = null;
  /** batch ids per segment, to delete a segment once all are applied */
  readonly #segmentBatches = new Map<number, Set<string>>();
  readonly #segmentBytes: number;
  readonly #keyring: Keyring;

  private constructor(
    readonly dir: string,
    options: WriteAheadLogOptions,
  ) {
    this.#segmentBytes = options.segmentBytes ?? 64 << 20;
    this.#keyring = options.keyring;
  }

  /** Opens (creating) the log folder and holds it; returns the log and every batch its segments hold, in order. */
  static async open(dir: string, options: WriteAheadLogOptions): Promise<{ log: WriteAheadLog; batches: WalBatch[]; tornSegments: number }> {
    // the bodies are encrypted, but a group being applied is written in clear to apply/ for the ingest to read (and
    // failed/ may hold an early build's set-aside batch in clear): the folder is the owner's only, its files too
    makeFolders(dir, { mode: 0o700 });
    chmodSync(dir, 0o700);
    lockWriteAheadLogForServer(dir);
    try {
      return await WriteAheadLog.#read(dir, options);
    } catch (error) {
      unlockWriteAheadLog(dir);
      throw error;
    }
  }

  static async #read(dir: string, options: WriteAheadLogOptions): Promise<{ log: WriteAheadLog; batches: WalBatch[]; tornSegments: number }> {
    const log = new WriteAheadLog(dir, options);
    // what a crash mid-replacement left beside a file (wal-files.ts): deleted when superseded, else read as the log
    settleLeftovers(dir, options.keyring);
    const segments = segmentNumbers(dir);
    const batches: WalBatch[] = [];
    let tornSegments = 0;
    for (const n of segments) {
      const { batches: read, torn } = readWalRecords(readFileSync(join(dir, segmentName(n))), options.keyring, join(dir, segmentName(n)));
      if (torn) tornSegments++;
      log.#segmentBatches.set(n, new Set(read.map((b) => b.id)));
      batches.push(...read);
    }
    // never append after a possibly torn tail: always a fresh segment
    log.#segment = (segments.at(-1) ?? 0) + 1;
    log.#handle = await open(join(dir, segmentName(log.#segment)), 'a', 0o600);
    log.#segmentBatches.set(log.#segment, new Set());
    return { log, batches, tornSegments };
  }

  /** Appends a batch and resolves once it is on disk (written and fdatasync'ed). */
  append(batch: WalBatch): Promise<void> {
    const buffer = encodeWalRecord(batch, this.#keyring);
    return new Promise((resolve, reject) => {
      this.#queue.push({ buffer, resolve, reject });
      this.#segmentBatches.get(this.#segment)?.add(batch.id);
      this.#writing ??= this.#drain();
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const group = this.#queue;
        this.#queue = [];
        try {
          if (!this.#handle) throw new Error('the write-ahead log is closed');
          const buffer = Buffer.concat(group.map((g) => g.buffer));
          await this.#handle.write(buffer);
          await this.#handle.datasync();
          this.#segmentSize += buffer.length;
          for (const g of group) g.resolve();
        } catch (error) {
          for (const g of group) g.reject(error);
        }
        if (this.#segmentSize > this.#segmentBytes && this.#handle) await this.#rotate();
      }
    } finally {
      this.#writing = null;
    }
  }

  async #rotate(): Promise<void> {
    await this.#handle!.close();
    this.#segment++;
    this.#segmentSize = 0;
    this.#segmentBatches.set(this.#segment, new Set());
    this.#handle = await open(join(this.dir, segmentName(this.#segment)), 'a', 0o600);
  }

  /** Marks batches applied; deletes the segments (other than the current one) whose batches are all applied. */
  release(appliedIds: Iterable<string>): void {
    const applied = new Set(appliedIds);
    for (const [n, ids] of this.#segmentBatches) {
      for (const id of applied) ids.delete(id);
      if (ids.size === 0 && n !== this.#segment) {
        rmSync(join(this.dir, segmentName(n)), { force: true });
        this.#segmentBatches.delete(n);
      }
    }
  }

  /** Waits for pending appends, then closes the current segment (deleted when all its batches are applied) and lets the log go. */
  async close(): Promise<void> {
    while (this.#writing) await this.#writing;
    if (!this.#handle) return;
    await this.#handle.close();
    this.#handle = null;
    // a clean stop applied everything acknowledged (IngestQueue.close): no copy of the batches is left behind
    if (this.#segmentBatches.get(this.#segment)?.size === 0) rmSync(join(this.dir, segmentName(this.#segment)), { force: true });
    unlockWriteAheadLog(this.dir);
  }
}
