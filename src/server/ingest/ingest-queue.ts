import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../core/errors/user-error.js';
import { makeFolders } from '../../core/make-folders.js';
import { replaceFileDurably } from '../../core/replace-file.js';
import { ingestFiles } from '../../ingest/ingest-files.js';
import { applyIngestedFile } from './apply-ingested-file.js';
import type { ServerContext } from '../server-context.js';
import type { BatchKind } from './normalise-batch.js';
import { WriteAheadLog, type WalBatch } from './write-ahead-log.js';
import { encodeWalRecord } from './wal-records.js';
import { linesLoaded, NOT_ERASED_BEFORE_LOAD, quarantineErasedBeforeLoad } from './erased-before-load.js';
import { groupIngestCommitted, heldGroupIngest } from './held-group-ingest.js';
import { recordBatches } from './record-batches.js';
import { removeSetAsideCopies, setAsideCopiesOf, setAsideFolder } from './set-aside-copies.js';
import { BatchReceipts, bodySha256, senderId, sentBodySha256, type BatchReceipt } from './batch-receipts.js';
import { unrecordedGroup, type LeftBecause, type UnrecordedGroup } from './unrecorded-group.js';

export type { UnrecordedGroup } from './unrecorded-group.js';

export interface IngestQueueOptions {
  /** the write-ahead log's folder */
  readonly walDir: string;
  /** acknowledged records not yet applied above which new batches get 503 + Retry-After (default 1,000,000) */
  readonly maxBacklogRecords?: number;
  /** records applied in one ingest (one file; default 50,000) */
  readonly maxGroupRecords?: number;
  readonly segmentBytes?: number;
  /** loads one group's NDJSON file into the data warehouse (default: `ingestFiles` on it; on ClickHouse the cluster's ingest path) */
  readonly applyFile?: ApplyFile;
  /** instead of writing the group's file here and `applyFile`: hands the bodies on, to be written and ingested elsewhere (the warehouse thread) */
  readonly applyGroup?: ApplyGroup;
  /**
   * the pauses before each new try of a group whose load committed and whose recording failed (or a batch whose setting
   * aside failed); once they are used up the group is left in the write-ahead log for the next start and reported
   * (`stats.unrecordedGroups`), and the queue goes on (default 5 s, 15 s, 45 s, 135 s)
   */
  readonly recordRetryDelaysMs?: readonly number[];
}

const RECORD_RETRY_DELAYS_MS = [5_000, 15_000, 45_000, 135_000];

/** Writes a group's bodies (concatenated, in order) to `file` and loads it as `ApplyFile` does; removes the file. */
export type ApplyGroup = (group: { file: string; bodies: readonly string[] }, options: Parameters<ApplyFile>[1]) => Promise<{ ingestId: number | null }>;

/** Loads a group's file with the file ingest's rules, atomically; its `ingests` id (null when the file was ingested before). */
export type ApplyFile = (file: string, options: { kind: 'events' | 'transactions'; actor: string; role: string }) => Promise<{ ingestId: number | null }>;

export type { BatchReceipt } from './batch-receipts.js';
export { IdempotencyConflictError } from './batch-receipts.js';

/** The server is behind: try again after `retryAfterS`. */
export class BackpressureError extends UserError {
  constructor(
    message: string,
    readonly retryAfterS: number,
  ) {
    super(message, `retry after ${retryAfterS} s`);
  }
}

/**
 * Batches of events and orders sent to the API: durable before they are
 * acknowledged (the write-ahead log, fsync'ed), applied in the background by
 * the file ingest itself (`ingestFiles`: the same staging, rules, tokens,
 * quarantine and audit as `clvkit ingest`) — consecutive batches of one kind
 * and sender in one file, whose ingest commits atomically under a source
 * name made of its first and last batch id; then the batch ids are recorded
 * in `ingest_batches`. Replay is exactly once: at start, batches in
 * `ingest_batches` are skipped, groups whose ingest committed but whose
 * batches were not yet recorded are recorded (not applied again), the rest
 * are applied. A group whose file is held already (its load committed and
 * it was applied again, or the same content was loaded before) is counted
 * from the ingest holding its lines (held-group-ingest.ts); one whose load
 * committed and whose recording failed is applied again whole, not batch by
 * batch, after a pause, a bounded number of times (`recordRetryDelaysMs`);
 * then it is left in the log for the next start and reported
 * (unrecorded-group.ts), and the queue goes on. An Idempotency-Key seen
 * before from the same sender with the same body answers the first receipt and
 * stores nothing; with another body it is refused (batch-receipts.ts).
 */
