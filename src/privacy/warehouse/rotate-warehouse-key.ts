import type { Warehouse } from '../../engine/warehouse.js';
import { forEachChunk, textColumn } from '../../engine/read-chunks.js';
import { resolveAccess, type AccessOptions } from '../access/access.js';
import { listEncryptedColumns } from '../keys/encrypted-columns.js';
import { createEncryptor, decryptValue, envelopeKeyId } from '../keys/encryption.js';
import { KeyError } from '../../core/errors/key-error.js';
import { rotateKeyFile, writeKeyFile } from '../keys/key-file.js';
import { retireKey, type Keyring } from '../keys/keyring.js';
import { assertCan } from '../access/rbac.js';
import { recordAudit } from './warehouse-audit.js';
import { assertWarehouseKey } from '../keys/warehouse-key.js';

const REENCRYPTED_SCRATCH = 'clv_reencrypted';

/** What moving the warehouse's envelopes to the active key did (encryption.ts' ReencryptResult is one column's values). */
export interface WarehouseReencryption {
  /** values moved to the active key, per `table.column` */
  readonly reencrypted: Readonly<Record<string, number>>;
  readonly values: number;
}

/**
 * Moves every envelope of the warehouse (every column `listEncryptedColumns`
 * finds) to the keyring's active key, in one transaction: each value is
 * decrypted with the key that wrote it (and its context) and encrypted
 * again. Values already under the active key are left alone, so a run that
 * was interrupted can be repeated. A value that does not decrypt aborts
 * everything (`KeyError`) and changes nothing.
 */
