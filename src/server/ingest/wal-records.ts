/**
 * The records of the ingest write-ahead log, as bytes: a JSON header line (id, kind, idempotency key, who sent it,
 * counts, fields, the body's length and SHA-256) then the body and a newline. The body — the batch's NDJSON: customer
 * and visitor ids as sent, search queries as typed, order descriptions — is encrypted (AES-256-GCM, `encryptBytes`)
 * under the warehouse's **root** key, the whole header bound into the tag (`enc: 'v2'`: every field but the body's length
 * and hash, which the body itself checks — a header altered to change the counts, the idempotency key, the fields is
 * refused, not read); the header holds no personal data. The root key, because it never leaves the keyring: a rotation that retires the previous active key
 * (`clvkit keys rotate --retire-old`) while a batch waits in the log after a crash must not leave an acknowledged
 * batch that no key opens (customer tokens come from the root key for the same reason). A record of the previous
 * clvkit (`enc: 'v1'`: the id, kind, sender and role bound, the rest of the header not) is still read, so that a batch
 * acknowledged before an upgrade is applied after it; one altered to pass for it fails its tag (its body was bound
 * to another label); an erase that rewrites its file writes it as v1 again (`WalBatch.form`), so that the fields v1
 * never bound do not come out bound as v2's are. A record without `enc` (the form of a log written before the bodies were encrypted, early in
 * 0.1.0's making) is refused: every clvkit since writes each record encrypted, so it is that old or was written by
 * someone without the key — read, it would be a batch anyone able to write to the log folder could add, and an
 * erasure that rewrote its file would re-encrypt it, authenticated (wal-plain-record-refused.test.ts).
 *
 * The same records are the segments (write-ahead-log.ts), a batch set aside (`failed/<batch>.wal`, ingest-queue.ts)
 * and what an erasure rewrites (erase-from-write-ahead-log.ts).
 */
import { createHash } from 'node:crypto';
import { UserError } from '../../core/errors/user-error.js';
import { KeyError } from '../../core/errors/key-error.js';
import { decryptBytes, encryptBytes } from '../../privacy/keys/encryption.js';
import type { Keyring } from '../../privacy/keys/keyring.js';

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
  /**
   * lines an erasure took out of the body (`clvkit erase`: their customer was erased while the batch waited in the
   * log); absent or 0 when none. The batch was acknowledged with `records + erased` records, and is recorded applied
   * with them counted as quarantined, as the lines of an erased customer in a batch sent after the erasure are, each a
   * quarantine row with nothing of the line (erased-before-load.ts).
   */
  readonly erased?: number;
  /**
   * the SHA-256 of the body as it was sent (batch-receipts.ts `bodySha256`), kept when an erasure takes lines out of
   * a batch sent with an Idempotency-Key (erase-from-write-ahead-log.ts), so that the sender's honest retry of it is
   * still told from another body; absent otherwise (the body is as sent), and in a record an older clvkit shortened
   */
  readonly sentSha256?: string;
  /** the fields some record of the batch has (and the required ones) */
  readonly fields: readonly string[];
  /**
   * `v1`: a record of the previous clvkit, whose tag binds only its id, kind, sender and role. Written again (an erase
   * rewriting its file) in that form, so that the header fields it never bound do not come out bound, authenticated
   * as a `v2` record's are; absent for a `v2` record, the form every new record is written in.
   */
  readonly form?: 'v1';
}

interface Header {
  readonly id: string;
  readonly kind: WalBatch['kind'];
  readonly key: string | null;
  readonly at: string;
  readonly actor: string;
  readonly role: string;
  readonly records: number;
  readonly erased?: number;
  readonly fields: readonly string[];
  /** `sentSha256` (bound in a `v2` record only; a `v1` record is never written with it) */
  readonly sent?: string;
  /** the stored body's length and hash (of the ciphertext when encrypted): a record torn by a crash is found by them */
  readonly bytes: number;
  readonly sha: string;
  /** the body is `encryptBytes` under `keyId`, the header bound (`v2`), or only its id, kind, sender and role (`v1`, the previous clvkit); a record without it is refused */
  readonly enc?: 'v1' | 'v2';
  readonly keyId?: string;
}

const shaOf = (body: Buffer) => createHash('sha256').update(body).digest('hex').slice(0, 32);
/** What a `v2` body's tag is bound to: the whole header but the body's length and hash (the key id is bound by `encryptBytes`). */
const contextOf = (h: Omit<Header, 'bytes' | 'sha' | 'enc' | 'keyId'>) =>
  `ingest-wal/v2\0${JSON.stringify([h.id, h.kind, h.key, h.at, h.actor, h.role, h.records, h.erased ?? 0, h.fields, ...(h.sent === undefined ? [] : [h.sent])])}`;
/** What a `v1` body's tag was bound to (the previous clvkit): the batch and how it is ingested. */
const contextOfV1 = (h: Pick<Header, 'id' | 'kind' | 'actor' | 'role'>) => `ingest-wal\0${h.id}\0${h.kind}\0${h.actor}\0${h.role}`;

/** A batch as a record of the log: the header line, the encrypted body, a newline (in the batch's `form`: v2 unless v1). */
export function encodeWalRecord(batch: WalBatch, keyring: Keyring): Buffer {
  const keyId = keyring.rootKeyId;
  const v1 = batch.form === 'v1';
  const bound = {
    id: batch.id, kind: batch.kind, key: batch.idempotencyKey, at: batch.receivedAt, actor: batch.actor, role: batch.role, records: batch.records,
    ...(batch.erased ? { erased: batch.erased } : {}), fields: batch.fields,
    // a v1 tag does not bind it: left out rather than kept unauthenticated (its key then answers 409, as before)
    ...(batch.sentSha256 !== undefined && !v1 ? { sent: batch.sentSha256 } : {}),
  };
  const body = encryptBytes(Buffer.from(batch.body, 'utf8'), keyring, keyId, v1 ? contextOfV1(bound) : contextOf(bound));
  const header: Header = { ...bound, bytes: body.length, sha: shaOf(body), enc: v1 ? 'v1' : 'v2', keyId };
  return Buffer.concat([Buffer.from(JSON.stringify(header) + '\n', 'utf8'), body, Buffer.from('\n')]);
}

