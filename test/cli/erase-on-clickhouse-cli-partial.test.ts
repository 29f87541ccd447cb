/**
 * `clvkit erase` on a cluster where one shard refuses a table's delete after
 * the other took it: some customers' rows are gone and audited by then. It
 * used to print "internal error — please report it" (the shard's QueryError)
 * and exit 1; it is one line (exit 2) saying how many customers' rows were
 * deleted and audited, which table and shard refused, and to run the same
 * erase again — which then finishes it.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QueryError } from '../../src/core/errors/query-error.js';
import { ClickHouseWarehouse, openClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { initKeyFile } from '../../src/privacy/keys/key-file.js';
import { createPseudonymiser } from '../../src/privacy/tokens/pseudonymise.js';
import { cli } from '../helpers/cli.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL } from '../helpers/clickhouse.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

describe.skipIf(!CLICKHOUSE_URL)(`clvkit erase on a cluster one shard of which refuses the delete${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const database = `clvkit_test_erase_cli_partial_${process.pid}`;
  afterAll(async () => {
    const wh = await openClickHouseWarehouse(CLICKHOUSE_URL, { database });
    await wh.dropDatabase();
    await wh.close();
  });

  it('fails with one line (exit 2) naming the table, the shard and the customers whose rows went; the same erase again finishes it', async () => {
    const keyFile = join(scratchDir(), 'erase-partial.key');
    // a fixed key: the shards the customers land on (by token) are the same every run, some on each
    const tokenOf = createPseudonymiser(initKeyFile(keyFile, { key: Buffer.alloc(32, 23) }));
    const target = ['--engine', 'clickhouse', '--clickhouse-url', CLICKHOUSE_URL, '--clickhouse-database', database, '--key-file', keyFile, '--role', 'admin'];
    expect((await cli(['ingest', `${FIXTURES}shop/tiny-shop.csv`, ...target])).code).toBe(0);
    // every customer id of the shop; those held (an encrypted original id in customer_reid), and those shard 0 holds
    const ids = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'];
    const wh = await openClickHouseWarehouse(CLICKHOUSE_URL, { database });
    const [onShard0, onShard1] = (await wh.queryOnEachShard(`SELECT customer_id FROM ${database}.customer_reid_local`)).map((answer) => answer.split('\n'));
    await wh.close();
    const shard0 = ids.filter((id) => onShard0!.includes(tokenOf(id))).length;
    const shard1 = ids.filter((id) => onShard1!.includes(tokenOf(id))).length;
    expect([shard0 > 0, shard1 > 0, shard0 + shard1]).toEqual([true, true, 6]); // both shards hold some of the 6 customers kept
    // the first customer delete (customer_reid's) runs on shard 0, then shard 1 refuses it; the command opens its own warehouse
    const onEachShard = ClickHouseWarehouse.prototype.commandOnEachShard;
    let armed = true;
    ClickHouseWarehouse.prototype.commandOnEachShard = async function (this: ClickHouseWarehouse, sql: string) {
      if (armed && /^ALTER TABLE \S+ DELETE WHERE customer_id/.test(sql)) {
        armed = false;
        await this.commandOnShard(0, sql);
        throw new QueryError(sql, new Error('injected: shard 1 refused the ALTER'), 1);
      }
      return onEachShard.call(this, sql);
    };
    let failed;
    try {
      failed = await cli(['erase', ...ids, ...target]);
    } finally {
      ClickHouseWarehouse.prototype.commandOnEachShard = onEachShard;
    }
    expect(failed.code).toBe(2);
    expect(failed.stderr).toBe(
      `clvkit: error: erase stopped part way: the delete from customer_reid was refused on shard 1: injected: shard 1 refused the ALTER; ${shard0} of 9 customers had rows deleted (${shard0} rows); every customer's audit entry says what was deleted and what is left` +
        ' (hint: run the same erase again once the cluster answers (an erase is idempotent: the rows already deleted are not found again))\n',
    );
    const again = await cli(['erase', ...ids, ...target, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ rowCounts: { customer_reid: shard1, transactions: 14 } }); // what was left, all of it
  }, 180_000);

  it('fails with one line (exit 2) when the cluster fails before any delete is sent (it was an internal error, exit 1), and records no token as erased', async () => {
    const keyFile = join(scratchDir(), 'erase-before-delete.key');
    initKeyFile(keyFile, { key: Buffer.alloc(32, 29) });
    const db = `${database}_before`;
    const target = ['--engine', 'clickhouse', '--clickhouse-url', CLICKHOUSE_URL, '--clickhouse-database', db, '--key-file', keyFile, '--role', 'admin'];
    expect((await cli(['ingest', `${FIXTURES}shop/tiny-shop.csv`, ...target])).code).toBe(0);
    const query = ClickHouseWarehouse.prototype.query;
    ClickHouseWarehouse.prototype.query = async function (this: ClickHouseWarehouse, sql: string) {
      // the counts of every table (one UNION ALL query, then each alone once it failed)
      if (/SELECT customer_id, count\(\*\) AS n FROM/.test(sql)) throw new QueryError(sql, new Error('injected: the cluster does not answer'));
      return query.call(this, sql);
    } as typeof query;
    let failed;
    try {
      failed = await cli(['erase', 'A', ...target]);
    } finally {
      ClickHouseWarehouse.prototype.query = query;
    }
    expect(failed.code).toBe(2);
    expect(failed.stderr).toBe('clvkit: error: erase failed before any row was deleted (nothing deleted, nothing audited): injected: the cluster does not answer (hint: run the same erase again once the cluster answers)\n');
    const wh = await openClickHouseWarehouse(CLICKHOUSE_URL, { database: db });
    try {
      expect(Number((await wh.query("SELECT count(*) AS n FROM audit_log WHERE action = 'erase'"))[0]!.n)).toBe(0);
      // nor recorded as erased: the file holding A is not refused (A's rows are all still there); it used to be
      expect(Number((await wh.query('SELECT count(*) AS n FROM erased_customers'))[0]!.n)).toBe(0);
    } finally {
      await wh.dropDatabase();
      await wh.close();
    }
  }, 180_000);
});