export class IngestQueue {
  readonly #pending: WalBatch[] = [];
  #pendingRecords = 0;
  readonly #receipts = new BatchReceipts();
  #applying: Promise<void> | null = null;
  #closing = false;
  #abandoned = false;
  #solo = 0;
  #retake = 0;
  readonly #waiters: { upTo: number; resolve: () => void }[] = [];
  #submitted = 0;
  #applied = 0;
  #failures = 0;
  /** the pauses taken before trying the group at the head again, and its tries that failed */
  #retries = 0;
  #tries = 0;
  /** batches left in the log unrecorded (`#leave`): counted by `drain` as dealt with */
  #leftBatches = 0;
  readonly #unrecorded: UnrecordedGroup[] = [];
  /** failed/ copies of batches not recorded set aside, by batch id: removed once the batch is applied (set-aside-copies.ts) */
  #copies = new Map<string, string[]>();
  /** ends the pause before a new try early (`close`) */
  #wake: (() => void) | null = null;

  private constructor(
    private readonly context: ServerContext,
    private readonly wal: WriteAheadLog,
    private readonly options: Required<Omit<IngestQueueOptions, 'segmentBytes' | 'applyFile' | 'applyGroup'>>,
    private readonly applyFile: ApplyFile,
    private readonly applyGroup: ApplyGroup | null = null,
  ) {}

  /** Opens the log, finds the batches the warehouse has not applied and starts applying them. */
  static async open(context: ServerContext, options: IngestQueueOptions): Promise<{ queue: IngestQueue; replayed: number; tornSegments: number }> {
    const { log, batches, tornSegments } = await WriteAheadLog.open(options.walDir, { keyring: context.keyring, ...(options.segmentBytes ? { segmentBytes: options.segmentBytes } : {}) });
    // the file of a group being applied when the server was killed, in clear: its batches are in the log, applied below
    rmSync(join(options.walDir, 'apply'), { recursive: true, force: true });
    const queue = new IngestQueue(context, log, { walDir: options.walDir, maxBacklogRecords: options.maxBacklogRecords ?? 1_000_000, maxGroupRecords: options.maxGroupRecords ?? 50_000, recordRetryDelaysMs: options.recordRetryDelaysMs ?? RECORD_RETRY_DELAYS_MS }, options.applyFile ?? ingestIntoWarehouse(context), options.applyGroup ?? null);
    const warehouse = context.state;
    const applied = new Set<string>();
    await queue.#receipts.load(warehouse);
    if (batches.length > 0) {
      const ids = batches.map((b) => warehouse.dialect.literal(b.id)).join(', ');
      for (const row of await warehouse.query(`SELECT batch_id FROM ingest_batches WHERE batch_id IN (${ids})`)) applied.add(String(row.batch_id));
    }
    log.release(applied);
    for (const batch of batches) {
      // as acknowledged: with the lines an erasure took out since (wal-records.ts `erased`)
      if (batch.idempotencyKey !== null) queue.#receipts.remember({ batchId: batch.id, kind: batch.kind, received: batch.records + (batch.erased ?? 0) }, senderId(context.keyring, batch.actor), batch.idempotencyKey, sentBodySha256(batch));
      if (applied.has(batch.id)) continue;
      queue.#pending.push(batch);
      queue.#pendingRecords += batch.records;
      queue.#submitted++;
    }
    queue.#copies = setAsideCopiesOf(options.walDir, new Set(queue.#pending.map((b) => b.id)));
    await queue.#recoverCommittedGroups();
    const replayed = queue.#pending.length;
    queue.#kick();
    return { queue, replayed, tornSegments };
  }