export async function reencryptWarehouse(warehouse: Warehouse, keyring: Keyring): Promise<WarehouseReencryption> {
  const d = warehouse.dialect;
  const reencrypted: Record<string, number> = {};
  const encrypt = createEncryptor(keyring);
  await warehouse.transaction(async () => {
    for (const { table, column, contextSql } of await listEncryptedColumns(warehouse)) {
      const t = d.identifier(table);
      const c = d.identifier(column);
      await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${REENCRYPTED_SCRATCH} (rid BIGINT NOT NULL, v VARCHAR NOT NULL)`);
      const moved = await forEachChunk(
        warehouse,
        'clv_reencrypt_chunk',
        `SELECT rowid AS rid, ${contextSql ?? 'CAST(NULL AS VARCHAR)'} AS ctx, ${c} AS v FROM ${t} WHERE ${c} IS NOT NULL AND NOT starts_with(${c}, ${d.literal(`v1:${keyring.activeKeyId}:`)})`,
        async (chunk) => {
          const contexts = textColumn(chunk, 'ctx');
          const values = textColumn(chunk, 'v') as string[];
          const next = values.map((value, i) => {
            const context = contexts[i] ?? undefined;
            return encrypt(decryptValue(value, keyring, { context }), context);
          });
          await warehouse.append(REENCRYPTED_SCRATCH, { rid: chunk.columns.rid as Float64Array, v: next });
        },
      );
      if (moved > 0) await warehouse.execute(`UPDATE ${t} SET ${c} = r.v FROM ${REENCRYPTED_SCRATCH} r WHERE ${t}.rowid = r.rid`);
      await warehouse.execute(`DROP TABLE IF EXISTS ${REENCRYPTED_SCRATCH}`);
      reencrypted[`${table}.${column}`] = moved;
    }
  });
  return { reencrypted, values: Object.values(reencrypted).reduce((a, b) => a + b, 0) };
}

/** Key ids the envelopes of the warehouse were written under, with counts (values that are not envelopes are not counted). */
export async function countEnvelopesByKey(warehouse: Warehouse): Promise<Record<string, number>> {
  const d = warehouse.dialect;
  const counts: Record<string, number> = {};
  for (const { table, column } of await listEncryptedColumns(warehouse)) {
    const c = d.identifier(column);
    // the key id is the 11 characters after `v1:` (`k` and 10 hex digits, as the pattern requires): portable where split_part is not
    const rows = await warehouse.query(`SELECT substr(${c}, 4, 11) AS key_id, count(*) AS n FROM ${d.identifier(table)} WHERE ${d.fullMatch(c, 'v1:k[0-9a-f]{10}:[A-Za-z0-9_-]+')} GROUP BY key_id`);
    for (const row of rows) counts[String(row.key_id)] = (counts[String(row.key_id)] ?? 0) + Number(row.n);
  }
  return counts;
}

export interface RotateWarehouseKeyOptions extends AccessOptions {
  /** the warehouse's keyring, loaded from a key file (a key in CLVKIT_KEY cannot hold a second key) */
  readonly keyring: Keyring;
  /** drop the previous keys (except the root key) once nothing is encrypted under them */
  readonly retireOld?: boolean;
  readonly now?: Date;
}

export interface RotateWarehouseKeyResult extends WarehouseReencryption {
  readonly previousKeyId: string;
  readonly activeKeyId: string;
  readonly retired: readonly string[];
  /** the keyring as now in the key file */
  readonly keyring: Keyring;
}

/**
 * Key rotation: adds a new active key to the key file (written atomically
 * first, so a crash never loses a key), re-encrypts every encrypted value of
 * the warehouse under it (`reencryptWarehouse`), optionally retires the old
 * keys no value uses any more, and records an audit entry. Customer tokens
 * and the audit MAC come from the root key, which stays: nothing else changes.
 *
 * Requires `rotate_keys` (admin).
 *
 * Example: `await rotateWarehouseKey(wh, { keyring, role: 'admin' })` → `{ previousKeyId: 'k0f…', activeKeyId: 'k5c…', reencrypted: { 'customers.email_enc': 120, … }, … }`
 */
export async function rotateWarehouseKey(warehouse: Warehouse, options: RotateWarehouseKeyOptions): Promise<RotateWarehouseKeyResult> {
  const result = await rotateWarehouseKeyWith(warehouse, options, reencryptWarehouse);
  await warehouse.execute('CHECKPOINT');
  return result;
}

/**
 * `rotateWarehouseKey` with the engine's own re-encryption (`reencryptWarehouse`
 * on DuckDB, `reencryptClusterEnvelopes` on a ClickHouse cluster): role and key
 * file checked, the key file rotated, the envelopes moved, old keys retired,
 * the audit entry recorded.
 */
export async function rotateWarehouseKeyWith<W extends Warehouse>(warehouse: W, options: RotateWarehouseKeyOptions, reencrypt: (warehouse: W, keyring: Keyring) => Promise<WarehouseReencryption>): Promise<RotateWarehouseKeyResult> {
  const access = resolveAccess(options);
  assertCan(access.role, 'rotate_keys');
  const previous = options.keyring;
  if (previous.source !== 'file' || !previous.path) {
    throw new KeyError(
      'key rotation needs a key file: a key from CLVKIT_KEY cannot hold the old and the new key',
      'import it into a key file first: clvkit keys init --key-file <path> --import-env, then pass --key-file <path>',
    );
  }
  await assertWarehouseKey(warehouse, previous);
  let keyring = rotateKeyFile(previous.path, options.now ? { now: options.now } : {});
  const result = await reencrypt(warehouse, keyring);
  const retired: string[] = [];
  if (options.retireOld) {
    const inUse = await countEnvelopesByKey(warehouse);
    let next = keyring;
    for (const id of keyring.keyIds()) {
      if (id === keyring.activeKeyId || id === keyring.rootKeyId || (inUse[id] ?? 0) > 0) continue;
      next = retireKey(next, id);
      retired.push(id);
    }
    if (retired.length > 0) keyring = writeKeyFile(previous.path, next);
  }
  await recordAudit(warehouse, keyring, access, {
    action: 'rotate_keys',
    target: 'keys',
    rowCounts: result.reencrypted,
    details: { previous_key: previous.activeKeyId, active_key: keyring.activeKeyId, retired },
  });
  return { ...result, previousKeyId: previous.activeKeyId, activeKeyId: keyring.activeKeyId, retired, keyring };
}

/** The key ids a set of envelopes uses (for tests and reports). */
export function keyIdsOf(envelopes: Iterable<string>): Set<string> {
  const ids = new Set<string>();
  for (const envelope of envelopes) ids.add(envelopeKeyId(envelope));
  return ids;
}
