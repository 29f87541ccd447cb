import { existsSync } from 'node:fs';
import { KeyError } from '../../core/errors/key-error.js';
import { initKeyFile, readKeyFile } from './key-file.js';
import { generateKey, keyringFromKey, type Keyring } from './keyring.js';
import { KEY_ENV, KEY_FILE_ENV, loadKeyring } from './load-keyring.js';

/** Where the keyring of a command came from. */
export type KeyringOrigin =
  /** `--key-file` */
  | 'key-file'
  /** `CLVKIT_KEY` or `CLVKIT_KEY_FILE` */
  | 'env'
  /** the key file beside the warehouse, `<db>.key` */
  | 'warehouse-key-file'
  /** `<db>.key` was created just now (first ingest into a file warehouse) */
  | 'created'
  /** a random key for an in-memory run: its tokens are valid for that run only */
  | 'ephemeral'
  /** no key anywhere (a file warehouse that was never written with one) */
  | 'none';

export interface ResolveKeyringOptions {
  /** the warehouse: a file path or ':memory:' */
  readonly db: string;
  /** an explicit key file (`--key-file`); wins over everything */
  readonly keyFile?: string;
  /** the environment to read (`CLVKIT_KEY`, `CLVKIT_KEY_FILE`); `process.env` by default */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** create `<db>.key` when no key is found (the first ingest into a file warehouse) */
  readonly create?: boolean;
  /** the root key id the warehouse records, when it has one: a new key is then never created */
  readonly recordedRootKeyId?: string | null;
}

export interface ResolvedKeyring {
  readonly keyring: Keyring | null;
  readonly origin: KeyringOrigin;
  /** the key file read or created */
  readonly path?: string;
}

/** The key file that belongs to a warehouse file: `<db>.key` beside it. */
export function warehouseKeyFilePath(db: string): string {
  return `${db}.key`;
}

/**
 * The keyring a command uses, from the first of: `--key-file`, `CLVKIT_KEY`,
 * `CLVKIT_KEY_FILE`; then for an in-memory warehouse a random **ephemeral**
 * key (tokens valid for that run only), for a file warehouse its key file
 * `<db>.key`, created (mode 0600) when `create` is set and the warehouse
 * records no key yet. A warehouse that records a key whose file is missing
 * is a `KeyError` — a new key would not read its data.
 *
 * Example: `resolveKeyring({ db: 'shop.duckdb', create: true })` → `{ origin: 'created', path: 'shop.duckdb.key', keyring }`
 */
export function resolveKeyring(options: ResolveKeyringOptions): ResolvedKeyring {
  const env = options.env ?? process.env;
  if (options.keyFile) return { keyring: readKeyFile(options.keyFile), origin: 'key-file', path: options.keyFile };
  const fromEnv = [KEY_ENV, KEY_FILE_ENV].some((name) => (env[name] ?? '').trim() !== '');
  if (fromEnv) {
    const keyring = loadKeyring({ env });
    return { keyring, origin: 'env', ...(keyring.path ? { path: keyring.path } : {}) };
  }
  if (options.db === ':memory:') return { keyring: keyringFromKey(generateKey(), { source: 'memory' }), origin: 'ephemeral' };
  const path = warehouseKeyFilePath(options.db);
  if (existsSync(path)) return { keyring: readKeyFile(path), origin: 'warehouse-key-file', path };
  if (options.recordedRootKeyId) {
    throw new KeyError(
      `the warehouse ${options.db} was written with key ${options.recordedRootKeyId}, and no key was given (no --key-file, ${KEY_ENV}, ${KEY_FILE_ENV} or ${path})`,
      `restore ${path} from its backup, or pass the key with --key-file <path> or ${KEY_ENV}`,
    );
  }
  if (options.create) return { keyring: initKeyFile(path), origin: 'created', path };
  return { keyring: null, origin: 'none' };
}
