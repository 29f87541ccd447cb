import type { Warehouse } from '../../engine/warehouse.js';
import { forEachChunk, textColumn } from '../../engine/read-chunks.js';
import { resolveAccess, type AccessOptions } from '../access/access.js';
import { listEncryptedColumns } from '../keys/encrypted-columns.js';
import { createEncryptor, decryptValue, envelopeKeyId } from '../keys/encryption.js';
import { KeyError } from '../../core/errors/key-error.js';
import { UserError } from '../../core/errors/user-error.js';
import type { JsonValue } from './canonical-json.js';
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
  /** values still not under the active key after the last round, per `table.column` (a cluster: an ingest copy attached them after each round) */
  readonly left?: Readonly<Record<string, number>>;
  /** ingest copies still running after the wait (a cluster): they may attach envelopes under a previous key */
  readonly copiesStillRunning?: readonly number[];
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
  // keys that cannot be retired: envelopes under them are left (a cluster: an ingest copy attached them after each round)
  const refused: Record<string, number> = {};
  if (options.retireOld) {
    const inUse = await countEnvelopesByKey(warehouse);
    const old = keyring.keyIds().filter((id) => id !== keyring.activeKeyId && id !== keyring.rootKeyId);
    for (const id of old) if ((inUse[id] ?? 0) > 0) refused[id] = inUse[id]!;
    if (Object.keys(refused).length === 0 && !result.copiesStillRunning?.length) {
      let next = keyring;
      for (const id of old) {
        next = retireKey(next, id);
        retired.push(id);
      }
      if (retired.length > 0) keyring = writeKeyFile(previous.path, next);
    }
  }
  const details: Record<string, JsonValue> = { previous_key: previous.activeKeyId, active_key: keyring.activeKeyId, retired };
  if (result.left) details.values_left_under_other_keys = { ...result.left };
  if (result.copiesStillRunning?.length) details.copies_still_running = [...result.copiesStillRunning];
  if (Object.keys(refused).length > 0) details.retire_refused = refused;
  await recordAudit(warehouse, keyring, access, { action: 'rotate_keys', target: 'keys', rowCounts: result.reencrypted, details });
  if (options.retireOld && (Object.keys(refused).length > 0 || result.copiesStillRunning?.length)) throw refuseRetirement(keyring.activeKeyId, result, refused);
  return { ...result, previousKeyId: previous.activeKeyId, activeKeyId: keyring.activeKeyId, retired, keyring };
}

/** Why `--retire-old` retired nothing: envelopes left under old keys, or an ingest copy still running that may add some. */
function refuseRetirement(activeKeyId: string, result: WarehouseReencryption, refused: Readonly<Record<string, number>>): UserError {
  const n = Object.values(refused).reduce((a, b) => a + b, 0);
  const why = n > 0
    ? `${n} envelope${n === 1 ? ' is' : 's are'} still under ${Object.keys(refused).join(', ')} (an ingest copy attached ${n === 1 ? 'it' : 'them'} after each re-encryption)`
    : `ingest cop${result.copiesStillRunning!.length === 1 ? 'y' : 'ies'} ${result.copiesStillRunning!.join(', ')} still ran after the wait and may attach envelopes under an old key`;
  return new UserError(
    `rotated to key ${activeKeyId} and re-encrypted ${result.values} values (audited), but retired no key: ${why}`,
    'run clvkit keys rotate --retire-old again once the ingests running now have ended (the old keys stay in the key file until then: every value still decrypts)',
  );
}

/** The key ids a set of envelopes uses (for tests and reports). */
export function keyIdsOf(envelopes: Iterable<string>): Set<string> {
  const ids = new Set<string>();
  for (const envelope of envelopes) ids.add(envelopeKeyId(envelope));
  return ids;
}
