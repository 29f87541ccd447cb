import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decryptValue, encryptValue } from '../../../src/privacy/keys/encryption.js';
import { KeyError } from '../../../src/core/errors/key-error.js';
import { initKeyFile, parseKeyFile, readKeyFile, rotateKeyFile } from '../../../src/privacy/keys/key-file.js';
import { keyIdOf } from '../../../src/privacy/keys/keyring.js';
import { loadKeyring } from '../../../src/privacy/keys/load-keyring.js';

// Key files are written to a private temporary directory and removed afterwards.
const dir = mkdtempSync(join(tmpdir(), 'clvkit-privacy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const posix = process.platform !== 'win32';

describe('initKeyFile', () => {
  it('creates a 0600 JSON key file with one active, root key', () => {
    const path = join(dir, 'init.json');
    const ring = initKeyFile(path, { now: new Date('2025-01-10T09:00:00Z') });
    if (posix) expect(statSync(path).mode & 0o777).toBe(0o600);
    const json = JSON.parse(readFileSync(path, 'utf8'));
    expect(json.format).toBe('clvkit-keyring');
    expect(json.version).toBe(1);
    expect(json.activeKeyId).toBe(ring.activeKeyId);
    expect(json.rootKeyId).toBe(ring.activeKeyId);
    expect(json.keys).toHaveLength(1);
    expect(json.keys[0].createdAt).toBe('2025-01-10T09:00:00.000Z');
    expect(keyIdOf(Buffer.from(json.keys[0].key, 'base64'))).toBe(json.keys[0].id);
    expect(Buffer.from(json.keys[0].key, 'base64')).toHaveLength(32);
  });

  it('refuses to overwrite an existing file and leaves it untouched', () => {
    const path = join(dir, 'exists.json');
    initKeyFile(path);
    const before = readFileSync(path, 'utf8');
    expect(() => initKeyFile(path)).toThrow(KeyError);
    expect(() => initKeyFile(path)).toThrow(`key file ${path} already exists; refusing to overwrite it`);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('can import an existing key (e.g. the one from CLVKIT_KEY): same id, same decryptions', () => {
    const key = Buffer.alloc(32, 9);
    const fromEnv = loadKeyring({ env: { CLVKIT_KEY: key.toString('base64') } });
    const envelope = encryptValue('moved', fromEnv);
    const fromFile = initKeyFile(join(dir, 'import.json'), { key });
    expect(fromFile.activeKeyId).toBe(fromEnv.activeKeyId);
    expect(decryptValue(envelope, fromFile)).toBe('moved');
  });
});

describe('readKeyFile', () => {
  it('round-trips what initKeyFile wrote', () => {
    const path = join(dir, 'roundtrip.json');
    const ring = initKeyFile(path);
    const back = readKeyFile(path);
    expect(back.info()).toEqual(ring.info());
    expect(back.source).toBe('file');
    expect(back.path).toBe(path);
    expect(decryptValue(encryptValue('x', ring), back)).toBe('x');
  });

  it.skipIf(!posix)('refuses a key file readable by group or others, with a chmod hint', () => {
    const path = join(dir, 'open.json');
    initKeyFile(path);
    chmodSync(path, 0o644);
    const error = catchError(() => readKeyFile(path)) as KeyError;
    expect(error).toBeInstanceOf(KeyError);
    expect(error.message).toBe(`key file ${path} is readable by others (mode 644)`);
    expect(error.hint).toBe(`run: chmod 600 ${path}`);
    expect(readKeyFile(path, { allowInsecurePermissions: true }).keyIds()).toHaveLength(1);
  });

  it('a missing file is a KeyError with a hint to create one', () => {
    const error = catchError(() => readKeyFile(join(dir, 'nope.json'))) as KeyError;
    expect(error).toBeInstanceOf(KeyError);
    expect(error.message).toMatch(/does not exist$/);
    expect(error.hint).toContain('keys init');
  });

  it('rejects malformed files and an altered key', () => {
    expect(() => parseKeyFile('{', 'f')).toThrow('key file f is not a valid clvkit key file: not JSON');
    expect(() => parseKeyFile('{"format":"x"}', 'f')).toThrow(/format is "x"/);
    const path = join(dir, 'tampered.json');
    initKeyFile(path);
    const json = JSON.parse(readFileSync(path, 'utf8'));
    json.keys[0].key = Buffer.alloc(32, 5).toString('base64');
    writeFileSync(path, JSON.stringify(json), { mode: 0o600 });
    expect(() => readKeyFile(path)).toThrow(/does not match its id/);
  });
});

describe('rotateKeyFile', () => {
  it('adds an active key, keeps the root, stays 0600 and leaves no temporary file behind', () => {
    const path = join(dir, 'rotate.json');
    const first = initKeyFile(path);
    const rotated = rotateKeyFile(path, { now: new Date('2025-07-01T00:00:00Z') });
    expect(rotated.keyIds()).toHaveLength(2);
    expect(rotated.keyIds()[0]).toBe(first.activeKeyId);
    expect(rotated.rootKeyId).toBe(first.activeKeyId);
    expect(rotated.activeKeyId).not.toBe(first.activeKeyId);
    expect(readKeyFile(path).activeKeyId).toBe(rotated.activeKeyId);
    if (posix) expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((f) => f.startsWith('rotate.json.tmp'))).toEqual([]);
  });
});

describe('loadKeyring', () => {
  it('prefers an explicit key file, then CLVKIT_KEY, then CLVKIT_KEY_FILE', () => {
    const path = join(dir, 'load.json');
    const fileRing = initKeyFile(path);
    const envKey = Buffer.alloc(32, 4).toString('base64');
    expect(loadKeyring({ keyFile: path, env: { CLVKIT_KEY: envKey } }).activeKeyId).toBe(fileRing.activeKeyId);
    const envRing = loadKeyring({ env: { CLVKIT_KEY: envKey, CLVKIT_KEY_FILE: path } });
    expect(envRing.source).toBe('env');
    expect(envRing.activeKeyId).toBe(keyIdOf(Buffer.alloc(32, 4)));
    expect(loadKeyring({ env: { CLVKIT_KEY_FILE: path } }).activeKeyId).toBe(fileRing.activeKeyId);
  });

  it('no key anywhere → KeyError that says how to make one', () => {
    const error = catchError(() => loadKeyring({ env: {} })) as KeyError;
    expect(error).toBeInstanceOf(KeyError);
    expect(error.name).toBe('KeyError');
    expect(error.message).toBe('no encryption key: set CLVKIT_KEY or CLVKIT_KEY_FILE, or pass a key file');
    expect(error.hint).toContain('openssl rand -base64 32');
  });

  it('a CLVKIT_KEY of the wrong length is a KeyError', () => {
    expect(() => loadKeyring({ env: { CLVKIT_KEY: 'c2hvcnQ=' } })).toThrow('CLVKIT_KEY decodes to 5 bytes, expected 32');
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
