/**
 * An erase on ClickHouse whose delete (`ALTER TABLE … DELETE`, one statement
 * per shard) ran on shard 0 and failed on shard 1 has deleted rows: it must
 * audit them (it used to write no audit entry at all, since the table was
 * counted as mutated only once every shard took the ALTER) and fail with one
 * line (a `UserError`: it was reported as an internal error) naming the table
 * and shard that refused and how many customers' rows were deleted; its
 * entries say the erase failed (`outcome`, the rows left, the error): they
 * used to read as a done erase (a customer none of whose rows were deleted
 * got `{}`, as one without rows would).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryError } from '../../../src/core/errors/query-error.js';
import { UserError } from '../../../src/core/errors/user-error.js';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { ingestFilesToClickHouse } from '../../../src/ingest/ingest-files-to-clickhouse.js';
import { keyringFromKey } from '../../../src/privacy/keys/keyring.js';
import { createPseudonymiser } from '../../../src/privacy/tokens/pseudonymise.js';
import { eraseCustomersOnClickHouse } from '../../../src/privacy/warehouse/erase-customers-on-clickhouse.js';
import { verifyWarehouseAudit } from '../../../src/privacy/warehouse/warehouse-audit.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';
import { scratchDir } from '../../helpers/warehouse.js';

const keyring = keyringFromKey(Buffer.alloc(32, 11), { source: 'memory' });

describe.skipIf(!CLICKHOUSE_URL)(`an erase whose delete ran on one shard only${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse;
  beforeAll(async () => {
    cluster = await clickhouseWarehouse('erase_partial');
  });
  afterAll(() => dropScratchDatabase(cluster));

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
  async function eraseRefusedByShard1(ids: readonly string[], meanwhile = async () => {}): Promise<{ failure: unknown; refused: string }> {
    const onEachShard = cluster.commandOnEachShard.bind(cluster);
    let refused = '';
    cluster.commandOnEachShard = async (sql) => {
      if (!refused && /^ALTER TABLE \S+ DELETE WHERE/.test(sql)) {
        refused = /^ALTER TABLE \S+\.(\S+)/.exec(sql)![1]!;
        await cluster.commandOnShard(0, sql);
        await meanwhile();
        throw new QueryError(sql, new Error('injected: shard 1 refused the ALTER'), 1);
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

  const error = 'the delete from customer_reid was refused on shard 1: injected: shard 1 refused the ALTER';

  it('audits the rows the shards that took the ALTER deleted, as a failed erase, and fails with one line naming table and shard', async () => {
    const [first, second] = await oneOnEachShard();
    const { failure, refused } = await eraseRefusedByShard1([first, second]);
    expect(refused).toBe('customer_reid_local'); // the first table searched (by name)
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).message).toBe(`erase stopped part way: ${error}; 1 of 2 customers had rows deleted (1 row); every customer's audit entry says what was deleted and what is left`);
    expect((failure as UserError).hint).toMatch(/^run the same erase again/);
    await cluster.waitForMutations([refused]); // shard 0's mutation is asynchronous
    // shard 0's customer lost its customer_reid row; shard 1's kept it, and both kept their transactions (never reached)
    expect([await held('customer_reid', first), await held('customer_reid', second), await held('transactions', first), await held('transactions', second)]).toEqual([0, 1, 2, 2]);
    // and the erase is audited: one entry per customer, the rows deleted (shard 0's customer_reid row) and those left, as a
    // failed erase (shard 1's customer lost nothing), chained and verified
    expect(await eraseEntries([first, second])).toEqual([
      [`customer:${tokenOf(first)}`, { customer_reid: 1 }, { tables_searched: 6, outcome: 'partial', rows_left: { transactions: 2 }, error }],
      [`customer:${tokenOf(second)}`, {}, { tables_searched: 6, outcome: 'failed', rows_left: { customer_reid: 1, transactions: 2 }, error }],
    ]);
    expect(await verifyWarehouseAudit(cluster, keyring, { role: 'admin' })).toMatchObject({ ok: true });
  }, 180_000);

  it('an erase whose first ALTER shard 0 refused deleted nothing, and every entry says it failed', async () => {
    const [first, second] = await oneOnEachShard();
    const onEachShard = cluster.commandOnEachShard.bind(cluster);
    cluster.commandOnEachShard = async (sql) => {
      if (/^ALTER TABLE \S+ DELETE WHERE customer_id/.test(sql)) throw new QueryError(sql, new Error('injected: shard 0 refused the ALTER'), 0);
      return onEachShard(sql);
    };
    const failure = await eraseCustomersOnClickHouse(cluster, [first, second], { keyring, role: 'admin' })
      .catch((e: unknown) => e)
      .finally(() => (cluster.commandOnEachShard = onEachShard));
    const refusal = 'the delete from customer_reid was refused on shard 0: injected: shard 0 refused the ALTER';
    expect((failure as UserError).message).toBe(`erase stopped part way: ${refusal}; 0 of 2 customers had rows deleted (0 rows); every customer's audit entry says what was deleted and what is left`);
    const kept = { customer_reid: 1, transactions: 2 };
    expect(await eraseEntries([first, second])).toEqual([
      [`customer:${tokenOf(first)}`, {}, { tables_searched: 6, outcome: 'failed', rows_left: kept, error: refusal }],
      [`customer:${tokenOf(second)}`, {}, { tables_searched: 6, outcome: 'failed', rows_left: kept, error: refusal }],
    ]);
    expect(await verifyWarehouseAudit(cluster, keyring, { role: 'admin' })).toMatchObject({ ok: true });
  }, 180_000);

  it('says the rows counted as taken are a lower bound when an ingest copy ran meanwhile (rows it attached would be subtracted)', async () => {
    const [first, second] = await oneOnEachShard();
    const now = new Date();
    // a copy starts and ends while shard 0 deletes (its marks, as copyIngestToClickHouse writes them)
    const copy = async () => void (await cluster.append('ingest_copies', { ingest_id: [900, 900], phase: ['copying', 'copied'], recorded_at: [now, now], attempt: ['s9', 's9'] }));
    const { failure } = await eraseRefusedByShard1([first, second], copy);
    expect(failure).toBeInstanceOf(UserError);
    const [[, counts, details]] = await eraseEntries([first]);
    expect([counts, details.rows_deleted_at_least_from, details.outcome]).toEqual([{ customer_reid: 1 }, 'customer_reid', 'partial']);
    expect((await eraseEntries([second]))[0]![2].rows_deleted_at_least_from).toBe('customer_reid'); // every entry of that erase
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
    expect((outcome.failure as UserError).message).toBe(`erase stopped part way: ${error}; 0 of 2 customers had rows deleted (0 rows); every customer's audit entry says what was deleted and what is left`);
    // the rows left are counted all the same (the count works), said to be counted before the mutations were done: shard 0's
    // customer_reid row may still be there or gone
    const note = { tables_searched: 6, rows_may_be_deleted_uncounted_from: 'customer_reid', outcome: 'unknown', mutations_pending: true, error };
    const entries = await eraseEntries([first, second]);
    expect(entries).toEqual([
      [`customer:${tokenOf(first)}`, {}, { ...note, rows_left: expect.objectContaining({ transactions: 2 }) }],
      [`customer:${tokenOf(second)}`, {}, { ...note, rows_left: { customer_reid: 1, transactions: 2 } }],
    ]);
    expect([{ transactions: 2 }, { customer_reid: 1, transactions: 2 }]).toContainEqual(entries[0]![2].rows_left);
    expect(await verifyWarehouseAudit(cluster, keyring, { role: 'admin' })).toMatchObject({ ok: true });
  }, 180_000);
});
