import type { Warehouse } from '../../engine/warehouse.js';
import { UserError } from '../../core/errors/user-error.js';
import { KeyError } from '../../core/errors/key-error.js';
import type { Keyring } from './keyring.js';
import { assertRootKey, isToken, reidentify } from '../tokens/pseudonymise.js';
import { clusterFlags, warehouseName } from '../../engine/warehouse-flags.js';

/** `warehouse_meta` name of the root key id customer tokens are made with. */
export const ROOT_KEY_META = 'root_key_id';

/** A value of `warehouse_meta` (schema migration 2), or null. */
export async function readWarehouseMeta(warehouse: Warehouse, name: string): Promise<string | null> {
  const [row] = await warehouse.query(`SELECT value FROM warehouse_meta WHERE name = ${warehouse.dialect.literal(name)} LIMIT 1`);
  return row ? String(row.value) : null;
}

/** Sets a value of `warehouse_meta` (replacing the old one). */
export async function writeWarehouseMeta(warehouse: Warehouse, name: string, value: string): Promise<void> {
  const d = warehouse.dialect;
  await warehouse.transaction(async () => {
    await warehouse.execute(`DELETE FROM warehouse_meta WHERE name = ${d.literal(name)}`);
    await warehouse.execute(`INSERT INTO warehouse_meta VALUES (${d.literal(name)}, ${d.literal(value)})`);
  });
}

/**
 * Sets several values of `warehouse_meta` and removes the names of `removed`, as `writeWarehouseMeta` sets one: one
 * DELETE of every name, then one INSERT of every value — on a cluster one mutation waited for and one insert, not one of
 * each per name.
 */
export async function writeWarehouseMetaValues(warehouse: Warehouse, values: readonly (readonly [string, string])[], removed: readonly string[] = []): Promise<void> {
  const d = warehouse.dialect;
  const names = [...values.map(([name]) => name), ...removed];
  if (names.length === 0) return;
  await warehouse.transaction(async () => {
    await warehouse.execute(`DELETE FROM warehouse_meta WHERE name IN (${names.map((name) => d.literal(name)).join(', ')})`);
    if (values.length > 0) await warehouse.execute(`INSERT INTO warehouse_meta VALUES ${values.map(([name, value]) => `(${d.literal(name)}, ${d.literal(value)})`).join(', ')}`);
  });
}

/** The root key id the warehouse's customer tokens were made with; null before the first keyed ingest. */
export function readWarehouseRootKeyId(warehouse: Warehouse): Promise<string | null> {
  return readWarehouseMeta(warehouse, ROOT_KEY_META);
}

/**
 * Throws `KeyError` (changing nothing) when the warehouse records a root key
 * and `keyring` does not have it as its root: tokens made with another key
 * would silently split every customer in two, and its envelopes would not
 * decrypt.
 */
export async function assertWarehouseKey(warehouse: Warehouse, keyring: Keyring): Promise<void> {
  const recorded = await readWarehouseRootKeyId(warehouse);
  if (recorded !== null) checkRootKey(keyring, recorded, warehouse);
  else await assertKeyFitsData(warehouse, keyring);
}

/**
 * For a warehouse whose key record is missing (deleted outside clvkit): the
 * key must still be the one its data was written with — one
 * re-identification entry must decrypt and hash back to its token. Tokens
 * without any entry to check against are refused too. `KeyError`, nothing
 * changed.
 */
async function assertKeyFitsData(warehouse: Warehouse, keyring: Keyring): Promise<void> {
  const [entry] = await warehouse.query('SELECT customer_id, original_id_enc FROM customer_reid LIMIT 1');
  const refuse = (why: string) =>
    new KeyError(
      `${warehouseName(warehouse)} has lost its key record (warehouse_meta.root_key_id) and ${why}; nothing was changed`,
      `use the key that wrote it (${keyPlaces(warehouse, `--key-file <path>, CLVKIT_KEY or ${warehouse.location}.key`)}), or restore the warehouse from a backup`,
    );
  if (entry) {
    try {
      reidentify({ token: String(entry.customer_id), idEnc: String(entry.original_id_enc) }, keyring);
    } catch (error) {
      if (error instanceof KeyError) throw refuse(`its data was written with another key than root key ${keyring.rootKeyId}`);
      throw error;
    }
    return;
  }
  const [token] = await warehouse.query('SELECT customer_id FROM transactions LIMIT 1');
  if (token && isToken(token.customer_id)) throw refuse('holds customer tokens with no re-identification entry to check the key against');
}

/**
 * Ties a warehouse to a keyring: on first use records the keyring's root key
 * id in `warehouse_meta`; afterwards checks it (`KeyError` on a different key,
 * nothing changed). Refuses a warehouse that already holds customer ids in
 * clear (written before pseudonymisation existed): tokens and clear ids must
 * never mix in one table.
 *
 * Returns true when the key was recorded now.
 */
export async function bindWarehouseKey(warehouse: Warehouse, keyring: Keyring): Promise<boolean> {
  const recorded = await readWarehouseRootKeyId(warehouse);
  if (recorded !== null) {
    checkRootKey(keyring, recorded, warehouse);
    return false;
  }
  await assertKeyFitsData(warehouse, keyring);
  const [clear] = await warehouse.query(`SELECT customer_id FROM transactions LIMIT 1`);
  if (clear && !isToken(clear.customer_id)) {
    throw new UserError(
      `${warehouseName(warehouse)} holds customer ids in clear (it was written without pseudonymisation)`,
      `ingest the source files again into a new warehouse: clvkit ingest <files…> ${warehouse.dialect.name === 'clickhouse' ? clusterFlags({ url: warehouse.location, database: 'NEW' }) : '--db NEW.duckdb'}`,
    );
  }
  await writeWarehouseMeta(warehouse, ROOT_KEY_META, keyring.rootKeyId);
  return true;
}

/** Where the key that wrote `warehouse` may be given (`duckdb` for a file): a cluster has no key file beside it. */
function keyPlaces(warehouse: Warehouse, duckdb = `--key-file <path>, CLVKIT_KEY or the key file beside the warehouse, ${warehouse.location}.key`): string {
  return warehouse.dialect.name === 'clickhouse' ? '--key-file <path> or CLVKIT_KEY' : duckdb;
}

function checkRootKey(keyring: Keyring, recorded: string, warehouse: Warehouse): void {
  try {
    assertRootKey(keyring, recorded);
  } catch (error) {
    if (!(error instanceof KeyError)) throw error;
    const where = keyring.source === 'file' ? `key file ${keyring.path}` : keyring.source === 'env' ? 'CLVKIT_KEY' : 'a key made for this run';
    throw new KeyError(
      `${warehouseName(warehouse)} was written with key ${recorded}, but ${where} has root key ${keyring.rootKeyId}; nothing was changed`,
      `use the key that wrote it (${keyPlaces(warehouse)}) — without it the data cannot be read`,
    );
  }
}
