import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { KeyError } from '../../core/errors/key-error.js';

/** Bytes in a master key (AES-256). */
export const KEY_BYTES = 32;

/** Where a keyring came from; shown in reports and error messages, never the key itself. */
export type KeySource = 'env' | 'file' | 'memory';

/**
 * Purposes a master key is stretched into (HKDF-SHA256, one `info` label
 * each), so that the raw master key is never used directly and a subkey
 * for one purpose says nothing about another.
 */
export type KeyPurpose = 'encrypt' | 'pseudonymise' | 'audit-mac';

/** One master key as stored: id, creation time and the 32 key bytes. */
export interface KeyEntry {
  /** `k` + 10 hex digits of SHA-256 over a label and the key; see `keyIdOf` */
  readonly id: string;
  /** ISO-8601 UTC; null when unknown (a key from `CLVKIT_KEY`) */
  readonly createdAt: string | null;
  readonly key: Buffer;
}

/** What may be shown about a key: everything but the key bytes. */
export interface KeyInfo {
  readonly id: string;
  readonly createdAt: string | null;
  /** new values are encrypted under this key */
  readonly active: boolean;
  /** pseudonymisation and audit-MAC keys are derived from this key */
  readonly root: boolean;
}

export interface KeyringInit {
  readonly keys: readonly KeyEntry[];
  readonly activeKeyId: string;
  /** defaults to the oldest key (the first entry) */
  readonly rootKeyId?: string;
  readonly source: KeySource;
  /** the key file, when `source` is 'file' */
  readonly path?: string;
}

const KEY_ID_LABEL = 'clvkit/key-id/v1\0';
const HKDF_SALT = Buffer.from('clvkit', 'utf8');
const subkeyCache = new WeakMap<Buffer, Map<KeyPurpose, Buffer>>();

/**
 * The master keys clvkit holds. Two keys have special jobs:
 *
 * - the **active** key encrypts new values; older keys stay to decrypt values
 *   written before a rotation, until they are re-encrypted and the old key is
 *   retired;
 * - the **root** key is where the *stable* subkeys come from — the
 *   pseudonymisation key (customer tokens must not change when the encryption
 *   key rotates, or yesterday's customer becomes a new one) and the audit-log
 *   MAC key. A rotation keeps the root; changing it means re-tokenising the
 *   warehouse.
 *
 * Immutable; `rotateKey` and `retireKey` return a new keyring. `JSON.stringify`
 * and `console.log` show key ids only, never key bytes.
 */
export class Keyring {
  readonly activeKeyId: string;
  readonly rootKeyId: string;
  readonly source: KeySource;
  readonly path: string | undefined;
  readonly #keys: ReadonlyMap<string, KeyEntry>;

  constructor(init: KeyringInit) {
    if (init.keys.length === 0) throw new KeyError('a keyring needs at least one key', 'create one with initKeyFile() or set CLVKIT_KEY');
    const keys = new Map<string, KeyEntry>();
    for (const entry of init.keys) {
      if (entry.key.length !== KEY_BYTES) {
        throw new KeyError(`key ${entry.id} is ${entry.key.length} bytes, expected ${KEY_BYTES}`, 'generate a key with `openssl rand -base64 32`');
      }
      if (keyIdOf(entry.key) !== entry.id) {
        throw new KeyError(`key ${entry.id} does not match its id (expected ${keyIdOf(entry.key)}): the key bytes were altered`, 'restore the key file from a backup');
      }
      if (keys.has(entry.id)) throw new KeyError(`key ${entry.id} appears twice in the keyring`, 'remove the duplicate entry');
      keys.set(entry.id, Object.freeze({ id: entry.id, createdAt: entry.createdAt, key: Buffer.from(entry.key) }));
    }
    const rootKeyId = init.rootKeyId ?? init.keys[0].id;
    if (!keys.has(init.activeKeyId)) throw new KeyError(`active key ${init.activeKeyId} is not in the keyring`, 'set activeKeyId to one of the listed keys');
    if (!keys.has(rootKeyId)) throw new KeyError(`root key ${rootKeyId} is not in the keyring`, 'the root key derives customer tokens; restore it from a backup');
    this.#keys = keys;
    this.activeKeyId = init.activeKeyId;
    this.rootKeyId = rootKeyId;
    this.source = init.source;
    this.path = init.path;
    Object.freeze(this);
  }

  /** Key ids, oldest first. */
  keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  has(keyId: string): boolean {
    return this.#keys.has(keyId);
  }

  /** Everything about the keys except their bytes, oldest first. */
  info(): KeyInfo[] {
    return [...this.#keys.values()].map((k) => ({
      id: k.id,
      createdAt: k.createdAt,
      active: k.id === this.activeKeyId,
      root: k.id === this.rootKeyId,
    }));
  }

  /**
   * The raw entry (with key bytes) — for the key file writer and the
   * derivation below only; never log or return it to a caller outside
   * `src/privacy/`.
   */
  entry(keyId: string): KeyEntry {
    const entry = this.#keys.get(keyId);
    if (!entry) {
      throw new KeyError(
        `no key ${keyId} in the keyring (holds ${this.keyIds().join(', ')}, from ${describeSource(this)})`,
        keyId === this.activeKeyId ? undefined : `load the key file or CLVKIT_KEY that holds ${keyId}; the data was written with that key`,
      );
    }
    return entry;
  }

  /** Subkey for a purpose under a given master key (HKDF-SHA256). */
  subkey(keyId: string, purpose: KeyPurpose): Buffer {
    return deriveSubkey(this.entry(keyId).key, purpose);
  }

  toJSON(): { source: KeySource; path?: string; activeKeyId: string; rootKeyId: string; keys: KeyInfo[] } {
    return { source: this.source, ...(this.path ? { path: this.path } : {}), activeKeyId: this.activeKeyId, rootKeyId: this.rootKeyId, keys: this.info() };
  }

  [inspect.custom](): string {
    return `Keyring(${this.keyIds().join(', ')}; active ${this.activeKeyId}; root ${this.rootKeyId}; ${describeSource(this)})`;
  }
}

