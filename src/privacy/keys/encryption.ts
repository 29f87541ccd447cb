import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, randomFillSync, type KeyObject } from 'node:crypto';
import { UserError } from '../../core/errors/user-error.js';
import { KeyError } from '../../core/errors/key-error.js';
import type { Keyring } from './keyring.js';

/** Envelope format version; the first field of every ciphertext. */
export const ENVELOPE_VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const ENVELOPE_PATTERN = /^v1:(k[0-9a-f]{10}):([A-Za-z0-9_-]+)$/;

/**
 * Ciphertext envelope of one value, a compact ASCII string:
 *
 * `v1:<keyId>:<base64url(nonce ‖ ciphertext ‖ tag)>`
 *
 * - AES-256-GCM under the HKDF subkey `clvkit/encrypt/v1` of master key `keyId`;
 * - nonce: 96 random bits, fresh for every value (so equal plaintexts give
 *   different envelopes; 2^32 values per key keep the collision risk under 2^-32);
 * - tag: 128 bits; the additional authenticated data is `v1:<keyId>` plus,
 *   when given, `\0<context>`, so the header cannot be altered and a value
 *   encrypted for one context (say a customer's token) does not decrypt in another.
 */
export interface Envelope {
  readonly version: typeof ENVELOPE_VERSION;
  readonly keyId: string;
  readonly nonce: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

export interface EncryptOptions {
  /**
   * Bound into the authentication tag; decryption must pass the same value.
   * Use it to pin a ciphertext to its row, e.g. the customer token.
   */
  readonly context?: string;
}

/**
 * Encrypts one UTF-8 value under the keyring's active key.
 *
 * Example: `encryptValue('zhang.li@example.com', ring)` → `'v1:k5c0e3b2a91:Jx0…'`
 */
export function encryptValue(plain: string, keyring: Keyring, options: EncryptOptions = {}): string {
  if (typeof plain !== 'string') throw new TypeError(`encryptValue expects a string, got ${typeof plain}`);
  const keyId = keyring.activeKeyId;
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyring.subkey(keyId, 'encrypt'), nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(keyId, options.context));
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const payload = Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]);
  return `${ENVELOPE_VERSION}:${keyId}:${payload.toString('base64url')}`;
}

/**
 * A fast encryptor for many values (ingest, re-encryption): the same envelopes
 * as `encryptValue` under the keyring's active key, about twice as fast
 * because the key object is built once and nonces are cut from a pool filled
 * by the OS CSPRNG (still 96 fresh random bits per value).
 *
 * Example: `const encrypt = createEncryptor(ring); encrypt('a@b.c', 'c_…')` → `'v1:k…:…'`
 */
