import { existsSync } from 'node:fs';
import { openDuckDbWarehouse, type DuckDbWarehouseOptions } from '../../engine/duckdb-warehouse.js';
import type { Warehouse } from '../../engine/warehouse.js';
import { KeyError } from '../../core/errors/key-error.js';
import type { Keyring } from './keyring.js';
import { resolveKeyring, type KeyringOrigin, type ResolveKeyringOptions } from './resolve-keyring.js';
import { assertWarehouseKey, readWarehouseRootKeyId } from './warehouse-key.js';
import { shellPath } from '../../core/shell-word.js';

export interface OpenKeyedWarehouseOptions extends Omit<ResolveKeyringOptions, 'recordedRootKeyId'> {
  /** throw `KeyError` when no key is found (commands that decrypt or write the audit log) */
  readonly requireKey?: boolean;
  readonly warehouse?: DuckDbWarehouseOptions;
}

export interface KeyedWarehouse {
  readonly warehouse: Warehouse;
  readonly keyring: Keyring | null;
  readonly origin: KeyringOrigin;
  /** the key file read or created */
  readonly keyPath?: string;
}

/**
 * Opens a DuckDB warehouse together with its key (`resolveKeyring`), checking
 * that the key is the one the warehouse was written with before anything is
 * done (`KeyError`, warehouse closed, nothing changed). The caller closes the
 * warehouse.
 *
 * Example: `const { warehouse, keyring } = await openKeyedWarehouse({ db: 'shop.duckdb', requireKey: true })`
 */
export async function openKeyedWarehouse(options: OpenKeyedWarehouseOptions): Promise<KeyedWarehouse> {
  const warehouse = await openDuckDbWarehouse(options.db, options.warehouse);
  try {
    const recorded = await readWarehouseRootKeyId(warehouse);
    const resolved = resolveKeyring({ ...options, recordedRootKeyId: recorded });
    if (resolved.keyring) await assertWarehouseKey(warehouse, resolved.keyring);
    else if (options.requireKey) {
      throw new KeyError(`no key for the warehouse ${options.db}`, `pass --key-file <path>, set CLVKIT_KEY, or create one with clvkit keys init --db ${shellPath(options.db)}`);
    }
    return { warehouse, keyring: resolved.keyring, origin: resolved.origin, ...(resolved.path ? { keyPath: resolved.path } : {}) };
  } catch (error) {
    await warehouse.close();
    throw error;
  }
}

/**
 * The root key id a warehouse file records, without changing it (null when
 * the file does not exist, predates the privacy schema or has no key yet).
 */
export async function peekWarehouseRootKeyId(db: string): Promise<string | null> {
  if (db === ':memory:' || !existsSync(db)) return null;
  const warehouse = await openDuckDbWarehouse(db, { migrate: false });
  try {
    return await readWarehouseRootKeyId(warehouse);
  } catch {
    return null;
  } finally {
    await warehouse.close();
  }
}
