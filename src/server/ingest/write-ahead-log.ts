import { createHash } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { makeFolders } from '../../core/make-folders.js';

/** One acknowledged batch as the log holds it. */
export interface WalBatch {
  readonly id: string;
  readonly kind: 'events' | 'orders';
  readonly idempotencyKey: string | null;
  readonly receivedAt: string;
  /** who sent it (token or user name) and as which role: the audit entry of its ingest */
  readonly actor: string;
  readonly role: string;
  /** normalised NDJSON, one record per line */
  readonly body: string;
  readonly records: number;
  /** the fields some record of the batch has (and the required ones) */
  readonly fields: readonly string[];
}

interface Header {
  readonly id: string;
  readonly kind: WalBatch['kind'];
  readonly key: string | null;
  readonly at: string;
  readonly actor: string;
  readonly role: string;
  readonly records: number;
  readonly fields: readonly string[];
  readonly bytes: number;
  readonly sha: string;
}

const SEGMENT = /^segment-(\d{8})\.wal$/;
const segmentName = (n: number) => `segment-${String(n).padStart(8, '0')}.wal`;
const shaOf = (body: Buffer) => createHash('sha256').update(body).digest('hex').slice(0, 32);

export interface WriteAheadLogOptions {
  /** start a new segment when the current one is larger than this (default 64 MiB) */
  readonly segmentBytes?: number;
}

/**
 * The write-ahead log of the ingestion endpoint: batches are appended to a
 * segment file and `fdatasync`ed before the request is acknowledged; the
 * appends of concurrent requests share one write and one sync (group commit).
 * A record is a JSON header line (id, kind, idempotency key, sizes, SHA-256
 * of the body) then the body and a newline; a record torn by a crash (short,
 * or its hash wrong) ends the segment's readable part — it was never
 * acknowledged, since the sync had not returned. Segments whose batches are
 * all applied are deleted (`release`).
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

  private constructor(
    readonly dir: string,
    options: WriteAheadLogOptions,
  ) {
    this.#segmentBytes = options.segmentBytes ?? 64 << 20;
  }

  /** Opens (creating) the log folder; returns the log and every batch its segments hold, in order. */
  static async open(dir: string, options: WriteAheadLogOptions = {}): Promise<{ log: WriteAheadLog; batches: WalBatch[]; tornSegments: number }> {
    // the bodies hold customer ids and fields as sent, in clear: the folder (apply/ and failed/ are inside it) and the
    // segments are the owner's only, as a customers.csv with raw personal data is
    makeFolders(dir, { mode: 0o700 });
    chmodSync(dir, 0o700);
    const log = new WriteAheadLog(dir, options);
    const segments = readdirSync(dir)
      .map((name) => SEGMENT.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    const batches: WalBatch[] = [];
    let tornSegments = 0;
    for (const n of segments) {
      const { batches: read, torn } = readSegment(readFileSync(join(dir, segmentName(n))));
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
    const body = Buffer.from(batch.body, 'utf8');
    const header: Header = { id: batch.id, kind: batch.kind, key: batch.idempotencyKey, at: batch.receivedAt, actor: batch.actor, role: batch.role, records: batch.records, fields: batch.fields, bytes: body.length, sha: shaOf(body) };
    const buffer = Buffer.concat([Buffer.from(JSON.stringify(header) + '\n', 'utf8'), body, Buffer.from('\n')]);
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

  /** Waits for pending appends, then closes the current segment. */
  async close(): Promise<void> {
    while (this.#writing) await this.#writing;
    await this.#handle?.close();
    this.#handle = null;
  }
}

/** The batches of one segment up to its first torn or corrupt record. */
function readSegment(data: Buffer): { batches: WalBatch[]; torn: boolean } {
  const batches: WalBatch[] = [];
  let at = 0;
  while (at < data.length) {
    const newline = data.indexOf(0x0a, at);
    if (newline < 0) return { batches, torn: true };
    let header: Header;
    try {
      header = JSON.parse(data.toString('utf8', at, newline)) as Header;
    } catch {
      return { batches, torn: true };
    }
    const start = newline + 1;
    const end = start + header.bytes;
    if (end + 1 > data.length || data[end] !== 0x0a) return { batches, torn: true };
    const body = data.subarray(start, end);
    if (shaOf(body) !== header.sha) return { batches, torn: true };
    batches.push({ id: header.id, kind: header.kind, idempotencyKey: header.key, receivedAt: header.at, actor: header.actor, role: header.role, body: body.toString('utf8'), records: header.records, fields: header.fields });
    at = end + 1;
  }
  return { batches, torn: false };
}