  /**
   * Makes a normalised batch durable and answers its receipt; an
   * Idempotency-Key the same sender sent with the same body answers the first
   * receipt (`replay`), with another body `IdempotencyConflictError`.
   * `BackpressureError` when the backlog is over its bound or the server is stopping.
   */
  async submit(batch: { kind: BatchKind; ndjson: string; records: number; fields: readonly string[]; idempotencyKey: string | null; actor: string; role: string }): Promise<{ receipt: BatchReceipt; replay: boolean }> {
    // a batch sent with an Idempotency-Key: who sent it and the hash of its body (batch-receipts.ts); none without a key
    const keyed = batch.idempotencyKey === null ? null : { key: batch.idempotencyKey, sha: bodySha256(batch.ndjson), sender: senderId(this.context.keyring, batch.actor) };
    const seen = keyed && this.#receipts.find(batch.kind, keyed.sender, keyed.key, keyed.sha);
    // a batch of the key being appended: its receipt once stored, or its failure (batch-receipts.ts)
    if (seen) return { receipt: await seen, replay: true };
    if (this.#closing) throw new BackpressureError('the server is stopping', 5);
    if (this.#pendingRecords + batch.records > this.options.maxBacklogRecords) {
      throw new BackpressureError(`the server is behind: ${this.#pendingRecords.toLocaleString('en-US')} acknowledged records wait to be applied`, 1);
    }
    const id = `b${Date.now().toString(36)}${randomBytes(6).toString('hex')}`;
    const receipt: BatchReceipt = { batchId: id, kind: batch.kind, received: batch.records };
    // pending before the await: a concurrent repeat of the key waits for this append, answered only once it is stored
    let stored!: { resolve: (r: BatchReceipt) => void; reject: (e: unknown) => void };
    const storing = new Promise<BatchReceipt>((resolve, reject) => (stored = { resolve, reject }));
    storing.catch(() => undefined); // no repeat may wait for it
    if (keyed) this.#receipts.expect(batch.kind, keyed.sender, keyed.key, keyed.sha, storing);
    const entry: WalBatch = { id, kind: batch.kind, idempotencyKey: batch.idempotencyKey, receivedAt: new Date().toISOString(), actor: batch.actor, role: batch.role, body: batch.ndjson, records: batch.records, fields: batch.fields };
    try {
      await this.wal.append(entry);
    } catch (error) {
      if (keyed) this.#receipts.forget(batch.kind, keyed.sender, keyed.key);
      stored.reject(error);
      throw error;
    }
    if (keyed) this.#receipts.remember(receipt, keyed.sender, keyed.key, keyed.sha);
    stored.resolve(receipt);
    this.#pending.push(entry);
    this.#pendingRecords += entry.records;
    this.#submitted++;
    this.#kick();
    return { receipt, replay: false };
  }

  /** Resolves when every batch acknowledged before the call is applied (or set aside after a failure, or left in the log: `stats.unrecordedGroups`). */
  drain(): Promise<void> {
    const upTo = this.#submitted;
    if (this.#abandoned || this.#applied + this.#leftBatches >= upTo) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ upTo, resolve }));
  }

  get stats() {
    // pendingRecords counts the group being applied too (it leaves the count when done); the batches likewise
    return { pendingBatches: this.#submitted - this.#applied - this.#leftBatches, pendingRecords: this.#pendingRecords, appliedBatches: this.#applied, failedGroups: this.#failures, unrecordedGroups: [...this.#unrecorded] };
  }

  /**
   * The warehouse is gone (its thread died): stops applying at once and lets
   * `close` end without waiting for the backlog. Acknowledged batches not yet
   * applied stay in the write-ahead log and are applied at the next start.
   */
  abandon(): void {
    this.#closing = true;
    this.#abandoned = true;
    this.#wake?.();
    for (const waiter of this.#waiters.splice(0)) waiter.resolve();
  }

  /** Stops taking batches, applies what is acknowledged (the log is flushed into the warehouse), closes the log. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#wake?.(); // a group waiting to be tried again: tried once more now, then left in the log for the next start
    if (!this.#abandoned) await this.drain();
    while (this.#applying) await this.#applying;
    await this.wal.close();
  }

  #kick(): void {
    // abandoned: what waits stays in the log for the next start (started again here, the applier would stop at once
    // and be started again, a loop of promise callbacks that never let `close` end)
    if (this.#applying || this.#pending.length === 0 || this.#abandoned) return;
    this.#applying = this.#applyAll()
      .catch((error: unknown) => this.context.log.error({ err: error }, 'the ingest applier stopped'))
      .finally(() => {
      this.#applying = null;
      if (this.#pending.length > 0) this.#kick();
    });
  }

  async #applyAll(): Promise<void> {
    while (this.#pending.length > 0 && !this.#abandoned) {
      const group = this.#takeGroup();
      try {
        await this.#apply(group);
      } catch (error) {
        if (this.#abandoned) return; // not set aside: the log applies it at the next start
        this.#failures++;
        this.#tries++;
        this.context.log.error({ err: error, batches: group.length }, 'applying ingested batches failed');
        // its load committed, its recording failed: not applied again batch by batch (each batch's lines were loaded a
        // second time) nor set aside (counted 0 accepted, its lines loaded) — the same group again after a pause: its
        // file held already, it is recorded from that load; a bounded number of times, then it is left in the log (the
        // next start records it from its load) and the queue goes on. The warehouse not answering the question: the
        // same group again after a pause, for as long as it does not answer (no group can be loaded meanwhile)
        const committed = await groupIngestCommitted(this.context.warehouse, groupSourceName(group)).catch(() => null);
        if (committed !== false) {
          if (this.#closing || (committed && this.#retries >= this.options.recordRetryDelaysMs.length)) {
            this.#leave(group, { why: committed ? 'loaded' : 'unknown', error });
            continue;
          }
          this.#pending.unshift(...group);
          this.#retake = group.length;
          await this.#pause(committed ? this.options.recordRetryDelaysMs[this.#retries++]! : (this.options.recordRetryDelaysMs[0] ?? RECORD_RETRY_DELAYS_MS[0]!));
          continue;
        }
        if (group.length > 1) {
          this.#pending.unshift(...group); // again one by one, to set aside only the batch at fault
          this.#solo = group.length;
          this.#retries = 0;
          this.#tries = 0;
          continue;
        }
        try {
          await this.#setAside(group[0]!, error);
        } catch (again) {
          // the warehouse itself fails: keep the batch pending and try again shortly (nothing acknowledged is dropped), a
          // bounded number of times, then leave it in the log (the next start applies it again) and go on
          this.context.log.error({ err: again }, 'recording a failed batch failed; retrying');
          if (this.#closing || this.#retries >= this.options.recordRetryDelaysMs.length) {
            this.#leave(group, { why: 'notSetAside', error: again, applyError: error });
            continue;
          }
          this.#pending.unshift(group[0]!);
          this.#solo++;
          await this.#pause(this.options.recordRetryDelaysMs[this.#retries++]!);
          continue;
        }
      }
      this.#done(group);
    }
  }

  /** The next batches of one kind, sender and field set, up to the group size. */
  #takeGroup(): WalBatch[] {
    if (this.#retake > 0) {
      // the group again as it was (its file's name and content): one whose load committed before its recording failed
      const again = this.#pending.splice(0, this.#retake);
      this.#retake = 0;
      return again;
    }
    const first = this.#pending.shift()!;
    const group = [first];
    let records = first.records;
    if (this.#solo > 0) {
      this.#solo--;
      return group;
    }
    const signature = (b: WalBatch) => `${b.kind}\0${b.actor}\0${b.role}\0${b.fields.join(',')}`;
    while (this.#pending.length > 0 && signature(this.#pending[0]!) === signature(first) && records + this.#pending[0]!.records <= this.options.maxGroupRecords) {
      const next = this.#pending.shift()!;
      group.push(next);
      records += next.records;
    }
    return group;
  }

  async #apply(group: readonly WalBatch[]): Promise<void> {
    const first = group[0]!;
    const dir = join(this.options.walDir, 'apply');
    makeFolders(dir);
    const file = join(dir, groupSourceName(group));
    const options = { kind: first.kind === 'events' ? 'events' : 'transactions', actor: first.actor, role: first.role } as const;
    // every line taken out by erasures (wal-records.ts `erased`): nothing to load, the batches are recorded
    if (group.every((b) => b.records === 0)) return this.#record(group, null);
    // batches of a group have the same fields (the group's signature): their bodies concatenate into one homogeneous file
    let ingestId: number | null;
    try {
      if (this.applyGroup) {
        ({ ingestId } = await this.applyGroup({ file, bodies: group.map((b) => b.body) }, options));
      } else {
        // written off the event loop's thread where possible (a group of 50,000 events is ~5 MB)
        await writeFile(file, group.map((b) => b.body).join(''), { mode: 0o600 });
        ({ ingestId } = await this.applyFile(file, options));
      }
    } finally {
      // the group in clear: kept only while it loads (the log holds it encrypted), gone before anything else is done
      rmSync(file, { force: true });
    }
    if (ingestId === null) {
      // held already, nothing added (applied again after its load committed, or the content of a group loaded before):
      // counted from the ingest holding its lines — recorded as all accepted, the lines it quarantined were lost
      const held = await heldGroupIngest(this.context.warehouse, groupSourceName(group), group);
      return this.#record(group, held.ingestId, linesLoaded(group, held.rowsRead));
    }
    await this.#record(group, ingestId);
  }

  /**
   * Records a group's batches as applied, with the accepted and quarantined records of each (its range of lines in the
   * ingest: `loaded[i]` lines for batch i, by default the lines the log holds). Lines an erasure took out of a batch
   * before its load count as quarantined, each a quarantine row (erased-before-load.ts), written first: a crash before
   * the batches are recorded records them again at the next start, without writing those rows twice.
   */
  async #record(group: readonly WalBatch[], ingestId: number | null, loaded: readonly number[] = group.map((b) => b.records)): Promise<void> {
    const { warehouse, state } = this.context;
    const erasedBeforeLoad = group.map((b, i) => b.records + (b.erased ?? 0) - loaded[i]!);
    await quarantineErasedBeforeLoad(warehouse, group, erasedBeforeLoad, ingestId);
    // quarantined lines per batch: one pass over the sorted lines (a group holds up to 50,000 lines and 100 batches)
    const lines = ingestId === null ? [] : (await warehouse.queryColumns(`SELECT line FROM quarantine WHERE ingest_id = ${ingestId} AND ${NOT_ERASED_BEFORE_LOAD} ORDER BY line`)).columns.line ?? [];
    let start = 1;
    let next = 0;
    const values = group.map((b, i) => {
      const end = start + loaded[i]!;
      while (next < lines.length && Number(lines[next]) < start) next++;
      const first = next;
      while (next < lines.length && Number(lines[next]) < end) next++;
      const quarantined = next - first;
      start = end;
      // a line loaded and then erased (the group recorded after a crash, an erase between) is counted as its load
      // counted it, as for a batch recorded before an erase: accepted, or quarantined (an erased quarantined line left a
      // row with nothing of it at its line: erased-quarantine-places.ts)
      return { batch: b, accepted: loaded[i]! - quarantined, quarantined: quarantined + erasedBeforeLoad[i]! };
    });
    await recordBatches(state, values, this.context.keyring);
  }

  /**
   * At start-up: groups whose ingest committed but whose batches were not yet
   * recorded (a crash between the two) are recorded now instead of applied
   * again. A group's ingest is named after its first and last batch, and a
   * group is a run of consecutive pending batches, so the run between them
   * is the group. An erase since the load may have shortened its batches in
   * the log: each is split by the lines it had when loaded (`linesLoaded`).
   * Ingests over overlapping runs (a group's, and a batch's own left by the
   * group applied again batch by batch): each batch is recorded once, from
   * the first ingest (by id) that holds it; the others are left aside.
   */
  async #recoverCommittedGroups(): Promise<number> {
    if (this.#pending.length === 0) return 0;
    const { warehouse } = this.context;
    const rows = await warehouse.query("SELECT source, ingest_id, rows_read FROM ingests WHERE source LIKE 'api-%.ndjson' ORDER BY ingest_id");
    const position = new Map(this.#pending.map((b, i) => [b.id, i]));
    const groups: { from: number; to: number; ingestId: number; rowsRead: number }[] = [];
    const taken = new Set<number>(); // positions a group already recorded holds: spliced out below, recorded once
    for (const row of rows) {
      const match = /^api-(?:events|orders)-(b[0-9a-z]+)-(b[0-9a-z]+)\.ndjson$/.exec(String(row.source));
      const from = match ? position.get(match[1]!) : undefined;
      const to = match ? position.get(match[2]!) : undefined;
      if (from === undefined || to === undefined || to < from) continue;
      const at = Array.from({ length: to - from + 1 }, (_, k) => from + k);
      if (at.some((i) => taken.has(i))) continue;
      for (const i of at) taken.add(i);
      groups.push({ from, to, ingestId: Number(row.ingest_id), rowsRead: Number(row.rows_read) });
    }
    groups.sort((a, b) => b.from - a.from); // from the end, so that positions stay valid while splicing
    let recovered = 0;
    for (const g of groups) {
      const group = this.#pending.slice(g.from, g.to + 1);
      // an erase since the load may have shortened its batches: split by the lines each had when loaded
      await this.#record(group, g.ingestId, linesLoaded(group, g.rowsRead));
      this.#pending.splice(g.from, group.length);
      for (const b of group) this.#pendingRecords -= b.records;
      this.#submitted -= group.length;
      this.wal.release(group.map((b) => b.id));
      this.#removeCopies(group);
      recovered += group.length;
    }
    return recovered;
  }

  /**
   * A batch the ingest cannot take (a bug, not bad data: bad records are quarantined): kept in failed/ as a record of
   * the log (encrypted, wal-records.ts), recorded as applied so that the log moves on.
   */
  async #setAside(batch: WalBatch, error: unknown): Promise<void> {
    const dir = setAsideFolder(this.options.walDir);
    makeFolders(dir);
    const path = join(dir, `${batch.id}.wal`);
    // on disk before the batch is recorded applied (and its segment released); until then a copy removed if the batch is
    // applied after all (tried again)
    replaceFileDurably(path, encodeWalRecord(batch, this.context.keyring));
    this.#copies.set(batch.id, [...new Set([...(this.#copies.get(batch.id) ?? []), path])]);
    // its lines taken out by erasures are counted quarantined below: a quarantine row each, as for a batch applied
    await quarantineErasedBeforeLoad(this.context.warehouse, [batch], [batch.erased ?? 0], null);
    await recordBatches(this.context.state, [{ batch, accepted: 0, quarantined: batch.erased ?? 0 }], this.context.keyring);
    this.#copies.delete(batch.id); // recorded set aside: the copy is its record
    this.context.log.error({ batchId: batch.id, file: path, err: error }, 'a batch could not be applied and was set aside');
  }

  /** A pause before a new try; `close` ends it early. */
  async #pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => resolve(), ms);
      timer.unref();
      this.#wake = () => (clearTimeout(timer), resolve());
    });
    this.#wake = null;
  }

  /**
   * A group whose recording failed every try: left in the write-ahead log (not released, so the next start finds it:
   * `#recoverCommittedGroups` records a group whose load committed, the others are applied), reported in the server
   * log and `stats.unrecordedGroups`, counted by `drain` as dealt with; the queue goes on.
   */
  #leave(group: readonly WalBatch[], because: LeftBecause): void {
    const left = unrecordedGroup(group, groupSourceName(group), this.#tries, because);
    this.#unrecorded.push(left);
    this.context.log.error({ ...left, err: because.error }, 'ingested batches left in the write-ahead log for the next start');
    this.#settle(group, false);
  }

  /** Removes the failed/ copies of batches applied (or recorded from their load): never recorded set aside. */
  #removeCopies(group: readonly WalBatch[]): void {
    if (this.#copies.size === 0) return;
    const removed = removeSetAsideCopies(this.#copies, group.map((b) => b.id));
    if (removed.length > 0) this.context.log.info({ files: removed }, 'copies in failed/ of batches applied since removed (never recorded set aside)');
  }

  #done(group: readonly WalBatch[]): void {
    this.#settle(group, true);
  }

  /** The group leaves the backlog: applied (its batches released from the log) or left in the log (`#leave`). */
  #settle(group: readonly WalBatch[], applied: boolean): void {
    this.#retries = 0;
    this.#tries = 0;
    for (const b of group) this.#pendingRecords -= b.records;
    if (applied) {
      this.#applied += group.length;
      this.wal.release(group.map((b) => b.id));
      this.#removeCopies(group);
    } else {
      this.#leftBatches += group.length;
    }
    for (let i = this.#waiters.length - 1; i >= 0; i--) {
      if (this.#applied + this.#leftBatches >= this.#waiters[i]!.upTo) {
        this.#waiters[i]!.resolve();
        this.#waiters.splice(i, 1);
      }
    }
  }
}

/** The file (and `ingests.source`) of a group: its kind, first and last batch. */
function groupSourceName(group: readonly WalBatch[]): string {
  return `api-${group[0]!.kind}-${group[0]!.id}-${group.at(-1)!.id}.ndjson`;
}

/** The default `ApplyFile`: `ingestFiles` on the context's (DuckDB) warehouse — the same staging, rules, tokens, quarantine and audit as `clvkit ingest`. */
function ingestIntoWarehouse(context: ServerContext): ApplyFile {
  return async (file, options) => {
    // atomic on its own: rows, quarantine and the `ingests` row (named after the group) commit together
    const { ingestId } = await applyIngestedFile((paths, o) => ingestFiles(context.warehouse, paths, o), file, options, context.keyring);
    return { ingestId };
  };
}
