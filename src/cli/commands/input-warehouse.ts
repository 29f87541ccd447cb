import { openDuckDbWarehouse } from '../../engine/duckdb-warehouse.js';
import type { Warehouse } from '../../engine/warehouse.js';
import { UserError } from '../../errors/user-error.js';
import { ingestFiles } from '../../ingest/ingest-files.js';
import { ingestOptionsFromFlags, type ReadFlags } from './shared-options.js';

/**
 * The warehouse a read-only command works on: a transaction file ingested into
 * memory, or an existing warehouse (--db). Closed after `work`.
 */
export async function withInputWarehouse<T>(file: string | undefined, flags: ReadFlags & { db?: string }, work: (warehouse: Warehouse) => Promise<T>): Promise<T> {
  if (!file && !flags.db) throw new UserError('no input: give a transaction file or --db PATH', 'e.g. clvkit rules orders.csv, or clvkit rules --db shop.duckdb');
  const warehouse = await openDuckDbWarehouse(file ? ':memory:' : flags.db!);
  try {
    if (file) await ingestFiles(warehouse, [file], ingestOptionsFromFlags(flags));
    return await work(warehouse);
  } finally {
    await warehouse.close();
  }
}

/** Parse a fraction flag in (0, 1]. */
export function fractionFlag(value: string, flag: string): number {
  const n = Number(value);
  if (!(n > 0 && n <= 1)) throw new UserError(`${flag} ${value} is not a fraction in (0, 1]`, `e.g. ${flag} 0.01 for 1%`);
  return n;
}

/** Parse a whole-number flag ≥ 1. */
export function countFlag(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${flag} ${value} is not a whole number ≥ 1`, `e.g. ${flag} 10`);
  return n;
}
