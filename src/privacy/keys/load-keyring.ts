import { KeyError } from '../../core/errors/key-error.js';
import { readKeyFile, type ReadKeyFileOptions } from './key-file.js';
import { keyringFromKey, parseKey, type Keyring } from './keyring.js';

/** Environment variable holding a base64 32-byte master key. */
export const KEY_ENV = 'CLVKIT_KEY';
/** Environment variable holding the path of a key file. */
export const KEY_FILE_ENV = 'CLVKIT_KEY_FILE';

export interface LoadKeyringOptions extends ReadKeyFileOptions {
  /** an explicit key file (e.g. `--key-file`); wins over the environment */
  readonly keyFile?: string;
  /** the environment to read; `process.env` by default */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The keyring to use, from the first of: `options.keyFile`, `CLVKIT_KEY`
 * (one key: active and root), `CLVKIT_KEY_FILE`. Throws `KeyError` with a
 * hint when there is none — clvkit never invents a key silently, because data
 * written under a forgotten key is lost.
 *
 * Example: `loadKeyring({ env: { CLVKIT_KEY: 'q83v…=' } }).source` → `'env'`
 */
export function loadKeyring(options: LoadKeyringOptions = {}): Keyring {
  const env = options.env ?? process.env;
  if (options.keyFile) return readKeyFile(options.keyFile, options);
  const encoded = env[KEY_ENV];
  if (encoded !== undefined && encoded.trim() !== '') return keyringFromKey(parseKey(encoded, KEY_ENV), { source: 'env' });
  const keyFile = env[KEY_FILE_ENV];
  if (keyFile !== undefined && keyFile.trim() !== '') return readKeyFile(keyFile.trim(), options);
  throw new KeyError(
    `no encryption key: set ${KEY_ENV} or ${KEY_FILE_ENV}, or pass a key file`,
    `create one with \`export ${KEY_ENV}=$(openssl rand -base64 32)\` (keep a copy: data written under a lost key cannot be read) or \`clvkit keys init --key-file <path>\``,
  );
}