export function createEncryptor(keyring: Keyring): (plain: string, context?: string) => string {
  const keyId = keyring.activeKeyId;
  const key: KeyObject = createSecretKey(keyring.subkey(keyId, 'encrypt'));
  const header = `${ENVELOPE_VERSION}:${keyId}`;
  const plainAad = Buffer.from(header, 'utf8');
  const pool = Buffer.alloc(NONCE_BYTES * 4096);
  let offset = pool.length;
  return (plain: string, context?: string): string => {
    if (typeof plain !== 'string') throw new TypeError(`encrypt expects a string, got ${typeof plain}`);
    if (offset >= pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const nonce = Buffer.from(pool.subarray(offset, offset + NONCE_BYTES));
    offset += NONCE_BYTES;
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(context === undefined ? plainAad : additionalData(keyId, context));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${header}:${Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]).toString('base64url')}`;
  };
}

/**
 * Decrypts an envelope from `encryptValue`. Throws `KeyError` when the key is
 * not in the keyring or authentication fails (wrong key, wrong context, or an
 * altered value) — it never returns unauthenticated bytes — and `UserError`
 * when the text is not an envelope.
 *
 * Example: `decryptValue(encryptValue('x', ring), ring)` → `'x'`
 */
export function decryptValue(envelope: string, keyring: Keyring, options: EncryptOptions = {}): string {
  const parsed = parseEnvelope(envelope);
  const key = keyring.subkey(parsed.keyId, 'encrypt');
  const decipher = createDecipheriv('aes-256-gcm', key, parsed.nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(parsed.keyId, options.context));
  decipher.setAuthTag(parsed.tag);
  const update = decipher.update(parsed.ciphertext);
  try {
    const final = decipher.final();
    return Buffer.concat([update, final]).toString('utf8');
  } catch {
    update.fill(0);
    throw new KeyError(
      `cannot decrypt a value under key ${parsed.keyId}: authentication failed (the key bytes are wrong, the context differs, or the value was altered)`,
      'check that the key file or CLVKIT_KEY is the one that wrote this data; if it is, the stored value was corrupted or tampered with',
    );
  }
}

/** True when `text` has the shape of an envelope (does not check the tag). */
export function isEnvelope(text: unknown): text is string {
  return typeof text === 'string' && ENVELOPE_PATTERN.test(text) && decodedLength(text) >= NONCE_BYTES + TAG_BYTES;
}

/** Splits an envelope into its parts; `UserError` when it is not one. */
export function parseEnvelope(envelope: string): Envelope {
  const match = typeof envelope === 'string' ? ENVELOPE_PATTERN.exec(envelope) : null;
  if (!match) {
    const version = typeof envelope === 'string' ? /^(v\d+):/.exec(envelope)?.[1] : undefined;
    throw new UserError(
      version && version !== ENVELOPE_VERSION
        ? `ciphertext format ${version} is not supported (this clvkit reads ${ENVELOPE_VERSION})`
        : 'value is not a clvkit ciphertext (expected v1:<keyId>:<base64url>)',
      'encrypted columns hold the output of encryptValue(); was a clear value written into one?',
    );
  }
  const payload = Buffer.from(match[2], 'base64url');
  if (payload.length < NONCE_BYTES + TAG_BYTES) {
    throw new UserError(`ciphertext is truncated (${payload.length} bytes, at least ${NONCE_BYTES + TAG_BYTES} expected)`, 'the stored value was cut short');
  }
  return {
    version: ENVELOPE_VERSION,
    keyId: match[1],
    nonce: payload.subarray(0, NONCE_BYTES),
    ciphertext: payload.subarray(NONCE_BYTES, payload.length - TAG_BYTES),
    tag: payload.subarray(payload.length - TAG_BYTES),
  };
}

/** The key id an envelope was written under. */
export function envelopeKeyId(envelope: string): string {
  return parseEnvelope(envelope).keyId;
}

export interface ReencryptOptions extends EncryptOptions {
  /** re-encrypt values already under the active key too (fresh nonces); default false */
  readonly force?: boolean;
}

/**
 * The envelope under the active key: decrypts with whichever key wrote it and
 * encrypts again. A value already under the active key is returned unchanged
 * (so a re-encryption that was interrupted can simply be run again).
 */
export function reencryptValue(envelope: string, keyring: Keyring, options: ReencryptOptions = {}): string {
  if (!options.force && envelopeKeyId(envelope) === keyring.activeKeyId) return envelope;
  return encryptValue(decryptValue(envelope, keyring, options), keyring, options);
}

export interface ReencryptResult {
  /** same order and length as the input; nulls stay null */
  readonly values: (string | null)[];
  readonly reencrypted: number;
  readonly unchanged: number;
  readonly nulls: number;
}

/**
 * Re-encrypts a batch of envelopes (one column's values) under the active key;
 * see `reencryptValue`. All-or-nothing per batch: the first value that fails
 * to decrypt throws and nothing is returned.
 *
 * Example: `reencryptValues([a, null, b], rotateKey(ring))` → `{ values: [a', null, b'], reencrypted: 2, unchanged: 0, nulls: 1 }`
 */
export function reencryptValues(envelopes: Iterable<string | null>, keyring: Keyring, options: ReencryptOptions = {}): ReencryptResult {
  const values: (string | null)[] = [];
  let reencrypted = 0;
  let unchanged = 0;
  let nulls = 0;
  for (const envelope of envelopes) {
    if (envelope === null) {
      values.push(null);
      nulls++;
      continue;
    }
    const next = reencryptValue(envelope, keyring, options);
    if (next === envelope) unchanged++;
    else reencrypted++;
    values.push(next);
  }
  return { values, reencrypted, unchanged, nulls };
}

/** The header bound into the tag of `encryptBytes`: another label than the envelopes', so neither decrypts as the other. */
const BYTES_LABEL = 'clvkit/bytes/v1';

/**
 * Bytes encrypted under the key `keyId` of the keyring, in binary — `nonce (12) ‖ ciphertext ‖ tag (16)` — for payloads
 * too large for a text envelope (the ingest write-ahead log's batches: base64 would add a third). AES-256-GCM under
 * the key's `encrypt` HKDF subkey, as `encryptValue`, a fresh random nonce each time; the caller keeps `keyId` beside
 * the bytes, and `context` (what the bytes belong to, e.g. a batch id) is bound into the tag with it.
 *
 * Example: `decryptBytes(encryptBytes(Buffer.from('x'), ring, ring.rootKeyId, 'b1'), ring, ring.rootKeyId, 'b1')` → `<Buffer 78>`
 */
export function encryptBytes(plain: Buffer, keyring: Keyring, keyId: string, context: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyring.subkey(keyId, 'encrypt'), nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(keyId, context, BYTES_LABEL));
  return Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/**
 * The bytes `encryptBytes` encrypted; `KeyError` when `keyId` is not in the keyring or authentication fails (another
 * key, another context, altered or cut bytes) — never unauthenticated bytes.
 */
export function decryptBytes(payload: Buffer, keyring: Keyring, keyId: string, context: string): Buffer {
  const fail = () =>
    new KeyError(
      `cannot decrypt data under key ${keyId}: authentication failed (the key bytes are wrong, the context differs, or the data was altered)`,
      'check that the key file or CLVKIT_KEY is the one that wrote this data; if it is, the stored data was corrupted or tampered with',
    );
  if (payload.length < NONCE_BYTES + TAG_BYTES) throw fail();
  const decipher = createDecipheriv('aes-256-gcm', keyring.subkey(keyId, 'encrypt'), payload.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(keyId, context, BYTES_LABEL));
  decipher.setAuthTag(payload.subarray(payload.length - TAG_BYTES));
  const update = decipher.update(payload.subarray(NONCE_BYTES, payload.length - TAG_BYTES));
  try {
    return Buffer.concat([update, decipher.final()]);
  } catch {
    update.fill(0);
    throw fail();
  }
}

/** What the tag binds: the format's label (the envelopes' version, or `encryptBytes`' label), the key id, the context. */
function additionalData(keyId: string, context: string | undefined, label: string = ENVELOPE_VERSION): Buffer {
  return Buffer.from(context === undefined ? `${label}:${keyId}` : `${label}:${keyId}\0${context}`, 'utf8');
}

function decodedLength(envelope: string): number {
  const b64 = envelope.slice(envelope.lastIndexOf(':') + 1);
  return Math.floor((b64.length * 3) / 4);
}
