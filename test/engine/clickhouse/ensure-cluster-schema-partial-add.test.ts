/**
 * The nullable column a later migration added (`ingest_copies.attempt`,
 * migration 10) is added to a cluster's existing table on each shard's local
 * table, then the Distributed one; 18.16 has no ADD COLUMN IF NOT EXISTS.
 * An add that stopped part way (shard 0 took it, shard 1 refused) used to
 * break every later command ("column with this name already exists" from
 * shard 0, reported as an internal error), and so did a concurrent add.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors/user-error.js';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { ensureClusterSchema } from '../../../src/engine/clickhouse/ensure-cluster-schema.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse } from '../../helpers/clickhouse.js';

describe.skipIf(!CLICKHOUSE_URL)(`adding a later migration's column to a cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse | undefined;
  afterEach(async () => {
    await cluster?.dropDatabase();
    await cluster?.close();
    cluster = undefined;
  });

  /** A cluster whose ingest_copies is migration 9's (no attempt column), with `onShard(shard, sql, run)` in place of each shard's ADD COLUMN. */
  async function before10(name: string, onShard: (shard: number, sql: string, run: () => Promise<void>) => Promise<void>): Promise<ClickHouseWarehouse> {
    cluster = await clickhouseWarehouse(name);
    const c = cluster;
    await c.execute('CREATE TABLE ingest_copies (ingest_id BIGINT NOT NULL, phase VARCHAR NOT NULL, recorded_at TIMESTAMP NOT NULL)');
    expect(await c.isShardedTable('ingest_copies')).toBe(true);
    const [one, each] = [c.commandOnShard.bind(c), c.commandOnEachShard.bind(c)];
    c.commandOnShard = (shard, sql) => (/ ADD COLUMN /.test(sql) ? onShard(shard, sql, () => one(shard, sql)) : one(shard, sql));
    c.commandOnEachShard = async (sql) => {
      if (!/ ADD COLUMN /.test(sql)) return each(sql);
      for (const shard of [0, 1]) await onShard(shard, sql, () => one(shard, sql));
    };
    return c;
  }
  /** Where the attempt column is: [shard 0's local table, shard 1's, the entry node's Distributed table]. */
  const attemptColumn = async (c: ClickHouseWarehouse) => [
    ...(await c.queryOnEachShard(`SELECT count() FROM system.columns WHERE database = '${c.database}' AND table = 'ingest_copies_local' AND name = 'attempt'`)).map(Number),
    (await c.query("SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'ingest_copies' AND column_name = 'attempt'")).map((row) => Number(row.n))[0],
  ];

  it('an add shard 1 refused fails with one line naming the shard, and the next call finishes it', async () => {
    let refuse = true;
    const c = await before10('add_part_way', async (shard, _sql, run) => {
      if (refuse && shard === 1) throw new Error('injected: shard 1 refused the ADD COLUMN');
      await run();
    });
    const failure = await ensureClusterSchema(c).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).message).toBe("the cluster's schema could not be brought up to date: adding column attempt on shard 1 (ingest_copies_local) failed: injected: shard 1 refused the ADD COLUMN");
    expect((failure as UserError).hint).toMatch(/run the same command again/);
    expect(await attemptColumn(c)).toEqual([1, 0, 0]); // part way: shard 0 only
    refuse = false;
    expect(await ensureClusterSchema(c)).toEqual([]); // the tables were all made by the first call
    expect(await attemptColumn(c)).toEqual([1, 1, 1]);
    await c.append('ingest_copies', { ingest_id: [1], phase: ['copying'], recorded_at: [new Date('2024-01-01T00:00:00Z')], attempt: ['a1'] });
    expect(await c.query('SELECT ingest_id, attempt FROM ingest_copies')).toEqual([{ ingest_id: 1, attempt: 'a1' }]);
  }, 120_000);

  it('a column another call added meanwhile ("already exists", code 44) is success', async () => {
    // another call adds the column on each shard just before this one does
    const c = await before10('add_concurrent', async (_shard, sql, run) => {
      await run();
      if (/ingest_copies_local/.test(sql)) await run(); // this call's own add, which 18.16 refuses with code 44
    });
    await ensureClusterSchema(c);
    expect(await attemptColumn(c)).toEqual([1, 1, 1]);
  }, 120_000);
});
