import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors/user-error.js';
import {
  createEncryptor,
  decryptBytes,
  decryptValue,
  encryptBytes,
  encryptValue,
  envelopeKeyId,
  isEnvelope,
  parseEnvelope,
  reencryptValue,
  reencryptValues,
} from '../../../src/privacy/keys/encryption.js';
import { KeyError } from '../../../src/core/errors/key-error.js';
import { deriveSubkey, keyIdOf, keyringFromKey, retireKey, rotateKey } from '../../../src/privacy/keys/keyring.js';

const KEY_A = Buffer.alloc(32, 0xa1);
const KEY_B = Buffer.alloc(32, 0xb2);
const ring = keyringFromKey(KEY_A);

describe('encryptValue / decryptValue', () => {
  it('round-trips ASCII, Unicode, empty and long values', () => {
    for (const plain of ['zhang.li@example.com', 'Łukasz Żółć', '张伟 北京市朝阳区', '', '😀 e\u0301', 'x'.repeat(10_000)]) {
      const envelope = encryptValue(plain, ring);
      expect(decryptValue(envelope, ring), `plain ${JSON.stringify(plain.slice(0, 20))}`).toBe(plain);
    }
  });

  it('writes v1:<keyId>:<base64url>, 12-byte nonce + ciphertext + 16-byte tag', () => {
    const envelope = encryptValue('abc', ring);
    expect(envelope).toMatch(/^v1:k[0-9a-f]{10}:[A-Za-z0-9_-]+$/);
    expect(envelopeKeyId(envelope)).toBe(keyIdOf(KEY_A));
    const parts = parseEnvelope(envelope);
    expect(parts.nonce).toHaveLength(12);
    expect(parts.tag).toHaveLength(16);
    expect(parts.ciphertext).toHaveLength(3);
    expect(isEnvelope(envelope)).toBe(true);
    expect(isEnvelope('zhang.li@example.com')).toBe(false);
  });

  it('is AES-256-GCM under the HKDF encrypt subkey with AAD v1:<keyId> (independent re-implementation)', () => {
    const envelope = encryptValue('hello', ring);
    const { nonce, ciphertext, tag } = parseEnvelope(envelope);
    const cipher = createCipheriv('aes-256-gcm', deriveSubkey(KEY_A, 'encrypt'), nonce);
    cipher.setAAD(Buffer.from(`v1:${keyIdOf(KEY_A)}`));
    const expected = Buffer.concat([cipher.update('hello', 'utf8'), cipher.final()]);
    expect(ciphertext.equals(expected)).toBe(true);
    expect(cipher.getAuthTag().equals(tag)).toBe(true);
  });

  it('uses a fresh nonce per value: 1000 encryptions of one value are all different', () => {
    const envelopes = new Set(Array.from({ length: 1000 }, () => encryptValue('same', ring)));
    expect(envelopes.size).toBe(1000);
    const nonces = new Set([...envelopes].map((e) => parseEnvelope(e).nonce.toString('hex')));
    expect(nonces.size).toBe(1000);
  });

  it('wrong key (another CLVKIT_KEY): KeyError naming the missing key id with a hint', () => {
    const envelope = encryptValue('secret', ring);
    const other = keyringFromKey(KEY_B, { source: 'env' });
    let error: unknown;
    try {
      decryptValue(envelope, other);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KeyError);
    expect(error).toBeInstanceOf(UserError);
    expect((error as KeyError).message).toBe(`no key ${keyIdOf(KEY_A)} in the keyring (holds ${keyIdOf(KEY_B)}, from CLVKIT_KEY)`);
    expect((error as KeyError).hint).toContain(keyIdOf(KEY_A));
    expect((error as KeyError).message).not.toContain('secret');
  });

  it('a forged envelope that claims the right key id but was made with other key bytes fails authentication', () => {
    const forged = encryptValue('secret', keyringFromKey(KEY_B)).replace(keyIdOf(KEY_B), keyIdOf(KEY_A));
    expect(() => decryptValue(forged, ring)).toThrow(KeyError);
    expect(() => decryptValue(forged, ring)).toThrow(/authentication failed/);
  });

  it('every single-bit flip of the payload is rejected; never returns garbage', () => {
    const envelope = encryptValue('zhang.li@example.com', ring);
    const { nonce, ciphertext, tag } = parseEnvelope(envelope);
    const payload = Buffer.concat([nonce, ciphertext, tag]);
    let rejected = 0;
    for (let bit = 0; bit < payload.length * 8; bit++) {
      const flipped = Buffer.from(payload);
      flipped[bit >> 3] ^= 1 << (bit & 7);
      const tampered = `v1:${keyIdOf(KEY_A)}:${flipped.toString('base64url')}`;
      try {
        decryptValue(tampered, ring);
      } catch (error) {
        if (error instanceof KeyError) rejected++;
      }
    }
    expect(rejected).toBe(payload.length * 8);
  });

  it('context binds a value to its row: another context fails, the same context decrypts', () => {
    const envelope = encryptValue('zhang.li@example.com', ring, { context: 'c_row1' });
    expect(decryptValue(envelope, ring, { context: 'c_row1' })).toBe('zhang.li@example.com');
    expect(() => decryptValue(envelope, ring, { context: 'c_row2' })).toThrow(KeyError);
    expect(() => decryptValue(envelope, ring)).toThrow(KeyError);
  });

  it('text that is not an envelope is a UserError (not a KeyError); other versions are named', () => {
    for (const bad of ['zhang.li@example.com', 'v1:kzz:abc', `v1:${keyIdOf(KEY_A)}:`, `v1:${keyIdOf(KEY_A)}:AAAA`]) {
      expect(() => decryptValue(bad, ring), bad).toThrow(UserError);
    }
    expect(() => decryptValue(`v1:${keyIdOf(KEY_A)}:AAAA`, ring)).toThrow(/truncated/);
    expect(() => decryptValue('v2:k0123456789:AAAA', ring)).toThrow('ciphertext format v2 is not supported (this clvkit reads v1)');
  });
});

