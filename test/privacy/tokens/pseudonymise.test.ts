import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors/user-error.js';
import { encryptValue } from '../../../src/privacy/keys/encryption.js';
import { KeyError } from '../../../src/core/errors/key-error.js';
import { deriveSubkey, keyringFromKey, rotateKey } from '../../../src/privacy/keys/keyring.js';
import {
  assertRootKey,
  createPseudonymiser,
  createReidEntry,
  isToken,
  pseudonymiseId,
  reidentify,
} from '../../../src/privacy/tokens/pseudonymise.js';

const KEY = Buffer.alloc(32, 0x11);
const ring = keyringFromKey(KEY);

describe('pseudonymiseId', () => {
  it('is c_ + 26 base32 characters and matches HMAC-SHA256(HKDF subkey, "c_\\0" + id) computed independently', () => {
    const token = pseudonymiseId('C-1001', ring);
    expect(token).toMatch(/^c_[a-z2-7]{26}$/);
    expect(isToken(token)).toBe(true);
    const mac = createHmac('sha256', deriveSubkey(KEY, 'pseudonymise')).update('c_\0C-1001').digest();
    expect(token.slice(2)).toBe(base32Reference(mac.subarray(0, 16)));
  });

  it('is deterministic across calls, keyrings loaded separately and whitespace variants', () => {
    const again = keyringFromKey(Buffer.from(KEY));
    const token = pseudonymiseId('C-1001', ring);
    expect(pseudonymiseId('C-1001', again)).toBe(token);
    expect(pseudonymiseId('  C-1001\t', ring)).toBe(token);
    expect(pseudonymiseId('c-1001', ring)).not.toBe(token);
    expect(pseudonymiseId('c-1001', ring, { foldCase: true })).toBe(pseudonymiseId('C-1001', ring, { foldCase: true }));
  });

  it('differs under another key and for another prefix (domain separation)', () => {
    const token = pseudonymiseId('C-1001', ring);
    expect(pseudonymiseId('C-1001', keyringFromKey(Buffer.alloc(32, 0x12)))).not.toBe(token);
    const anon = pseudonymiseId('C-1001', ring, { prefix: 'a_' });
    expect(anon).toMatch(/^a_[a-z2-7]{26}$/);
    expect(anon.slice(2)).not.toBe(token.slice(2));
  });

  it('survives key rotation (tokens come from the root key)', () => {
    const rotated = rotateKey(ring, { key: Buffer.alloc(32, 0x99) });
    expect(pseudonymiseId('C-1001', rotated)).toBe(pseudonymiseId('C-1001', ring));
  });

  it('gives 100 000 distinct tokens for 100 000 distinct ids', () => {
    const pseudonymise = createPseudonymiser(ring);
    const tokens = new Set<string>();
    for (let i = 0; i < 100_000; i++) tokens.add(pseudonymise(`C-${i}`));
    expect(tokens.size).toBe(100_000);
  });

  it('rejects empty ids and bad prefixes with a UserError', () => {
    expect(() => pseudonymiseId('   ', ring)).toThrow(UserError);
    expect(() => pseudonymiseId('x', ring, { prefix: 'C-' })).toThrow(/prefix/);
  });
});

describe('re-identification', () => {
  it('createReidEntry → reidentify returns the normalised original id', () => {
    const entry = createReidEntry('  C-1001 ', ring);
    expect(entry.token).toBe(pseudonymiseId('C-1001', ring));
    expect(entry.idEnc).toMatch(/^v1:k[0-9a-f]{10}:/);
    expect(entry.idEnc).not.toContain('C-1001');
    expect(reidentify(entry, ring)).toBe('C-1001');
  });

  it('an entry moved to another token does not decrypt (ciphertext bound to its token)', () => {
    const a = createReidEntry('C-1', ring);
    const b = createReidEntry('C-2', ring);
    expect(() => reidentify({ token: b.token, idEnc: a.idEnc }, ring)).toThrow(KeyError);
  });

  it('a forged entry (valid encryption of another id under the token) is caught by the hash-back check', () => {
    const token = pseudonymiseId('C-1', ring);
    const forged = { token, idEnc: encryptValue('C-666', ring, { context: token }) };
    expect(() => reidentify(forged, ring)).toThrow(`re-identification entry for ${token} does not hash back to its token`);
  });

  it('still works after rotation and re-encryption with the new key', () => {
    const entry = createReidEntry('C-1001', ring);
    const rotated = rotateKey(ring, { key: Buffer.alloc(32, 0x77) });
    const fresh = createReidEntry('C-1001', rotated);
    expect(fresh.token).toBe(entry.token);
    expect(reidentify(fresh, rotated)).toBe('C-1001');
    expect(reidentify(entry, rotated)).toBe('C-1001');
  });
});

describe('assertRootKey', () => {
  it('passes for the same root key, throws KeyError naming both ids otherwise', () => {
    expect(() => assertRootKey(ring, ring.rootKeyId)).not.toThrow();
    const other = keyringFromKey(Buffer.alloc(32, 0x13));
    expect(() => assertRootKey(other, ring.rootKeyId)).toThrow(
      `the warehouse was pseudonymised with root key ${ring.rootKeyId}, but the keyring's root key is ${other.rootKeyId}`,
    );
  });
});

/** RFC 4648 base32 (lowercase, unpadded) written independently via a bit string. */
function base32Reference(bytes: Uint8Array): string {
  const bits = Array.from(bytes, (b) => b.toString(2).padStart(8, '0')).join('');
  const padded = bits.padEnd(Math.ceil(bits.length / 5) * 5, '0');
  let out = '';
  for (let i = 0; i < padded.length; i += 5) out += 'abcdefghijklmnopqrstuvwxyz234567'[parseInt(padded.slice(i, i + 5), 2)];
  return out;
}
