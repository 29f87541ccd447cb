import { closeSync, fsyncSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { shellPath } from '../../core/shell-word.js';
import { KeyError } from '../../core/errors/key-error.js';
import { replaceFileDurably } from '../../core/replace-file.js';
import { generateKey, keyIdOf, Keyring, parseKey, rotateKey, type KeyEntry, type RotateKeyOptions } from './keyring.js';

/** Value of the `format` field of a key file. */
export const KEY_FILE_FORMAT = 'clvkit-keyring';

/**
 * The JSON in a key file (mode 0600):
 *
 * ```json
 * {
 *   "format": "clvkit-keyring",
 *   "version": 1,
 *   "activeKeyId": "k5c0e3b2a91",
 *   "rootKeyId": "k0f4d2c8e17",
 *   "keys": [
 *     { "id": "k0f4d2c8e17", "createdAt": "2025-01-10T09:00:00.000Z", "key": "<base64 of 32 bytes>" },
 *     { "id": "k5c0e3b2a91", "createdAt": "2025-07-01T09:00:00.000Z", "key": "<base64 of 32 bytes>" }
 *   ]
 * }
 * ```
 *
 * Keys are listed oldest first. Each id must equal `keyIdOf(key)`, so an
 * edited key is caught on load.
 */
export interface KeyFileJson {
  readonly format: typeof KEY_FILE_FORMAT;
  readonly version: 1;
  readonly activeKeyId: string;
  readonly rootKeyId: string;
  readonly keys: ReadonlyArray<{ readonly id: string; readonly createdAt: string | null; readonly key: string }>;
}

export interface InitKeyFileOptions {
  /** import an existing key (e.g. the one in CLVKIT_KEY) instead of generating one */
  readonly key?: Buffer;
  readonly now?: Date;
}

export interface ReadKeyFileOptions {
  /** accept a key file that group or others can read (POSIX); default false */
  readonly allowInsecurePermissions?: boolean;
}

/**
 * Creates a key file holding one new key (active and root), mode 0600.
 * Refuses to overwrite an existing file: losing a key loses the data.
 *
 * Example: `initKeyFile('/srv/clvkit/keys.json').activeKeyId` → `'k…'`
 */
export function initKeyFile(path: string, options: InitKeyFileOptions = {}): Keyring {
  const key = options.key ?? generateKey();
  const id = keyIdOf(key);
  const keyring = new Keyring({ keys: [{ id, createdAt: (options.now ?? new Date()).toISOString(), key }], activeKeyId: id, source: 'file', path });
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      if (isFolder(path)) throw keyFileIsFolder(path);
      throw new KeyError(`key file ${path} already exists; refusing to overwrite it`, 'use the existing file, rotate it with `keys rotate`, or choose another path');
    }
    throw new KeyError(`cannot create key file ${path}: ${(error as Error).message}`, 'check that the directory exists and is writable');
  }
  writeAndClose(fd, serialiseKeyFile(keyring));
  return keyring;
}

/**
 * Reads and validates a key file. Throws `KeyError` when it is missing,
 * unreadable, malformed, has an altered key, or (on POSIX) is readable by
 * group or others.
 */