describe('key rotation', () => {
  it('round-trips 2000 values: old key → rotate → re-encrypt → retire old key → all decrypt', () => {
    const values = Array.from({ length: 2000 }, (_, i) => (i % 7 === 0 ? null : `customer-${i}@example.com · Żółć ${i}`));
    const before = values.map((v) => (v === null ? null : encryptValue(v, ring)));
    const rotated = rotateKey(ring, { key: KEY_B });
    // before re-encryption, the rotated keyring still reads old values
    expect(decryptValue(before[1] as string, rotated)).toBe(values[1]);
    const result = reencryptValues(before, rotated);
    const expectedNulls = values.filter((v) => v === null).length;
    expect(result.nulls).toBe(expectedNulls);
    expect(result.reencrypted).toBe(2000 - expectedNulls);
    expect(result.unchanged).toBe(0);
    expect(result.values).toHaveLength(2000);
    const retired = retireKey(rotateKey(rotated, { key: Buffer.alloc(32, 0xc3) }), keyIdOf(KEY_B));
    // KEY_A stays (root); a keyring with only KEY_B would also do — check with that one
    const onlyB = keyringFromKey(KEY_B);
    result.values.forEach((envelope, i) => {
      if (values[i] === null) {
        expect(envelope).toBeNull();
        return;
      }
      expect(envelopeKeyId(envelope as string)).toBe(keyIdOf(KEY_B));
      expect(decryptValue(envelope as string, onlyB)).toBe(values[i]);
    });
    expect(retired.has(keyIdOf(KEY_B))).toBe(false);
    // old envelopes no longer decrypt with a keyring that lacks KEY_A
    expect(() => decryptValue(before[1] as string, onlyB)).toThrow(KeyError);
  });

  it('re-encryption is idempotent: a second pass changes nothing', () => {
    const rotated = rotateKey(ring, { key: KEY_B });
    const once = reencryptValues([encryptValue('a', ring), encryptValue('b', ring)], rotated);
    const twice = reencryptValues(once.values, rotated);
    expect(twice.values).toEqual(once.values);
    expect(twice.unchanged).toBe(2);
    expect(twice.reencrypted).toBe(0);
    const forced = reencryptValue(once.values[0] as string, rotated, { force: true });
    expect(forced).not.toBe(once.values[0]);
    expect(decryptValue(forced, rotated)).toBe('a');
  });

  it('re-encryption of a value written with an unknown key fails with KeyError', () => {
    const foreign = encryptValue('x', keyringFromKey(Buffer.alloc(32, 0xdd)));
    expect(() => reencryptValues([foreign], rotateKey(ring, { key: KEY_B }))).toThrow(KeyError);
  });
});

