import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { UserError } from '../../core/errors/user-error.js';
import { canonicalJson, type JsonValue } from './canonical-json.js';
import type { Keyring } from '../keys/keyring.js';
import { createPseudonymiser, isToken } from '../tokens/pseudonymise.js';

/** `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * One audit-log entry. `hash` = SHA-256 (hex) of the canonical JSON
 * (`canonicalJson`) of every field above it:
 * `{seq, ts, actor, role, action, target, rowCounts, details, prevHash}`.
 * `mac` = HMAC-SHA256 (hex) of `hash` under the audit subkey of the
 * keyring's root key, or null when the log is kept without a key.
 */
export interface AuditEntry {
  /** 1, 2, 3… without gaps */
  readonly seq: number;
  /** ISO-8601 UTC */
  readonly ts: string;
  readonly actor: string;
  readonly role: string;
  readonly action: string;
  /** `kind` or `kind:name`, e.g. `table:customers`, `file:out/audience.csv`, `customer:c_…` (always a token) */
  readonly target: string | null;
  /** rows affected per table or output, e.g. `{ customers: 1, transactions: 12 }` */
  readonly rowCounts: Readonly<Record<string, number>>;
  /** parameters of the action; never personal data in clear */
  readonly details: { readonly [key: string]: JsonValue };
  readonly prevHash: string;
  readonly hash: string;
  readonly mac: string | null;
}

/**
 * Where entries live. Append-only by contract: there is no update or delete.
 * `append` must reject an entry whose `seq` is not the last `seq` + 1 (a
 * unique key on `seq` does it in SQL), so two writers cannot fork the chain.
 */
export interface AuditStore {
  append(entry: AuditEntry): void | Promise<void>;
  /** all entries in `seq` order */
  readAll(): readonly AuditEntry[] | Promise<readonly AuditEntry[]>;
  /** the last entry; optional, falls back to `readAll` */
  readLast?(): AuditEntry | null | Promise<AuditEntry | null>;
}

/** An `AuditStore` in memory: tests, and a process that flushes elsewhere. */
export class MemoryAuditStore implements AuditStore {
  readonly #entries: AuditEntry[] = [];

