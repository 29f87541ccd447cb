import type { Warehouse } from '../../engine/warehouse.js';
import type { CompactResult } from '../../privacy/warehouse/compact-warehouse-file.js';
import type { AccessOptions } from '../../privacy/access/access.js';
import type { Keyring } from '../../privacy/keys/keyring.js';
import { assertWarehouseExists } from './assert-warehouse-exists.js';
import { accessFromFlags, type AccessFlags } from './shared-options.js';
import { lazyFunction } from '../lazy-function.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const compactWarehouseFile = lazyFunction(() => import('../../privacy/warehouse/compact-warehouse-file.js'), 'compactWarehouseFile');
const openKeyedWarehouse = lazyFunction(() => import('../../privacy/keys/open-keyed-warehouse.js'), 'openKeyedWarehouse');

/**
 * For commands that delete or rewrite data (erase, retention apply, keys
 * rotate): open an existing warehouse file with its key (required), run
 * `work` with the caller's role, close, then rewrite the file so freed pages
 * keep nothing of what was deleted (`compactWarehouseFile`).
 */
export async function rewriteWarehouse<T>(
  flags: AccessFlags & { db: string },
  work: (warehouse: Warehouse, keyring: Keyring, access: AccessOptions) => Promise<T>,
): Promise<{ result: T; compacted: CompactResult }> {
  assertWarehouseExists(flags.db);
  const { warehouse, keyring } = await openKeyedWarehouse({ db: flags.db, ...(flags.keyFile ? { keyFile: flags.keyFile } : {}), requireKey: true });
  let result: T;
  try {
    result = await work(warehouse, keyring!, accessFromFlags(flags));
  } finally {
    await warehouse.close();
  }
  return { result, compacted: await compactWarehouseFile(flags.db) };
}
