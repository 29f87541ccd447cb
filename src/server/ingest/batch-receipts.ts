/**
 * The receipts of batches sent with an Idempotency-Key (ingest-queue.ts): a key names one batch of one sender and
 * one body. Kept per kind, sender (`senderId`: a keyed hash of the token or user name the write-ahead log records)
 * and key, with the SHA-256 of
 * the normalised body: the same sender sending the same body under the key again gets the first receipt and nothing
 * is stored; another sender's batch under the same key is a batch of its own; the same sender's key with another body
 * is refused (`IdempotencyConflictError`, 409), never answered with the first batch's receipt while its records are
 * dropped. Read at start from `ingest_batches` (`sender`, `body_sha256`: migration 17) and from the batches the log
 * still holds. A row recorded before migration 17 has neither: its key is refused for every sender (409 saying so),
 * since nothing tells whether the batch is that one. A batch an erasure shortened in the log keeps the hash of its
 * body as sent (wal-records.ts `sentSha256`): its sender's honest retry is answered its receipt, nothing stored, so no
 * erased customer's line comes back. One an older clvkit's erasure shortened has none: its key is refused (409, the
 * hint naming the batch stored), never answered with its receipt for a body that may be another. A batch
 * whose log append is under way is pending (`expect`): a repeat of its key waits for the append and answers what it
 * ends in — the receipt once the batch is stored, the same failure when the append fails (the key is free again) —
 * so that no repeat is told a batch is stored that never was.
 */
import { createHash } from 'node:crypto';
import { keyedTag } from '../../privacy/warehouse/audit-log.js';
import type { Keyring } from '../../privacy/keys/keyring.js';
import { UserError } from '../../core/errors/user-error.js';
import type { Warehouse } from '../../engine/warehouse.js';
import type { BatchKind } from './normalise-batch.js';
import type { WalBatch } from './wal-records.js';

/** What a batch's request is answered (the same again for a repeated Idempotency-Key). */
export interface BatchReceipt {
  readonly batchId: string;
  readonly kind: BatchKind;
  readonly received: number;
}

/** Why a key names another batch (`ingest_refused` in the audit log says it). */
export type IdempotencyConflict = 'another body' | 'changed by an erasure' | 'recorded before senders were kept';

/** The key was used for another batch: answered 409, nothing stored. */
export class IdempotencyConflictError extends UserError {
  constructor(
    message: string,
    hint: string,
    readonly reason: IdempotencyConflict,
  ) {
    super(message, hint);
  }
}

/** The SHA-256 of a normalised body (hex). */
export const bodySha256 = (body: string): string => createHash('sha256').update(body, 'utf8').digest('hex');

/**
 * The hash of a batch's body as it was sent: its body's while no erasure took lines out of it, else the hash the
 * erasure kept (`sentSha256`); null for a batch an older clvkit's erasure shortened, which kept none.
 */
export const sentBodySha256 = (batch: Pick<WalBatch, 'body' | 'erased' | 'sentSha256'>): string | null => batch.sentSha256 ?? (batch.erased ? null : bodySha256(batch.body));

/**
 * Who sent a batch, as `ingest_batches.sender` keeps it: `s` and 32 hex digits of an HMAC of the actor (`NAME (token)`
 * or a user name) under the warehouse's root key — it tells one sender from another and names nobody (the audit log
 * names who ingested).
 */
export const senderId = (keyring: Keyring, actor: string): string =>
  `s${keyedTag(keyring, 'ingest-sender', actor)}`;

/**
 * What the audit log keeps of an Idempotency-Key (`ingest_refused`'s `idempotency_key_tag`): 32 hex digits of an HMAC
 * of the key under the warehouse's root key — two refusals of one key have the same tag, and the key (a client's own
 * text: an order number, an e-mail address) is not kept in a log that is never purged.
 *
 * Example: `idempotencyKeyTag(keyring, 'k-7')` → `'9c…'` (32 hex digits)
 */
