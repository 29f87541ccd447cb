import { stopLines } from '../quiet-option.js';
import { Command } from 'commander';
import { KeyError } from '../../core/errors/key-error.js';
import { initKeyFile } from '../../privacy/keys/key-file.js';
import { parseKey, type Keyring } from '../../privacy/keys/keyring.js';
import { KEY_ENV } from '../../privacy/keys/load-keyring.js';
import { resolveKeyring, warehouseKeyFilePath } from '../../privacy/keys/resolve-keyring.js';
import type { CliIo } from '../cli-io.js';
import { addAccessOptions, type AccessFlags, accessFromFlags } from './shared-options.js';
import { lazyFunction } from '../lazy-function.js';
import { addEngineOptions, checkEngineFlags, type EngineFlags } from './engine-flags.js';
import { clickhouseTarget } from './clickhouse-target.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const peekWarehouseRootKeyId = lazyFunction(() => import('../../privacy/keys/open-keyed-warehouse.js'), 'peekWarehouseRootKeyId');
const rotateWarehouseKey = lazyFunction(() => import('../../privacy/warehouse/rotate-warehouse-key.js'), 'rotateWarehouseKey');
const rewriteWarehouse = lazyFunction(() => import('./rewrite-warehouse.js'), 'rewriteWarehouse');
const runClickHouseKeyRotation = lazyFunction(() => import('./clickhouse-commands.js'), 'runClickHouseKeyRotation');

/** The line printed when a command created a key file. */
export function keyCreatedNote(path: string, keyring: Keyring): string {
  return `clvkit: created key file ${path} (key ${keyring.activeKeyId}, mode 0600); keep a backup of it: without it the encrypted data cannot be read and customer tokens cannot be matched\n`;
}

/**
 * The key a warehouse command uses (`resolveKeyring`), undefined for an
 * in-memory run without one (the library then makes an ephemeral key). With
 * `create`, the first run on a file warehouse creates `<db>.key` and says so.
 */
export async function resolveCommandKeyring(io: CliIo, options: { db: string; keyFile?: string; create: boolean }): Promise<Keyring | undefined> {
  const recorded = await peekWarehouseRootKeyId(options.db);
  const resolved = resolveKeyring({ db: options.db, ...(options.keyFile ? { keyFile: options.keyFile } : {}), create: options.create && options.db !== ':memory:', recordedRootKeyId: recorded });
  if (resolved.origin === 'created') stopLines(io).write(keyCreatedNote(resolved.path!, resolved.keyring!));
  return resolved.origin === 'ephemeral' || resolved.keyring === null ? undefined : resolved.keyring;
}

export function keysCommand(io: CliIo): Command {
  const keys = new Command('keys').description('encryption keys: create a key file, rotate keys (re-encrypting every encrypted value)');
  keys
    .command('init')
    .description('create a key file (mode 0600): --key-file PATH, or <db>.key beside the warehouse')
    .option('--db <path>', 'warehouse the key is for (the key file goes beside it)', './clvkit.duckdb')
    .option('--key-file <path>', 'where to write the key file')
    .option('--import-env', `put the key in ${KEY_ENV} into the file (same key id, same tokens) instead of a new one, e.g. to rotate it later`)
    .action(async (flags: { db: string; keyFile?: string; importEnv?: boolean }) => {
      const path = flags.keyFile ?? warehouseKeyFilePath(flags.db);
      let key: Buffer | undefined;
      if (flags.importEnv) {
        const encoded = process.env[KEY_ENV];
        if (!encoded) throw new KeyError(`--import-env: ${KEY_ENV} is not set`, `export ${KEY_ENV}=<base64 key> first`);
        key = parseKey(encoded, KEY_ENV);
      }
      const recorded = await peekWarehouseRootKeyId(flags.db);
      const keyring = initKeyFile(path, key ? { key } : {});
      if (recorded !== null && recorded !== keyring.rootKeyId) {
        io.stderr.write(`clvkit: warning: the warehouse ${flags.db} was written with key ${recorded}; the new key ${keyring.rootKeyId} cannot read it\n`);
      }
      io.stdout.write(`created key file ${path}: key ${keyring.activeKeyId} (mode 0600)\nkeep a backup of it somewhere safe: data encrypted under a lost key cannot be read\n`);
    });
  addEngineOptions(addAccessOptions(
    keys
      .command('rotate')
      .description('add a new active key to the key file and re-encrypt every encrypted value under it (admin; audited); tokens do not change; on a cluster (--engine clickhouse, --key-file) the envelopes are updated on every shard')
      .option('--db <path>', 'warehouse file', './clvkit.duckdb')
      .option('--retire-old', 'drop the previous keys from the key file once nothing uses them (the root key stays); on a cluster it fails (exit 2), retiring nothing, while an envelope under one is left or an ingest copy still runs')
      .option('--json', 'print the result as JSON'),
  )).action(async (flags: AccessFlags & EngineFlags & { db: string; retireOld?: boolean; json?: boolean }) => {
    const result =
      checkEngineFlags(flags) === 'clickhouse'
        ? await runClickHouseKeyRotation(clickhouseTarget(flags), { ...accessFromFlags(flags), retireOld: flags.retireOld === true })
        : (await rewriteWarehouse(flags, (warehouse, keyring, access) => rotateWarehouseKey(warehouse, { keyring, ...access, retireOld: flags.retireOld === true }))).result;
    const { keyring: _keyring, ...shown } = result;
    void _keyring;
    if (flags.json) {
      io.stdout.write(JSON.stringify(shown, null, 2) + '\n');
      return;
    }
    io.stdout.write(
      [
        `rotated ${result.previousKeyId} → ${result.activeKeyId} in ${result.keyring.path}`,
        `re-encrypted ${result.values.toLocaleString('en-US')} values: ${Object.entries(result.reencrypted).map(([c, n]) => `${c} ${n.toLocaleString('en-US')}`).join(', ') || 'none'}`,
        ...(result.retired.length > 0 ? [`retired ${result.retired.join(', ')}`] : []),
        // the root key is never retired: an admin retiring old keys (a key that may have leaked) is told it stays
        ...(flags.retireOld && result.keyring.rootKeyId !== result.activeKeyId
          ? [`kept ${result.keyring.rootKeyId}: the root key — customer tokens and the audit log's MAC derive from it, so it is never retired (a new root key would mean new tokens for every customer)`]
          : []),
        ...(result.left ? [`${Object.values(result.left).reduce((a, b) => a + b, 0).toLocaleString('en-US')} values an ingest copy attached during the rotation are still under a previous key (kept in the key file: they decrypt); run keys rotate again once the ingests running now have ended`] : []),
        'back up the key file again',
      ].join('\n') + '\n',
    );
  });
  return keys;
}