  append(entry: AuditEntry): void {
    const expected = (this.#entries.at(-1)?.seq ?? 0) + 1;
    if (entry.seq !== expected) throw new Error(`audit store: entry seq ${entry.seq} does not follow ${expected - 1}`);
    this.#entries.push(Object.freeze({ ...entry, rowCounts: Object.freeze({ ...entry.rowCounts }), details: deepFreeze(structuredClone(entry.details)) }));
  }

  readAll(): readonly AuditEntry[] {
    return [...this.#entries];
  }

  readLast(): AuditEntry | null {
    return this.#entries.at(-1) ?? null;
  }
}

/** What the target of an action is: a `kind[:name]` string, a customer (tokenised on the way in), or nothing. */
export type AuditTarget = string | { readonly customerId: string } | { readonly customerToken: string } | null;

export interface AuditRecord {
  readonly actor: string;
  readonly role: string;
  readonly action: string;
  readonly target?: AuditTarget;
  readonly rowCounts?: Readonly<Record<string, number>>;
  readonly details?: { readonly [key: string]: JsonValue };
}

export interface AuditLogOptions {
  readonly store: AuditStore;
  /** turns `{ customerId }` targets into tokens; without it such targets are refused */
  readonly pseudonymise?: (id: string) => string;
  /** HMAC key for `mac`; without it entries are hash-chained only */
  readonly macKey?: Buffer;
  readonly clock?: () => Date;
}

/**
 * Appends hash-chained entries to a store. Appends from one process are
 * serialised; across processes the store's `seq` uniqueness does it.
 *
 * Example: `await log.record({ actor: 'ana', role: 'admin', action: 'erase', target: { customerId: 'C-1001' }, rowCounts: { customers: 1 } })`
 * → entry with `target: 'customer:c_…'`, `seq` = previous + 1, `prevHash` = previous `hash`
 */
export class AuditLog {
  readonly #options: AuditLogOptions;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(options: AuditLogOptions) {
    this.#options = options;
  }

  /** Validates, tokenises the target, chains and stores one entry; resolves to the stored entry. */
  record(input: AuditRecord): Promise<AuditEntry> {
    const next = this.#tail.then(() => this.#append(input));
    this.#tail = next.catch(() => undefined);
    return next;
  }

  /** Reads the whole store and verifies it (with the MAC key, when the log has one). */
  async verify(options: Omit<VerifyAuditOptions, 'macKey'> = {}): Promise<AuditVerification> {
    const entries = await this.#options.store.readAll();
    return verifyAuditChain(entries, { ...options, macKey: this.#options.macKey });
  }

  async #append(input: AuditRecord): Promise<AuditEntry> {
    const { store } = this.#options;
    checkName('actor', input.actor);
    checkName('role', input.role);
    if (!/^[a-z][a-z0-9_]*$/.test(input.action)) throw new UserError(`audit action ${JSON.stringify(input.action)} is not snake_case`, 'e.g. export_audience');
    const rowCounts = { ...(input.rowCounts ?? {}) };
    for (const [k, v] of Object.entries(rowCounts)) {
      if (!Number.isSafeInteger(v) || v < 0) throw new UserError(`audit rowCounts.${k} = ${v} is not a non-negative integer`, 'count rows as whole numbers');
    }
    const details = input.details ?? {};
    checkNoClearIdentifiers(details, 'details');
    canonicalJson(details);
    const last = store.readLast ? await store.readLast() : ((await store.readAll()).at(-1) ?? null);
    const fields: AuditFields = {
      seq: (last?.seq ?? 0) + 1,
      ts: (this.#options.clock?.() ?? new Date()).toISOString(),
      actor: input.actor,
      role: input.role,
      action: input.action,
      target: this.#target(input.target ?? null),
      rowCounts,
      details,
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const entry = sealAuditEntry(fields, this.#options.macKey);
    await store.append(entry);
    return entry;
  }

  #target(target: AuditTarget): string | null {
    if (target === null) return null;
    if (typeof target === 'string') {
      const match = /^([a-z][a-z0-9_-]*)(?::(.+))?$/.exec(target);
      if (!match) throw new UserError(`audit target ${JSON.stringify(target)} is not kind or kind:name`, 'e.g. table:customers, file:out/audience.csv, customer:<token>');
      if (match[1] === 'customer' && !isToken(match[2])) {
        throw new UserError('audit target names a customer without a token', 'pass { customerId } (tokenised here) or { customerToken }; ids are never stored in clear');
      }
      return target;
    }
    if ('customerToken' in target) {
      if (!isToken(target.customerToken)) throw new UserError('audit target customerToken is not a token', 'pass { customerId } to tokenise a raw id');
      return `customer:${target.customerToken}`;
    }
    if (!this.#options.pseudonymise) throw new UserError('audit log cannot tokenise a customer id', 'create the log with a keyring (createAuditLog) or pass { customerToken }');
    return `customer:${this.#options.pseudonymise(target.customerId)}`;
  }
}

/**
 * An audit log keyed by the keyring: customer targets are tokenised with the
 * same key as the warehouse, and every entry carries an HMAC under the
 * `audit-mac` subkey of the root key.
 */
export function createAuditLog(store: AuditStore, keyring: Keyring, options: { readonly clock?: () => Date } = {}): AuditLog {
  return new AuditLog({ store, pseudonymise: createPseudonymiser(keyring), macKey: auditMacKey(keyring), clock: options.clock });
}

/** The audit MAC key: HKDF subkey `audit-mac` of the root key (stable across rotations). */
export function auditMacKey(keyring: Keyring): Buffer {
  return keyring.subkey(keyring.rootKeyId, 'audit-mac');
}

/**
 * A tag that tells one text from another and names nobody: 32 hex digits of an HMAC of `label`, a NUL and `text` under
 * the audit MAC key (the label keeps the tags of different uses apart). Stable across key rotations.
 *
 * Example: `keyedTag(keyring, 'login-name', 'Hunter2')` → `'3f…'` (32 hex digits)
 */
export function keyedTag(keyring: Keyring, label: string, text: string): string {
  return createHmac('sha256', auditMacKey(keyring)).update(`${label}\0${text}`, 'utf8').digest('hex').slice(0, 32);
}

type AuditFields = Omit<AuditEntry, 'hash' | 'mac'>;

/**
 * An entry's fields with their `hash` and, given the audit key, their `mac` (null without one).
 *
 * Example: `sealAuditEntry({ seq: 1, …, prevHash: GENESIS_HASH }, auditMacKey(keyring))` → `{ seq: 1, …, hash: '3f…', mac: '9c…' }`
 */
export function sealAuditEntry(fields: AuditFields, macKey?: Buffer): AuditEntry {
  const hash = hashAuditEntry(fields);
  return { ...fields, hash, mac: macKey ? macOf(macKey, hash) : null };
}

/** SHA-256 (hex) of the canonical JSON of an entry's fields (everything but `hash` and `mac`). */
export function hashAuditEntry(entry: AuditFields): string {
  const fields: AuditFields = {
    seq: entry.seq,
    ts: entry.ts,
    actor: entry.actor,
    role: entry.role,
    action: entry.action,
    target: entry.target,
    rowCounts: entry.rowCounts,
    details: entry.details,
    prevHash: entry.prevHash,
  };
  return createHash('sha256').update(canonicalJson(fields), 'utf8').digest('hex');
}

export type AuditFailure =
  | 'malformed'
  | 'seq-gap'
  | 'seq-order'
  | 'prev-hash-mismatch'
  | 'hash-mismatch'
  | 'mac-missing'
  | 'mac-mismatch'
  | 'head-mismatch'
  /** a head given whose entry a rewrite of the log re-chained (`audit_rewritten`): its hash cannot be checked */
  | 'head-rechained';

export interface AuditVerification {
  readonly ok: boolean;
  /** the first sequence number that does not verify (entries before it do); null when ok */
  readonly firstBadSeq: number | null;
  readonly reason: AuditFailure | null;
  /** one sentence for people */
  readonly message: string;
  /** entries checked */
  readonly count: number;
}

export interface VerifyAuditOptions {
  /** also check every entry's HMAC (detects a chain rewritten from scratch) */
  readonly macKey?: Buffer;
  /**
   * an entry as recorded elsewhere (the last one at the time: printed in a
   * report, stored with a backup): detects entries cut from the end, which a
   * chain alone cannot, and a chain rebuilt from scratch without a MAC key
   */
  readonly head?: { readonly seq: number; readonly hash: string };
}

/**
 * Checks a log read back in storage order. What it proves:
 *
 * - **edited** entry: its hash no longer matches its fields → `hash-mismatch`;
 * - **deleted** entry: its seq is missing → `seq-gap` (renumbered to hide it:
 *   the next entry's `prevHash` no longer matches → `prev-hash-mismatch`);
 * - **reordered** entries: seqs out of order → `seq-order`;
 * - with `macKey`: a chain **rewritten from scratch** (every hash recomputed
 *   by someone without the key) → `mac-mismatch`;
 * - with `head`: entries **cut from the end** → `head-mismatch`.
 *
 * Without a key, anyone who can write the store can rebuild a valid chain, and
 * without a head a truncated log is a valid shorter log.
 *
 * Example: `verifyAuditChain(entries)` → `{ ok: true, firstBadSeq: null, reason: null, count: 12, … }`
 */
export function verifyAuditChain(entries: readonly AuditEntry[], options: VerifyAuditOptions = {}): AuditVerification {
  let prevHash = GENESIS_HASH;
  const fail = (seq: number, reason: AuditFailure, message: string, count: number): AuditVerification => ({ ok: false, firstBadSeq: seq, reason, message, count });
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const expectedSeq = i + 1;
    if (!isEntryShaped(entry)) return fail(expectedSeq, 'malformed', `entry at position ${i + 1} is malformed`, i);
    if (entry.seq !== expectedSeq) {
      const reordered = entry.seq < expectedSeq || entries.slice(i + 1).some((e) => e?.seq === expectedSeq);
      return reordered
        ? fail(expectedSeq, 'seq-order', `entry ${expectedSeq} is out of order (found ${entry.seq} in its place)`, i)
        : fail(expectedSeq, 'seq-gap', `entry ${expectedSeq} is missing (next is ${entry.seq})`, i);
    }
    if (entry.prevHash !== prevHash) return fail(expectedSeq, 'prev-hash-mismatch', `entry ${expectedSeq} does not link to the entry before it`, i);
    let hash: string;
    try {
      hash = hashAuditEntry(entry);
    } catch {
      return fail(expectedSeq, 'malformed', `entry ${expectedSeq} holds values that cannot be hashed`, i);
    }
    if (hash !== entry.hash) return fail(expectedSeq, 'hash-mismatch', `entry ${expectedSeq} was altered after it was written`, i);
    if (options.macKey) {
      if (entry.mac === null) return fail(expectedSeq, 'mac-missing', `entry ${expectedSeq} has no MAC`, i);
      if (!sameHex(entry.mac, macOf(options.macKey, entry.hash))) return fail(expectedSeq, 'mac-mismatch', `entry ${expectedSeq} was not written with the audit key`, i);
    }
    prevHash = entry.hash;
  }
  const head = options.head;
  if (head) {
    const lastSeq = entries.at(-1)?.seq ?? 0;
    if (lastSeq < head.seq) {
      return fail(lastSeq + 1, 'head-mismatch', `log ends at entry ${lastSeq}, but entry ${head.seq} was recorded as written: entries were cut from the end`, entries.length);
    }
    if (entries[head.seq - 1].hash !== head.hash) {
      return fail(1, 'head-mismatch', `entry ${head.seq} differs from the recorded head: the chain was rebuilt`, entries.length);
    }
  }
  return { ok: true, firstBadSeq: null, reason: null, message: `${entries.length} entries verified`, count: entries.length };
}

function macOf(key: Buffer, hash: string): string {
  return createHmac('sha256', key).update(hash, 'utf8').digest('hex');
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function isEntryShaped(e: unknown): e is AuditEntry {
  if (typeof e !== 'object' || e === null) return false;
  const x = e as Record<string, unknown>;
  return (
    Number.isSafeInteger(x.seq) &&
    typeof x.ts === 'string' &&
    typeof x.actor === 'string' &&
    typeof x.role === 'string' &&
    typeof x.action === 'string' &&
    (x.target === null || typeof x.target === 'string') &&
    typeof x.rowCounts === 'object' && x.rowCounts !== null &&
    typeof x.details === 'object' && x.details !== null &&
    typeof x.prevHash === 'string' &&
    typeof x.hash === 'string' &&
    (x.mac === null || typeof x.mac === 'string')
  );
}

function checkName(field: string, value: string): void {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 200) {
    throw new UserError(`audit ${field} must be non-empty text (at most 200 characters)`, `pass who acted and as which role`);
  }
}

/** Detail keys that would name a person; their values must be tokens (or absent). */
const IDENTIFYING_KEYS = new Set(['customer', 'customer_id', 'customerid', 'customer_ids', 'customerids', 'original_id', 'email', 'phone', 'customer_name', 'full_name']);

function checkNoClearIdentifiers(value: JsonValue, path: string): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkNoClearIdentifiers(v, `${path}[${i}]`));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, v] of Object.entries(value as Record<string, JsonValue>)) {
    if (IDENTIFYING_KEYS.has(key.toLowerCase())) {
      const values = Array.isArray(v) ? v : [v];
      if (values.some((x) => x !== null && !isToken(x))) {
        throw new UserError(`audit ${path}.${key} holds a value that is not a customer token`, 'audit entries never hold personal data in clear: tokenise ids, leave contact details out');
      }
    } else {
      checkNoClearIdentifiers(v, `${path}.${key}`);
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