export const idempotencyKeyTag = (keyring: Keyring, key: string): string => keyedTag(keyring, 'idempotency-key', key);

/** The hint of a key whose batch cannot be told from the one sent (recorded before migration 17). */
const UNTOLD_HINT = 'if this is that batch, it is stored already; else send it under a new Idempotency-Key (nothing of it was stored)';

/** The hint of a key whose batch an older clvkit's erasure shortened (no hash of its body as sent kept): what is stored under it. */
const erasedHint = (receipt: BatchReceipt) =>
  `if this is that batch, it is stored already as batch ${receipt.batchId} (${receipt.received} records received; the lines of erased customers are not stored): do not send it again; else send it under a new Idempotency-Key (nothing of it was stored)`;

const keyOf = (kind: string, sender: string, key: string) => JSON.stringify([kind, sender, key]);

export class BatchReceipts {
  /** a stored batch's receipt, or the promise of it while its log append is under way */
  readonly #bySender = new Map<string, { receipt: BatchReceipt | Promise<BatchReceipt>; sha: string | null }>();
  /** keys recorded before the sender was (migration 17), by kind and key */
  readonly #unattributed = new Set<string>();

  /** The receipts `ingest_batches` holds. */
  async load(state: Warehouse): Promise<void> {
    const rows = await state.query('SELECT batch_id, kind, idempotency_key, sender, body_sha256, accepted + quarantined AS n FROM ingest_batches WHERE idempotency_key IS NOT NULL');
    for (const row of rows) {
      const receipt: BatchReceipt = { batchId: String(row.batch_id), kind: row.kind as BatchKind, received: Number(row.n) };
      if (row.sender === null) this.#unattributed.add(JSON.stringify([row.kind, row.idempotency_key]));
      else this.remember(receipt, String(row.sender), String(row.idempotency_key), row.body_sha256 === null ? null : String(row.body_sha256));
    }
  }

  remember(receipt: BatchReceipt, sender: string, key: string, sha: string | null): void {
    this.#bySender.set(keyOf(receipt.kind, sender, key), { receipt, sha });
  }

  /** A batch being made durable: a repeat of its key waits for `receipt` (`remember` once stored, `forget` if not). */
  expect(kind: BatchKind, sender: string, key: string, sha: string, receipt: Promise<BatchReceipt>): void {
    this.#bySender.set(keyOf(kind, sender, key), { receipt, sha });
  }

  forget(kind: BatchKind, sender: string, key: string): void {
    this.#bySender.delete(keyOf(kind, sender, key));
  }

  /**
   * The receipt to answer again (the same sender's same body) — a promise of it while that batch's append is under
   * way (it rejects as the append does) — null for a new batch; `IdempotencyConflictError` when the key names another
   * batch, or one that cannot be told from this one.
   */
  find(kind: BatchKind, sender: string, key: string, sha: string): BatchReceipt | Promise<BatchReceipt> | null {
    const seen = this.#bySender.get(keyOf(kind, sender, key));
    if (seen) {
      if (seen.sha === sha) return seen.receipt;
      if (seen.sha === null) throw new IdempotencyConflictError(`the Idempotency-Key ${key} was used for a batch of ${kind} whose body an erasure changed since`, seen.receipt instanceof Promise ? UNTOLD_HINT : erasedHint(seen.receipt), 'changed by an erasure');
      throw new IdempotencyConflictError(`the Idempotency-Key ${key} was used for another body of ${kind} by this sender`, 'a key names one batch: send this one under a new Idempotency-Key (nothing of it was stored)', 'another body');
    }
    if (this.#unattributed.has(JSON.stringify([kind, key]))) {
      throw new IdempotencyConflictError(`the Idempotency-Key ${key} was used for a batch of ${kind} recorded before this server kept who sent each batch`, UNTOLD_HINT, 'recorded before senders were kept');
    }
    return null;
  }
}