describe('createEncryptor', () => {
  it('makes the same envelopes as encryptValue: fresh nonces, bound to the context, decrypted by decryptValue', () => {
    const keyring = keyringFromKey(Buffer.alloc(32, 0x2a));
    const decrypt = decryptValue;
    const parse = parseEnvelope;
    const encrypt = createEncryptor(keyring);
    const values = Array.from({ length: 5000 }, (_, i) => encrypt(`zhang.li+${i}@example.com`, `c_${i}`));
    expect(new Set(values.map((v) => parse(v).nonce.toString('hex'))).size).toBe(5000);
    values.forEach((v, i) => expect(decrypt(v, keyring, { context: `c_${i}` })).toBe(`zhang.li+${i}@example.com`));
    expect(() => decrypt(values[0]!, keyring, { context: 'c_1' })).toThrow(/authentication failed/);
    expect(decrypt(encrypt('no context'), keyring)).toBe('no context');
    expect(values[0]!.startsWith(`v1:${keyring.activeKeyId}:`)).toBe(true);
  });
});

describe('encryptBytes / decryptBytes', () => {
  it('round-trips bytes under the key given, a fresh nonce each time; another context, key or a changed byte fails with KeyError', () => {
    const rotated = rotateKey(ring, { key: KEY_B }); // KEY_A stays the root, KEY_B is active
    const plain = Buffer.from('{"customer_id":"zhang.li@example.com","query":"call +44 7700 900123"}\n');
    const sealed = encryptBytes(plain, rotated, rotated.rootKeyId, 'b1');
    expect(sealed.length).toBe(12 + plain.length + 16);
    expect(sealed.includes('zhang.li')).toBe(false);
    expect(encryptBytes(plain, rotated, rotated.rootKeyId, 'b1').equals(sealed)).toBe(false);
    expect(decryptBytes(sealed, rotated, rotated.rootKeyId, 'b1').equals(plain)).toBe(true);
    expect(decryptBytes(sealed, ring, ring.rootKeyId, 'b1').equals(plain)).toBe(true); // the root key alone opens it
    expect(() => decryptBytes(sealed, rotated, rotated.rootKeyId, 'b2')).toThrow(KeyError);
    expect(() => decryptBytes(sealed, rotated, rotated.activeKeyId, 'b1')).toThrow(KeyError);
    const altered = Buffer.from(sealed);
    altered[20]! ^= 1;
    expect(() => decryptBytes(altered, rotated, rotated.rootKeyId, 'b1')).toThrow(/authentication failed/);
    expect(() => decryptBytes(sealed.subarray(0, 20), rotated, rotated.rootKeyId, 'b1')).toThrow(KeyError);
    // not an envelope's: the text envelope of the same key does not open as bytes
    expect(() => decryptBytes(parseEnvelopeBytes(encryptValue('x', ring)), ring, ring.rootKeyId, 'b1')).toThrow(KeyError);
  });
});

function parseEnvelopeBytes(envelope: string): Buffer {
  const { nonce, ciphertext, tag } = parseEnvelope(envelope);
  return Buffer.concat([nonce, ciphertext, tag]);
}