function describeSource(keyring: Keyring): string {
  return keyring.source === 'file' ? `key file ${keyring.path ?? '?'}` : keyring.source === 'env' ? 'CLVKIT_KEY' : 'memory';
}

/** 32 fresh random bytes from the OS CSPRNG. */
export function generateKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/**
 * A key's id: `k` + the first 10 hex digits (40 bits) of SHA-256 over a fixed
 * label and the key. The same key has the same id wherever it is loaded from
 * (env or file), so a value is always found by the key that wrote it; the
 * id reveals nothing usable about a random 256-bit key.
 *
 * Example: `keyIdOf(Buffer.alloc(32))` → `'k' + 10 hex digits`
 */
export function keyIdOf(key: Buffer): string {
  return 'k' + createHash('sha256').update(KEY_ID_LABEL).update(key).digest('hex').slice(0, 10);
}

/**
 * Decodes a base64 (or base64url) 32-byte key, e.g. the value of
 * `CLVKIT_KEY`. Throws `KeyError` naming `label` (never echoing the value).
 *
 * Example: `parseKey(randomBytes(32).toString('base64'), 'CLVKIT_KEY')` → 32-byte Buffer
 */
export function parseKey(encoded: string, label: string): Buffer {
  const text = encoded.trim();
  const hint = 'a key is 32 random bytes in base64, e.g. from `openssl rand -base64 32`';
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) throw new KeyError(`${label} is not base64`, hint);
  const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== KEY_BYTES) throw new KeyError(`${label} decodes to ${key.length} bytes, expected ${KEY_BYTES}`, hint);
  return key;
}

/**
 * HKDF-SHA256 of a master key for one purpose (salt `clvkit`, info
 * `clvkit/<purpose>/v1`), 32 bytes, cached per key.
 */
export function deriveSubkey(masterKey: Buffer, purpose: KeyPurpose): Buffer {
  let perKey = subkeyCache.get(masterKey);
  if (!perKey) {
    perKey = new Map();
    subkeyCache.set(masterKey, perKey);
  }
  let subkey = perKey.get(purpose);
  if (!subkey) {
    subkey = Buffer.from(hkdfSync('sha256', masterKey, HKDF_SALT, `clvkit/${purpose}/v1`, KEY_BYTES));
    perKey.set(purpose, subkey);
  }
  return subkey;
}

export interface KeyringFromKeyOptions {
  readonly source?: KeySource;
  readonly createdAt?: string | null;
}

/**
 * A keyring of one key (active and root), e.g. from `CLVKIT_KEY`.
 *
 * Example: `keyringFromKey(generateKey()).keyIds()` → `['k…']`
 */
export function keyringFromKey(key: Buffer, options: KeyringFromKeyOptions = {}): Keyring {
  const id = keyIdOf(key);
  return new Keyring({ keys: [{ id, createdAt: options.createdAt ?? null, key }], activeKeyId: id, source: options.source ?? 'memory' });
}

export interface RotateKeyOptions {
  /** the new key; a fresh random key by default */
  readonly key?: Buffer;
  /** creation time recorded for the new key; now by default */
  readonly now?: Date;
}

/**
 * A new keyring with one more key, which becomes the active key. The root key
 * (customer tokens, audit MAC) does not change. Values already encrypted stay
 * readable under their old key; `reencryptValues` moves them to the new one.
 *
 * Example: `rotateKey(ring).activeKeyId !== ring.activeKeyId` → `true`
 */
export function rotateKey(keyring: Keyring, options: RotateKeyOptions = {}): Keyring {
  const key = options.key ?? generateKey();
  const id = keyIdOf(key);
  if (keyring.has(id)) throw new KeyError(`key ${id} is already in the keyring`, 'rotate to a new, never-used key');
  const entries = keyring.keyIds().map((k) => keyring.entry(k));
  return new Keyring({
    keys: [...entries, { id, createdAt: (options.now ?? new Date()).toISOString(), key }],
    activeKeyId: id,
    rootKeyId: keyring.rootKeyId,
    source: keyring.source,
    path: keyring.path,
  });
}

/**
 * A new keyring without `keyId`. Refuses the active key and the root key.
 * Retire a key only after every value encrypted under it was re-encrypted:
 * values still under it become unreadable.
 */
export function retireKey(keyring: Keyring, keyId: string): Keyring {
  keyring.entry(keyId);
  if (keyId === keyring.activeKeyId) throw new KeyError(`key ${keyId} is the active key and cannot be retired`, 'rotate to a new key first');
  if (keyId === keyring.rootKeyId) {
    throw new KeyError(`key ${keyId} is the root key (customer tokens and the audit MAC derive from it) and cannot be retired`, 'keep it; it is no longer used for encryption once the data is re-encrypted');
  }
  return new Keyring({
    keys: keyring.keyIds().filter((k) => k !== keyId).map((k) => keyring.entry(k)),
    activeKeyId: keyring.activeKeyId,
    rootKeyId: keyring.rootKeyId,
    source: keyring.source,
    path: keyring.path,
  });
}
