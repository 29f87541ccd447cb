import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyError } from '../../../src/core/errors/key-error.js';
import { parseKeyFile } from '../../../src/privacy/keys/key-file.js';

// Cluster trial (session 41): a file holding a raw base64 key (`openssl rand -base64 32 > shop.key`, then
// --key-file shop.key) was told "not a valid clvkit key file: not JSON" with the hint "restore it from a backup",
// as if it were damaged; such a key is CLVKIT_KEY's. The hint says so, and never prints the key.
describe('a key file holding a raw base64 key', () => {
  it('is refused with the hint to pass it as CLVKIT_KEY or make a key file', () => {
    const raw = randomBytes(32).toString('base64');
    let error: unknown;
    try {
      parseKeyFile(`${raw}\n`, 'shop.key');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(KeyError);
    const { message, hint } = error as KeyError;
    expect(message).toBe('key file shop.key is not a valid clvkit key file: it holds a raw key, not a key file');
    expect(hint).toBe("a raw key is CLVKIT_KEY's: export CLVKIT_KEY=\"$(cat shop.key)\" and leave out --key-file; or clvkit keys init --key-file PATH makes a key file");
    expect(`${message} ${hint}`).not.toContain(raw);
  });

  it('a damaged file is still told to be restored', () => {
    expect(() => parseKeyFile('{"format": "clvkit-key', 'shop.key')).toThrow(/not a valid clvkit key file: not JSON/);
  });
});
