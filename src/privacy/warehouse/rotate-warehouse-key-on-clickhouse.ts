import type { ClickHouseWarehouse } from '../../engine/clickhouse/clickhouse-warehouse.js';
import { listEncryptedColumns } from '../keys/encrypted-columns.js';
import { createEncryptor, decryptValue } from '../keys/encryption.js';
import type { Keyring } from '../keys/keyring.js';
import { changeBesideCopies } from './rounds-beside-copies.js';
import { countRowsWhere } from '../../engine/union-all.js';
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
 * otherwise), in batches that fit one statement; they are waited for. An
 * ingest copy running beside it may attach envelopes under the previous key
 * after that (staged before: a mutation does not reach parts attached after
 * it), so this is done in rounds (`changeBesideCopies`, as an erase): the
 * values not under the active key are counted again after each round,
 * whatever `ingest_copies` says, and moved again while any is left; once none
 * is, it waits for the copies marked running (`copyWaitSeconds`, default
 * 300 s) and counts again. What is still left after `CLUSTER_ROUNDS` rounds
 * (`left`), and the copies still running after the wait
 * (`copiesStillRunning`), are returned: `rotateWarehouseKeyWith` then
 * refuses to retire a key. Not atomic
 * across columns (ClickHouse has no transactions), but repeatable: values
 * already under the active key are left alone, so an interrupted rotation
 * is finished by running it again (the previous keys stay in the key file
 * until `--retire-old` finds them unused).
 *
 * Cost: one mutation per batch (about 900 envelopes) and column, each
 * rewriting the parts of the column that hold matches — fine for the
 * profiles of a few hundred thousand customers, slow beyond.
 */
export async function reencryptClusterEnvelopes(cluster: ClickHouseWarehouse, keyring: Keyring, options: { readonly copyWaitSeconds?: number } = {}): Promise<WarehouseReencryption> {
  const reencrypted: Record<string, number> = {};
  const outcome = await changeBesideCopies(cluster, {
    waitSeconds: options.copyWaitSeconds ?? 300,
    left: async () => {
      const left = await valuesNotUnderActiveKey(cluster, keyring);
      return Object.keys(left).length > 0 ? left : null;
    },
    always: true,
    change: () => reencryptOnce(cluster, keyring, reencrypted),
  });
  return {
    reencrypted,
    values: Object.values(reencrypted).reduce((a, b) => a + b, 0),
    ...(outcome.left ? { left: outcome.left } : {}),
    ...(outcome.stillRunning.length > 0 ? { copiesStillRunning: outcome.stillRunning } : {}),
  };
}

/** `substr(c, 1, n) <> 'v1:<active key>:'`: a value of column `c` not under the active key. */
function notActive(cluster: ClickHouseWarehouse, keyring: Keyring): (column: string) => string {
  const prefix = `v1:${keyring.activeKeyId}:`;
  return (c) => `substr(${c}, 1, ${prefix.length}) <> ${cluster.dialect.literal(prefix)}`;
}

/** Values not under the active key, per `table.column` holding any. */
async function valuesNotUnderActiveKey(cluster: ClickHouseWarehouse, keyring: Keyring): Promise<Record<string, number>> {
  const other = notActive(cluster, keyring);
  const left: Record<string, number> = {};
  const columns = await listEncryptedColumns(cluster);
  // every column counted in one query (countRowsWhere)
  const counts = await countRowsWhere(cluster, columns.map(({ table, column }) => [table, `${column} IS NOT NULL AND ${other(column)}`] as const));
  columns.forEach(({ table, column }, i) => {
    if (counts[i]! > 0) left[`${table}.${column}`] = counts[i]!;
  });
  return left;
}

/** One round of the re-encryption: every value not under the active key read, moved, and counted into `reencrypted`. */
async function reencryptOnce(cluster: ClickHouseWarehouse, keyring: Keyring, reencrypted: Record<string, number>): Promise<void> {
  const d = cluster.dialect;
  const other = notActive(cluster, keyring);
  const encrypt = createEncryptor(keyring);
  const moves: ColumnMoves[] = [];
  for (const { table, column, contextSql } of await listEncryptedColumns(cluster)) {
    const from: string[] = [];
    const to: string[] = [];
    await cluster.stream(`SELECT ${contextSql ?? 'CAST(NULL AS VARCHAR)'} AS ctx, ${column} AS v FROM ${table} WHERE ${column} IS NOT NULL AND ${other(column)}`, (rows) => {
      for (const row of rows) {
        const context = row.ctx === null ? undefined : String(row.ctx);
        from.push(String(row.v));
        to.push(encrypt(decryptValue(String(row.v), keyring, { context }), context));
      }
    });
    moves.push({ table, column, from, to });
  }
  for (const { table, column, from, to } of moves) {
    reencrypted[`${table}.${column}`] = (reencrypted[`${table}.${column}`] ?? 0) + from.length;
    if (from.length === 0) continue;
    const mutated = new Set<string>();
    for (let start = 0; start < from.length; ) {
      let end = start;
      let chars = 0;
      while (end < from.length && (end === start || chars < MUTATION_TEXT_CHARS)) chars += from[end]!.length + to[end++]!.length + 8;
      const list = (values: string[]) => `[${values.slice(start, end).map((v) => d.literal(v)).join(', ')}]`;
      mutated.add(await cluster.alterWhereHeld(table, `UPDATE ${column} = transform(${column}, ${list(from)}, ${list(to)}, ${column}) WHERE ${other(column)}`));
      start = end;
    }
    await cluster.waitForMutations([...mutated]);
  }
}

/**
 * `clvkit keys rotate --engine clickhouse`: `rotateWarehouseKey` with the
 * envelopes on the cluster moved by `reencryptClusterEnvelopes` (in rounds,
 * waiting for running ingest copies); the audit entry goes to the cluster's
 * `audit_log`. With `retireOld` it fails with one line (after the audit
 * entry), retiring nothing, while an envelope under a previous key is left. Requires `rotate_keys` (admin)
 * and a key file.
 *
 * Example: `await rotateWarehouseKeyOnClickHouse(cluster, { keyring, role: 'admin' })` → `{ previousKeyId: 'k0f…', activeKeyId: 'k5c…', reencrypted: { 'customers.email_enc': 120, … }, … }`
 */
export function rotateWarehouseKeyOnClickHouse(cluster: ClickHouseWarehouse, options: RotateWarehouseKeyOptions & { readonly copyWaitSeconds?: number }): Promise<RotateWarehouseKeyResult> {
  return rotateWarehouseKeyWith(cluster, options, (on, keyring) => reencryptClusterEnvelopes(on, keyring, options.copyWaitSeconds === undefined ? {} : { copyWaitSeconds: options.copyWaitSeconds }));
}
