import { createHmac } from 'node:crypto';
import { UserError } from '../../core/errors/user-error.js';
import { decryptValue, encryptValue } from '../keys/encryption.js';
import { KeyError } from '../../core/errors/key-error.js';
import type { Keyring } from '../keys/keyring.js';
import { normaliseIdentifier } from './normalise-identifier.js';

/** Prefix of customer tokens. */
export const CUSTOMER_TOKEN_PREFIX = 'c_';
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** Characters of base32 in a token: 128 bits → 26 characters. */
const TOKEN_BODY_LENGTH = 26;

export interface PseudonymiseOptions {
  /**
   * Token prefix, also a domain label inside the HMAC, so `c_` (customers)
   * and, say, `a_` (anonymous visitor ids) give unrelated tokens for the same
   * text. Lowercase letters and digits ending in `_`; default `c_`.
   */
  readonly prefix?: string;
  /** lower-case the id before hashing (for case-insensitive ids such as e-mail addresses); default false */
  readonly foldCase?: boolean;
}

/**
 * A function that turns identifiers into tokens: `prefix` + base32 of the
 * first 16 bytes of HMAC-SHA256(k, prefix ‖ 0x00 ‖ normalised id), where k is
 * the `pseudonymise` HKDF subkey of the keyring's **root** key — so tokens
 * are the same in every file and every run under the same `CLVKIT_KEY`, and
 * survive key rotation.
 *
 * Collision odds: tokens carry 128 bits; for n distinct ids the chance that
 * any two share a token is about n²/2^129 — 1.5·10⁻²¹ for a billion
 * customers. Without the key, tokens cannot be linked back to ids, even by
 * hashing guessed ids.
 *
 * Throws `UserError` for an empty id (after normalisation).
 *
 * Example: `createPseudonymiser(ring)('C-1001')` → `'c_' + 26 base32 characters`
 */
export function createPseudonymiser(keyring: Keyring, options: PseudonymiseOptions = {}): (id: string) => string {
  const prefix = checkPrefix(options.prefix ?? CUSTOMER_TOKEN_PREFIX);
  const key = keyring.subkey(keyring.rootKeyId, 'pseudonymise');
  const foldCase = options.foldCase ?? false;
  return (id: string): string => {
    if (typeof id !== 'string') throw new UserError(`identifier must be text, got ${typeof id}`, 'convert ids to strings before pseudonymising');
    const normalised = normaliseIdentifier(id, { foldCase });
    if (normalised === '') throw new UserError('identifier is empty', 'rows without an identifier belong in quarantine');
    const mac = createHmac('sha256', key).update(prefix, 'utf8').update('\0').update(normalised, 'utf8').digest();
    return prefix + base32(mac.subarray(0, 16));
  };
}

/**
 * A secret (hex text) to mix into the row hashes that make ingest idempotent,
 * derived from the root key's `pseudonymise` subkey: the stored hash of an
 * input row (which contains the raw customer id and any personal columns)
 * cannot be confirmed by hashing a guessed row without the key, and stays the
 * same across key rotations.
 */
export function rowHashSecret(keyring: Keyring): string {
  return createHmac('sha256', keyring.subkey(keyring.rootKeyId, 'pseudonymise')).update('clvkit/row-hash/v1').digest('hex');
}

/**
 * One identifier → token; see `createPseudonymiser` (prefer that in loops:
 * it derives the key once).
 *
 * Example: `pseudonymiseId('C-1001', ring) === pseudonymiseId(' C-1001 ', ring)` → `true`
 */
export function pseudonymiseId(id: string, keyring: Keyring, options: PseudonymiseOptions = {}): string {
  return createPseudonymiser(keyring, options)(id);
}

/** True when `value` has the shape of a token with `prefix` (default `c_`). */
export function isToken(value: unknown, prefix: string = CUSTOMER_TOKEN_PREFIX): value is string {
  return typeof value === 'string' && value.length === prefix.length + TOKEN_BODY_LENGTH && value.startsWith(prefix) && /^[a-z2-7]+$/.test(value.slice(prefix.length));
}

/**
 * The customer token an id a person gives is (to erase, in an opt-out list), read as pasted: white space at its
 * edges dropped and case folded (tokens are lower case); null when it is not token-shaped then (an original id).
 *
 * Example: `tokenAsGiven(' C_22QXS4TSDCMGO3COYLCR6AXI5M\r')` → `'c_22qxs4tsdcmgo3coylcr6axi5m'`
 */
export function tokenAsGiven(id: string): string | null {
  const token = normaliseIdentifier(id).toLowerCase();
  return isToken(token) ? token : null;
}

/** A row of the `customer_reid` table: token → the original id, encrypted and bound to the token. */
export interface ReidEntry {
  readonly token: string;
  /** envelope of the normalised original id, encrypted with context = token */
  readonly idEnc: string;
}

/**
 * The token of an id and its re-identification entry. The ciphertext is bound
 * to the token (AES-GCM additional data), so an entry moved to another token
 * does not decrypt.
 *
 * Example: `createReidEntry('C-1001', ring)` → `{ token: 'c_…', idEnc: 'v1:k…:…' }`
 */
export function createReidEntry(id: string, keyring: Keyring, options: PseudonymiseOptions = {}): ReidEntry {
  const token = pseudonymiseId(id, keyring, options);
  return { token, idEnc: encryptValue(normaliseIdentifier(id, options), keyring, { context: token }) };
}

/**
 * The original id of a re-identification entry. Checks that the id hashes back
 * to the token, so a swapped or forged entry throws `KeyError` rather than
 * naming the wrong person. Callers must check the `reidentify` permission and
 * write an audit entry.
 */
export function reidentify(entry: ReidEntry, keyring: Keyring, options: PseudonymiseOptions = {}): string {
  const id = decryptValue(entry.idEnc, keyring, { context: entry.token });
  if (pseudonymiseId(id, keyring, options) !== entry.token) {
    throw new KeyError(
      `re-identification entry for ${entry.token} does not hash back to its token`,
      'the root key differs from the one that made the token, or the token prefix/case options differ',
    );
  }
  return id;
}

/**
 * Guards against tokenising with a different root key than the warehouse was
 * built with (which would silently split every customer in two): the
 * warehouse stores `keyring.rootKeyId` once and checks it on every open.
 */
export function assertRootKey(keyring: Keyring, expectedRootKeyId: string): void {
  if (keyring.rootKeyId !== expectedRootKeyId) {
    throw new KeyError(
      `the warehouse was pseudonymised with root key ${expectedRootKeyId}, but the keyring's root key is ${keyring.rootKeyId}`,
      `load the key file or CLVKIT_KEY that holds ${expectedRootKeyId}; tokens made with another key would not match`,
    );
  }
}

function checkPrefix(prefix: string): string {
  if (!/^[a-z][a-z0-9]*_$/.test(prefix)) {
    throw new UserError(`token prefix ${JSON.stringify(prefix)} is invalid`, 'use lowercase letters/digits ending in "_", e.g. "c_"');
  }
  return prefix;
}

/** RFC 4648 base32, lowercase, no padding. */
function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}
