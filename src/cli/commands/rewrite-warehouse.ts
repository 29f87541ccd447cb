import type { Warehouse } from '../../engine/warehouse.js';
import type { CompactResult } from '../../privacy/warehouse/compact-warehouse-file.js';
import type { AccessOptions } from '../../privacy/access/access.js';
import type { Keyring } from '../../privacy/keys/keyring.js';
import { InterruptedError } from '../../core/errors/interrupted-error.js';
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
  const { result, compacted } = await rewriteWarehouseUnlessStopped(flags, work);
  return { result, compacted: compacted! }; // no signal: the rewrite is never skipped
}

/**
 * `rewriteWarehouse` that `signal` (the CLI's Ctrl-C or SIGTERM: `withInterruptSignal`) can stop between its work and
 * the file's rewrite: `work` runs to its end (what it committed stays), and when the signal came before the rewrite
 * finished, the rewrite is skipped or stopped where it is (the file as it was) and `compacted` is null — the caller
 * says what was done and what was not.
 */
export async function rewriteWarehouseUnlessStopped<T>(
  flags: AccessFlags & { db: string },
  work: (warehouse: Warehouse, keyring: Keyring, access: AccessOptions) => Promise<T>,
  signal?: AbortSignal,
): Promise<{ result: T; compacted: CompactResult | null }> {
  assertWarehouseExists(flags.db);
  const { warehouse, keyring } = await openKeyedWarehouse({ db: flags.db, ...(flags.keyFile ? { keyFile: flags.keyFile } : {}), requireKey: true });
  let result: T;
  try {
    result = await work(warehouse, keyring!, accessFromFlags(flags));
  } finally {
    await warehouse.close();
  }
  if (signal?.aborted) return { result, compacted: null };
  try {
    return { result, compacted: await compactWarehouseFile(flags.db, signal ? { signal } : {}) };
  } catch (error) {
    if (error instanceof InterruptedError && signal?.aborted) return { result, compacted: null };
    throw error;
  }
}