export function readKeyFile(path: string, options: ReadKeyFileOptions = {}): Keyring {
  let text: string;
  try {
    // a folder is neither "readable by others" (chmod 600 on it is no fix) nor Node's EISDIR: a file was meant
    if (isFolder(path)) throw keyFileIsFolder(path);
    if (process.platform !== 'win32' && !options.allowInsecurePermissions) {
      const mode = statSync(path).mode & 0o777;
      if ((mode & 0o077) !== 0) {
        throw new KeyError(`key file ${path} is readable by others (mode ${mode.toString(8).padStart(3, '0')})`, `run: chmod 600 ${path}`);
      }
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof KeyError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new KeyError(`key file ${path} does not exist`, 'create one with `clvkit keys init --key-file <path>` or set CLVKIT_KEY');
    }
    throw new KeyError(`cannot read key file ${path}: ${(error as Error).message}`, 'check the path and its permissions');
  }
  return parseKeyFile(text, path);
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A folder given as the key file (`--key-file`, CLVKIT_KEY_FILE): refused in one line, pointing at a file inside it. */
function keyFileIsFolder(path: string): KeyError {
  return new KeyError(`key file ${path} is a folder, not a file`, `give the key file inside it, e.g. --key-file ${shellPath(join(path, 'clvkit.key'))}; clvkit keys init --key-file PATH creates one`);
}

/** Whether `text` is one key as CLVKIT_KEY takes it (32 bytes in base64), not a key file. */
function isRawKey(text: string): boolean {
  try {
    parseKey(text, 'the file');
    return true;
  } catch {
    return false;
  }
}

/** Parses key-file JSON (see `KeyFileJson`); `path` is for messages. */
export function parseKeyFile(text: string, path: string): Keyring {
  const bad = (what: string): KeyError => new KeyError(`key file ${path} is not a valid clvkit key file: ${what}`, 'restore it from a backup');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // a raw key (`openssl rand -base64 32 > shop.key`) is CLVKIT_KEY's, not damage: said so, the key not printed
    if (isRawKey(text)) throw new KeyError(`key file ${path} is not a valid clvkit key file: it holds a raw key, not a key file`, `a raw key is CLVKIT_KEY's: export CLVKIT_KEY="$(cat ${shellPath(path)})" and leave out --key-file; or clvkit keys init --key-file PATH makes a key file`);
    throw bad('not JSON');
  }
  if (typeof json !== 'object' || json === null) throw bad('not a JSON object');
  const file = json as Partial<Record<keyof KeyFileJson, unknown>>;
  if (file.format !== KEY_FILE_FORMAT) throw bad(`format is ${JSON.stringify(file.format)}, expected "${KEY_FILE_FORMAT}"`);
  if (file.version !== 1) throw bad(`version ${JSON.stringify(file.version)} is not supported (this clvkit reads version 1)`);
  if (typeof file.activeKeyId !== 'string') throw bad('activeKeyId missing');
  if (typeof file.rootKeyId !== 'string') throw bad('rootKeyId missing');
  if (!Array.isArray(file.keys) || file.keys.length === 0) throw bad('keys must be a non-empty array');
  const keys: KeyEntry[] = file.keys.map((k: unknown, i: number) => {
    const entry = k as Record<string, unknown>;
    if (typeof entry !== 'object' || entry === null || typeof entry.id !== 'string' || typeof entry.key !== 'string') {
      throw bad(`keys[${i}] needs string fields id and key`);
    }
    if (entry.createdAt !== null && typeof entry.createdAt !== 'string') throw bad(`keys[${i}].createdAt must be a string or null`);
    return { id: entry.id, createdAt: entry.createdAt ?? null, key: parseKey(entry.key, `key ${entry.id} in ${path}`) };
  });
  return new Keyring({ keys, activeKeyId: file.activeKeyId, rootKeyId: file.rootKeyId, source: 'file', path });
}

/** The key-file JSON text of a keyring (includes key bytes: write it only to a 0600 file). */
export function serialiseKeyFile(keyring: Keyring): string {
  const json: KeyFileJson = {
    format: KEY_FILE_FORMAT,
    version: 1,
    activeKeyId: keyring.activeKeyId,
    rootKeyId: keyring.rootKeyId,
    keys: keyring.keyIds().map((id) => {
      const entry = keyring.entry(id);
      return { id, createdAt: entry.createdAt, key: entry.key.toString('base64') };
    }),
  };
  return JSON.stringify(json, null, 2) + '\n';
}

/**
 * Replaces a key file atomically (`replaceFileDurably`: a sibling temporary
 * file, 0600, fsynced and renamed over `path`), so a crash leaves the old or
 * the new file, never half of one. Returns the keyring as loaded from `path`.
 */
export function writeKeyFile(path: string, keyring: Keyring): Keyring {
  replaceFileDurably(path, serialiseKeyFile(keyring));
  return readKeyFile(path);
}

/**
 * Adds a new active key to a key file (see `rotateKey`) and returns the new
 * keyring. Existing values still decrypt; re-encrypt them, then retire the
 * old key.
 */
export function rotateKeyFile(path: string, options: RotateKeyOptions = {}): Keyring {
  return writeKeyFile(path, rotateKey(readKeyFile(path), options));
}

function writeAndClose(fd: number, text: string): void {
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
