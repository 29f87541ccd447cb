import type { ClickHouseWarehouse } from '../../engine/clickhouse/clickhouse-warehouse.js';
import { listEncryptedColumns } from '../keys/encrypted-columns.js';
import { createEncryptor, decryptValue } from '../keys/encryption.js';
import type { Keyring } from '../keys/keyring.js';
import { rotateWarehouseKeyWith, type WarehouseReencryption, type RotateWarehouseKeyOptions, type RotateWarehouseKeyResult } from './rotate-warehouse-key.js';

/** Characters of old and new envelopes per mutation: under ClickHouse's 256 KiB max_query_size with room to spare. */
const MUTATION_TEXT_CHARS = 180_000;

interface ColumnMoves {
  readonly table: string;
  readonly column: string;
  readonly from: string[];
  readonly to: string[];
}

/**
 * `reencryptWarehouse` on a ClickHouse cluster: every envelope not under the
 * active key is decrypted (with its context) and encrypted again — all of
 * them first, so a value that does not decrypt throws `KeyError` before
 * anything on the cluster changes. Then each column is rewritten by
 * mutations, `ALTER TABLE … UPDATE c = transform(c, [old…], [new…], c)`, on
 * every shard's local table of a sharded table (on the entry node's table
 * otherwise), in batches that fit one statement; they are waited for, and a
 * column still holding an envelope under another key throws. Not atomic
 * across columns (ClickHouse has no transactions), but repeatable: values
 * already under the active key are left alone, so an interrupted rotation
 * is finished by running it again (the previous keys stay in the key file
 * until `--retire-old` finds them unused).
 *
 * Cost: one mutation per batch (about 900 envelopes) and column, each
 * rewriting the parts of the column that hold matches — fine for the
 * profiles of a few hundred thousand customers, slow beyond.
 */
export async function reencryptClusterEnvelopes(cluster: ClickHouseWarehouse, keyring: Keyring): Promise<WarehouseReencryption> {
  const d = cluster.dialect;
  const prefix = `v1:${keyring.activeKeyId}:`;
  const notActive = (c: string) => `substr(${c}, 1, ${prefix.length}) <> ${d.literal(prefix)}`;
  const encrypt = createEncryptor(keyring);
  const moves: ColumnMoves[] = [];
  for (const { table, column, contextSql } of await listEncryptedColumns(cluster)) {
    const from: string[] = [];
    const to: string[] = [];
    await cluster.stream(`SELECT ${contextSql ?? 'CAST(NULL AS VARCHAR)'} AS ctx, ${column} AS v FROM ${table} WHERE ${column} IS NOT NULL AND ${notActive(column)}`, (rows) => {
      for (const row of rows) {
        const context = row.ctx === null ? undefined : String(row.ctx);
        from.push(String(row.v));
        to.push(encrypt(decryptValue(String(row.v), keyring, { context }), context));
      }
    });
    moves.push({ table, column, from, to });
  }
  const reencrypted: Record<string, number> = {};
  for (const { table, column, from, to } of moves) {
    reencrypted[`${table}.${column}`] = from.length;
    if (from.length === 0) continue;
    const mutated = new Set<string>();
    for (let start = 0; start < from.length; ) {
      let end = start;
      let chars = 0;
      while (end < from.length && (end === start || chars < MUTATION_TEXT_CHARS)) chars += from[end]!.length + to[end++]!.length + 8;
      const list = (values: string[]) => `[${values.slice(start, end).map((v) => d.literal(v)).join(', ')}]`;
      mutated.add(await cluster.alterWhereHeld(table, `UPDATE ${column} = transform(${column}, ${list(from)}, ${list(to)}, ${column}) WHERE ${notActive(column)}`));
      start = end;
    }
    await cluster.waitForMutations([...mutated]);
    const [left] = await cluster.query(`SELECT count(*) AS n FROM ${table} WHERE ${column} IS NOT NULL AND ${notActive(column)}`);
    if (Number(left!.n) !== 0) throw new Error(`reencryptClusterEnvelopes: ${String(left!.n)} values of ${table}.${column} are still under another key after the update`);
  }
  return { reencrypted, values: Object.values(reencrypted).reduce((a, b) => a + b, 0) };
}

/**
 * `clvkit keys rotate --engine clickhouse`: `rotateWarehouseKey` with the
 * envelopes on the cluster moved by `reencryptClusterEnvelopes`; the audit
 * entry goes to the cluster's `audit_log`. Requires `rotate_keys` (admin)
 * and a key file.
 *
 * Example: `await rotateWarehouseKeyOnClickHouse(cluster, { keyring, role: 'admin' })` → `{ previousKeyId: 'k0f…', activeKeyId: 'k5c…', reencrypted: { 'customers.email_enc': 120, … }, … }`
 */
export function rotateWarehouseKeyOnClickHouse(cluster: ClickHouseWarehouse, options: RotateWarehouseKeyOptions): Promise<RotateWarehouseKeyResult> {
  return rotateWarehouseKeyWith(cluster, options, reencryptClusterEnvelopes);
}