/** Why the record at a byte of a file of records does not check out, or its header, body and end. */
type RecordRead = { readonly header: Header; readonly stored: Buffer; readonly next: number } | { readonly why: string };

function recordAt(data: Buffer, at: number): RecordRead {
  const newline = data.indexOf(0x0a, at);
  if (newline < 0) return { why: 'its header line does not end' };
  let header: Header;
  try {
    header = JSON.parse(data.toString('utf8', at, newline)) as Header;
  } catch {
    return { why: 'its header line does not parse' };
  }
  const start = newline + 1;
  const end = start + header.bytes;
  if (!Number.isInteger(header.bytes) || end + 1 > data.length || data[end] !== 0x0a) return { why: 'its length does not match its body' };
  const stored = data.subarray(start, end);
  if (shaOf(stored) !== header.sha) return { why: "its body's hash does not match" };
  return { header, stored, next: end + 1 };
}

/** The ids of the whole records that follow a record that does not check out at `at` (each line start after it tried). */
function wholeRecordsAfter(data: Buffer, at: number): string[] {
  for (let line = data.indexOf(0x0a, at); line >= 0 && line + 1 < data.length; line = data.indexOf(0x0a, line + 1)) {
    const ids: string[] = [];
    for (let next = line + 1; next < data.length; ) {
      const read = recordAt(data, next);
      if ('why' in read) break;
      ids.push(String(read.header.id));
      next = read.next;
    }
    if (ids.length > 0) return ids;
  }
  return [];
}

/**
 * The batches of one file of records up to its first torn record (short, or its hash wrong: it was never
 * acknowledged, since the sync had not returned), bodies decrypted. A crash tears only a file's last record (each append
 * is synced before the next is written, and a start never appends to an old file): a record that does not check out
 * with a whole record after it is damage or an edit, refused (`UserError`) rather than read as a tear that would drop
 * the acknowledged batches after it. A whole record that does not decrypt is no tear either: `KeyError` (another key
 * than the one that wrote the log), never a batch dropped in silence.
 */
export function readWalRecords(data: Buffer, keyring: Keyring, file: string): { batches: WalBatch[]; torn: boolean } {
  const batches: WalBatch[] = [];
  let at = 0;
  while (at < data.length) {
    const read = recordAt(data, at);
    if ('why' in read) {
      const after = wholeRecordsAfter(data, at);
      if (after.length === 0) return { batches, torn: true };
      const many = after.length > 1;
      throw new UserError(
        `the ingest write-ahead log ${file} is damaged at byte ${at}: ${read.why}; ${after.length} whole record${many ? 's follow' : ' follows'} it (batch${many ? 'es' : ''} ${after.join(', ')})`,
        'a crash tears only the last record of a file, so this one was altered or damaged: move it out of the log folder, start the server, and have the senders resend the batches it held',
      );
    }
    const { header, stored } = read;
    if (header.enc === undefined) {
      throw new UserError(
        `batch ${header.id} in the ingest write-ahead log ${file} is not encrypted: this clvkit writes every record encrypted, so an early build of clvkit (before the log was encrypted) or someone else wrote it`,
        'move the file out of the log folder and try again; have the senders resend its batches, and delete the file afterwards: it holds them in clear',
      );
    }
    batches.push({
      id: header.id, kind: header.kind, idempotencyKey: header.key, receivedAt: header.at, actor: header.actor, role: header.role,
      body: decryptBody(stored, header, keyring, file).toString('utf8'),
      records: header.records, ...(header.erased ? { erased: header.erased } : {}), ...(header.sent !== undefined && header.enc === 'v2' ? { sentSha256: String(header.sent) } : {}),
      fields: header.fields, ...(header.enc === 'v1' ? { form: 'v1' as const } : {}),
    });
    at = read.next;
  }
  return { batches, torn: false };
}

function decryptBody(stored: Buffer, header: Header, keyring: Keyring, file: string): Buffer {
  if ((header.enc !== 'v1' && header.enc !== 'v2') || header.keyId === undefined) throw new KeyError(`batch ${header.id} in ${file} is encrypted in a form this clvkit does not read (${String(header.enc)})`, 'read the log with the clvkit that wrote it');
  if (!keyring.keyIds().includes(header.keyId)) {
    throw new KeyError(`batch ${header.id} in the ingest write-ahead log ${file} is encrypted under key ${header.keyId}, which this keyring does not hold`, `start the server with the key of this warehouse (its root key ${header.keyId})`);
  }
  try {
    return decryptBytes(stored, keyring, header.keyId, header.enc === 'v2' ? contextOf(header) : contextOfV1(header));
  } catch (error) {
    if (!(error instanceof KeyError)) throw error;
    // the header is the tag's additional data: an altered count, key or field fails as an altered body does
    throw new KeyError(
      `batch ${header.id} in the ingest write-ahead log ${file} does not authenticate: its header or body was altered, or another key wrote it`,
      `if the key is this warehouse's (root key ${header.keyId}), the file was altered: move it out of the log folder, start the server, and have the sender resend that batch`,
    );
  }
}
