import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHmacSha256 } from '../../../src/privacy/tokens/hmac-sha256.js';
import { createPseudonymiser } from '../../../src/privacy/tokens/pseudonymise.js';
import { normaliseIdentifier } from '../../../src/privacy/tokens/normalise-identifier.js';
import { generateKey, keyringFromKey } from '../../../src/privacy/keys/keyring.js';

// The TypeScript HMAC replaced node's createHmac in the pseudonymiser (issue 14, ingest speed): every token of every
// warehouse depends on it giving the same bytes, so it is checked against createHmac across block boundaries.
describe('HMAC-SHA-256 in TypeScript gives the bytes of node:crypto', () => {
  it('every message length 0–200 (one, two and three blocks), keys of 0–130 bytes (hashed past 64)', () => {
    for (const keyLength of [0, 1, 16, 32, 63, 64, 65, 130]) {
      const key = randomBytes(keyLength);
      const mac = createHmacSha256(key);
      for (let length = 0; length <= 200; length++) {
        const message = randomBytes(length);
        expect(Buffer.from(mac(message)).toString('hex'), `key ${keyLength} B, message ${length} B`).toBe(createHmac('sha256', key).update(message).digest('hex'));
      }
    }
  });

  it('a prefix of a longer buffer (the length argument) hashes only that prefix', () => {
    const key = randomBytes(32);
    const buffer = randomBytes(100);
    expect(Buffer.from(createHmacSha256(key)(buffer, 57)).toString('hex')).toBe(createHmac('sha256', key).update(buffer.subarray(0, 57)).digest('hex'));
  });

  it('RFC 4231 test case 2', () => {
    const mac = createHmacSha256(Buffer.from('Jefe'));
    expect(Buffer.from(mac(Buffer.from('what do ya want for nothing?'))).toString('hex')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('customer tokens are those of createHmac over prefix, NUL and the normalised id (ASCII, accents, emoji, a lone surrogate, 300 characters)', () => {
    const keyring = keyringFromKey(generateKey());
    const key = keyring.subkey(keyring.rootKeyId, 'pseudonymise');
    const ids = ['10000', 'C-1001', ' Müller  Straße ', 'café', '顧客-42', '🙂 customer', 'x\ud800y', 'a'.repeat(300), `é${'b'.repeat(120)}`];
    for (const prefix of ['c_', 'a_']) {
      const pseudonymise = createPseudonymiser(keyring, { prefix });
      for (const id of ids) {
        const expected = createHmac('sha256', key).update(prefix, 'utf8').update('\0').update(normaliseIdentifier(id), 'utf8').digest();
        const token = pseudonymise(id);
        expect(token.slice(0, 2)).toBe(prefix);
        expect(token).toBe(prefix + base32(expected.subarray(0, 16)));
      }
    }
  });
});

function base32(bytes: Uint8Array): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i < bits.length; i += 5) out += alphabet[parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
  return out;
}
