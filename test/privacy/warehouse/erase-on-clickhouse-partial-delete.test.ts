/**
 * An erase on ClickHouse whose delete (`ALTER TABLE … DELETE`, one statement
 * per shard) ran on shard 0 and failed on shard 1 has deleted rows: it must
 * audit them (it used to write no audit entry at all, since the table was
 * counted as mutated only once every shard took the ALTER) and fail with the
 * one-line error of the failed statement.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { ingestFilesToClickHouse } from '../../../src/ingest/ingest-files-to-clickhouse.js';
import { keyringFromKey } from '../../../src/privacy/keys/keyring.js';
import { createPseudonymiser } from '../../../src/privacy/tokens/pseudonymise.js';
import { eraseCustomersOnClickHouse } from '../../../src/privacy/warehouse/erase-customers-on-clickhouse.js';
import { verifyWarehouseAudit } from '../../../src/privacy/warehouse/warehouse-audit.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse } from '../../helpers/clickhouse.js';
import { scratchDir } from '../../helpers/warehouse.js';

const keyring = keyringFromKey(Buffer.alloc(32, 11), { source: 'memory' });

describe.skipIf(!CLICKHOUSE_URL)(`an erase whose delete ran on one shard only${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse;
  beforeAll(async () => {
    cluster = await clickhouseWarehouse('erase_partial');
  });
  afterAll(async () => {
    await cluster?.dropDatabase();
    await cluster?.close();
  });

  const tokenOf = createPseudonymiser(keyring);
  /** customers K1 … K24, two lines each; two not erased yet, one on each shard (sharded by the token) */
  let customers: string[] = [];
  async function oneOnEachShard(): Promise<[string, string]> {
    if (customers.length === 0) {
      customers = Array.from({ length: 24 }, (_, i) => `K${i + 1}`);
      const path = join(scratchDir(), 'two-shards.csv');
      writeFileSync(path, ['customer_id,date,amount', ...customers.flatMap((id) => [`${id},2023-03-01,10`, `${id},2023-04-01,5`])].join('\n') + '\n');
      await ingestFilesToClickHouse(cluster, [path], { keyring, now: new Date('2024-01-01T00:00:00Z') });
    }
    const [onShard0, onShard1] = (await cluster.queryOnEachShard(`SELECT DISTINCT customer_id FROM ${cluster.database}.customer_reid_local`)).map((answer) => new Set(answer.split('\n').filter(Boolean)));
    const pair = [customers.find((id) => onShard0!.has(tokenOf(id))), customers.find((id) => onShard1!.has(tokenOf(id)))];
    expect(pair.every(Boolean)).toBe(true);
    customers = customers.filter((id) => !pair.includes(id));
    return pair as [string, string];
  }

  /** The erase of `ids` with its first ALTER … DELETE (the first table's) run on shard 0, then refused by shard 1; returns its failure and the table. */
  async function eraseRefusedByShard1(ids: readonly string[]): Promise<{ failure: unknown; refused: string }> {
    const onEachShard = cluster.commandOnEachShard.bind(cluster);
    let refused = '';
    cluster.commandOnEachShard = async (sql) => {
      if (!refused && /^ALTER TABLE \S+ DELETE WHERE/.test(sql)) {
        refused = /^ALTER TABLE \S+\.(\S+)/.exec(sql)![1]!;
        await cluster.commandOnShard(0, sql);
        throw new Error('injected: shard 1 refused the ALTER');
      }
      return onEachShard(sql);
    };
    try {
      await eraseCustomersOnClickHouse(cluster, ids, { keyring, role: 'admin' });
      return { failure: undefined, refused };
    } catch (failure) {
      return { failure, refused };
    } finally {
      cluster.commandOnEachShard = onEachShard;
    }
  }
  const held = async (table: string, id: string) => Number((await cluster.query(`SELECT count(*) AS n FROM ${table} WHERE customer_id = '${tokenOf(id)}'`))[0]!.n);
  const eraseEntries = async (ids: readonly string[]) =>
    (await cluster.query(`SELECT target, row_counts, details FROM audit_log WHERE action = 'erase' AND target IN (${ids.map((id) => `'customer:${tokenOf(id)}'`).join(', ')}) ORDER BY seq`)).map((e) => [e.target, JSON.parse(String(e.row_counts)), JSON.parse(String(e.details))]);

  it('audits the rows the shards that took the ALTER deleted, and fails with the failed statement', async () => {
    const [first, second] = await oneOnEachShard();
    const { failure, refused } = await eraseRefusedByShard1([first, second]);
    expect(refused).toBe('customer_reid_local'); // the first table searched (by name)
    expect((failure as Error).message).toBe('injected: shard 1 refused the ALTER');
    await cluster.waitForMutations([refused]); // shard 0's mutation is asynchronous
    // shard 0's customer lost its customer_reid row; shard 1's kept it, and both kept their transactions (never reached)
    expect([await held('customer_reid', first), await held('customer_reid', second), await held('transactions', first), await held('transactions', second)]).toEqual([0, 1, 2, 2]);
    // and the erase is audited: one entry per customer, the rows deleted (shard 0's customer_reid row), chained and verified
    expect(await eraseEntries([first, second])).toEqual([
      [`customer:${tokenOf(first)}`, { customer_reid: 1 }, { tables_searched: 6 }],
      [`customer:${tokenOf(second)}`, {}, { tables_searched: 6 }],
    ]);
    expect(await verifyWarehouseAudit(cluster, keyring, { role: 'admin' })).toMatchObject({ ok: true });
  }, 180_000);

  it('names the table in the audit entry when the rows that ALTER took cannot be counted', async () => {
    const [first, second] = await oneOnEachShard();
    const wait = cluster.waitForMutations.bind(cluster);
    // the wait for customer_reid's mutations fails (the audit's own writes still work)
    cluster.waitForMutations = (tables, timeout) => (tables.some((t) => t.startsWith('customer_reid')) ? Promise.reject(new Error('injected: the shards do not answer')) : wait(tables, timeout));
    let outcome;
    try {
      outcome = await eraseRefusedByShard1([first, second]);
    } finally {
      cluster.waitForMutations = wait;
    }
    expect((outcome.failure as Error).message).toBe('injected: shard 1 refused the ALTER');
    const note = { tables_searched: 6, rows_may_be_deleted_uncounted_from: 'customer_reid' };
    expect(await eraseEntries([first, second])).toEqual([
      [`customer:${tokenOf(first)}`, {}, note],
      [`customer:${tokenOf(second)}`, {}, note],
    ]);
    expect(await verifyWarehouseAudit(cluster, keyring, { role: 'admin' })).toMatchObject({ ok: true });
  }, 180_000);
});
