import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { KeyError } from '../../../src/core/errors/key-error.js';
import { UserError } from '../../../src/core/errors/user-error.js';
import { deriveSubkey, generateKey, keyIdOf, Keyring, keyringFromKey, parseKey, retireKey, rotateKey } from '../../../src/privacy/keys/keyring.js';

const KEY_A = Buffer.alloc(32, 1);
const KEY_B = Buffer.alloc(32, 2);

describe('keyIdOf', () => {
  it('is k + 10 hex digits, deterministic, different for different keys', () => {
    expect(keyIdOf(KEY_A)).toMatch(/^k[0-9a-f]{10}$/);
    expect(keyIdOf(Buffer.from(KEY_A))).toBe(keyIdOf(KEY_A));
    expect(keyIdOf(KEY_B)).not.toBe(keyIdOf(KEY_A));
  });
});

describe('parseKey', () => {
  it('decodes base64 and base64url of 32 bytes, ignoring surrounding whitespace', () => {
    const key = generateKey();
    expect(parseKey(`  ${key.toString('base64')}\n`, 'X').equals(key)).toBe(true);
    expect(parseKey(key.toString('base64url'), 'X').equals(key)).toBe(true);
  });

  it('rejects other lengths and non-base64 with a KeyError naming the label, never the value', () => {
    const short = Buffer.alloc(16, 7).toString('base64');
    const error = catchError(() => parseKey(short, 'CLVKIT_KEY'));
    expect(error).toBeInstanceOf(KeyError);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe('CLVKIT_KEY decodes to 16 bytes, expected 32');
    expect((error as KeyError).hint).toContain('openssl rand -base64 32');
    expect(error.message).not.toContain(short);
    expect(() => parseKey('not base64!', 'CLVKIT_KEY')).toThrow('CLVKIT_KEY is not base64');
  });
});

describe('Keyring', () => {
  it('single-key keyring: the key is active and root', () => {
    const ring = keyringFromKey(KEY_A, { source: 'env' });
    expect(ring.activeKeyId).toBe(keyIdOf(KEY_A));
    expect(ring.rootKeyId).toBe(keyIdOf(KEY_A));
    expect(ring.info()).toEqual([{ id: keyIdOf(KEY_A), createdAt: null, active: true, root: true }]);
  });

  it('never shows key bytes in JSON or inspect output', () => {
    const ring = keyringFromKey(KEY_A);
    const b64 = KEY_A.toString('base64');
    const hex = KEY_A.toString('hex');
    for (const text of [JSON.stringify(ring), inspect(ring, { depth: 10 }), String(Object.keys(ring))]) {
      expect(text).not.toContain(b64);
      expect(text).not.toContain(hex);
    }
    expect(JSON.parse(JSON.stringify(ring))).toEqual({ source: 'memory', activeKeyId: keyIdOf(KEY_A), rootKeyId: keyIdOf(KEY_A), keys: ring.info() });
  });

  it('rejects a key whose bytes do not match its id (altered key file)', () => {
    expect(() => new Keyring({ keys: [{ id: keyIdOf(KEY_A), createdAt: null, key: KEY_B }], activeKeyId: keyIdOf(KEY_A), source: 'memory' })).toThrow(
      /does not match its id/,
    );
  });

  it('a missing key id gives a KeyError listing what the keyring holds', () => {
    const ring = keyringFromKey(KEY_A);
    expect(() => ring.entry('k0000000000')).toThrow(`no key k0000000000 in the keyring (holds ${keyIdOf(KEY_A)}, from memory)`);
  });
});

describe('deriveSubkey', () => {
  it('gives different 32-byte keys per purpose, none equal to the master key, stable across calls', () => {
    const enc = deriveSubkey(KEY_A, 'encrypt');
    const pse = deriveSubkey(KEY_A, 'pseudonymise');
    const mac = deriveSubkey(KEY_A, 'audit-mac');
    expect(enc.length).toBe(32);
    expect(new Set([enc, pse, mac, KEY_A].map((b) => b.toString('hex'))).size).toBe(4);
    expect(deriveSubkey(Buffer.from(KEY_A), 'encrypt').equals(enc)).toBe(true);
  });
});

describe('rotateKey / retireKey', () => {
  const now = new Date('2025-07-01T09:00:00Z');

  it('rotation adds an active key and keeps the root', () => {
    const ring = keyringFromKey(KEY_A);
    const rotated = rotateKey(ring, { key: KEY_B, now });
    expect(rotated.keyIds()).toEqual([keyIdOf(KEY_A), keyIdOf(KEY_B)]);
    expect(rotated.activeKeyId).toBe(keyIdOf(KEY_B));
    expect(rotated.rootKeyId).toBe(keyIdOf(KEY_A));
    expect(rotated.info()[1]).toEqual({ id: keyIdOf(KEY_B), createdAt: '2025-07-01T09:00:00.000Z', active: true, root: false });
    expect(ring.activeKeyId).toBe(keyIdOf(KEY_A));
  });

  it('refuses to rotate to a key already present', () => {
    expect(() => rotateKey(keyringFromKey(KEY_A), { key: KEY_A })).toThrow(KeyError);
  });

  it('retires an old non-root key, refuses the active and the root key', () => {
    const KEY_C = Buffer.alloc(32, 3);
    const ring = rotateKey(rotateKey(keyringFromKey(KEY_A), { key: KEY_B }), { key: KEY_C });
    expect(retireKey(ring, keyIdOf(KEY_B)).keyIds()).toEqual([keyIdOf(KEY_A), keyIdOf(KEY_C)]);
    expect(() => retireKey(ring, keyIdOf(KEY_C))).toThrow(/active key/);
    expect(() => retireKey(ring, keyIdOf(KEY_A))).toThrow(/root key/);
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}
