import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { appendAtomically, attachStagedTables, rowsHeldEach, stageRowBatches, stagingName } from '../../../src/engine/clickhouse/append-atomically.js';
import { dropOrphanedScratch } from '../../../src/engine/clickhouse/scratch-leases.js';
import { ensureLeaseTable } from '../../helpers/killed-writer.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';

describe.skipIf(!CLICKHOUSE_URL)(`appendAtomically on a ClickHouse cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let wh: ClickHouseWarehouse;
  beforeAll(async () => {
    wh = await clickhouseWarehouse('atomic');
    await wh.execute('CREATE TABLE tx (customer_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, amount DOUBLE NOT NULL, ingest_id BIGINT NOT NULL)');
  });
  afterAll(() => dropScratchDatabase(wh));

  const count = async () => Number((await wh.query('SELECT count(*) AS n FROM tx'))[0]!.n);
  const stagingTables = async () => (await wh.queryOnEachShard(`SELECT count() FROM system.tables WHERE database = '${wh.database}' AND position(name, '__staging_') > 0`)).map(Number);

  it('adds every row of a batch, spread over the shards, across months (partitions)', async () => {
    const n = 1000;
    const customers = Array.from({ length: n }, (_, i) => `c_${i % 97}`);
    const ts = Array.from({ length: n }, (_, i) => new Date(Date.UTC(2023, i % 5, 1 + (i % 28), 12)));
    const added = await appendAtomically(wh, 'tx', { customer_id: customers, ts, amount: Array.from({ length: n }, (_, i) => i / 4), ingest_id: new Array(n).fill(1) });
    expect(added).toBe(n);
    expect(await count()).toBe(n);
    const [sum] = await wh.query('SELECT sum(amount) AS s, count(DISTINCT customer_id) AS c FROM tx');
    expect(sum).toEqual({ s: (999 * 1000) / 8, c: 97 });
    expect((await wh.rowsPerShard('tx')).every((rows) => rows > 0)).toBe(true);
    expect(await stagingTables()).toEqual(wh.shardUrls.map(() => 0));
  });

  it('attaches the staged months with one ALTER per shard, not one per partition', async () => {
    const before = await count();
    const n = 600;
    const ts = Array.from({ length: n }, (_, i) => new Date(Date.UTC(2021, i % 6, 1 + (i % 28), 12)));
    const sent = vi.spyOn(wh, 'commandOnShard');
    try {
      const added = await appendAtomically(wh, 'tx', { customer_id: Array.from({ length: n }, (_, i) => `m_${i % 53}`), ts, amount: new Array(n).fill(1), ingest_id: new Array(n).fill(4) });
      expect(added).toBe(n);
      const attaches = sent.mock.calls.filter(([, sql]) => /ATTACH PARTITION/.test(sql));
      // every shard holds rows of the six months: one statement each, naming all six partitions
      expect(attaches.map(([shard]) => shard)).toEqual(wh.shardUrls.map((_, i) => i));
      for (const [, sql] of attaches) expect(sql.match(/ATTACH PARTITION ID '2021\d\d' FROM/g)).toHaveLength(6);
    } finally {
      sent.mockRestore();
    }
    expect(await count()).toBe(before + n);
    const perMonth = await wh.query("SELECT toMonth(ts) AS m, count(*) AS n FROM tx WHERE ingest_id = 4 GROUP BY m ORDER BY m");
    expect(perMonth).toEqual([1, 2, 3, 4, 5, 6].map((m) => ({ m, n: 100 })));
  });

  it('adds nothing when the batch fails half-way, and leaves no staging table', async () => {
    const before = await count();
    const n = 250_000; // more than one insert batch: the first batch reaches staging before the bad value fails
    const amount = Array.from({ length: n }, () => 1 as number | string);
    amount[n - 1] = 'not a number';
    await expect(
      appendAtomically(wh, 'tx', { customer_id: new Array(n).fill('c_x'), ts: new Array(n).fill(new Date('2023-02-01T00:00:00Z')), amount, ingest_id: new Array(n).fill(2) }),
    ).rejects.toThrow();
    expect(await count()).toBe(before);
    expect(await stagingTables()).toEqual(wh.shardUrls.map(() => 0));
  });

  it('stages rows sent in batches as one INSERT into the shards: one part per month and shard, not one per batch, and no landing table left', async () => {
    const staging = stagingName('tx');
    const batch = (from: number, n: number) => ({
      customer_id: Array.from({ length: n }, (_, i) => `c_${(from + i) % 89}`),
      ts: Array.from({ length: n }, (_, i) => new Date(Date.UTC(2022, (from + i) % 4, 1 + ((from + i) % 28), 6))),
      amount: Array.from({ length: n }, (_, i) => (from + i) / 8),
      ingest_id: new Array(n).fill(3),
    });
    try {
      // five batches, each over the four months
      const rows = await stageRowBatches(wh, 'tx', staging, async (send) => {
        for (let b = 0; b < 5; b++) await send(batch(b * 400, 400));
      });
      expect(rows).toBe(2000);
      const [staged] = await wh.query(`SELECT count(*) AS n, sum(amount) AS s FROM ${staging}`);
      expect(staged).toEqual({ n: 2000, s: (1999 * 2000) / 16 });
      const partsPerMonth = await wh.queryOnEachShard(`SELECT max(parts) FROM (SELECT partition_id, count() AS parts FROM system.parts WHERE database = '${wh.database}' AND table = '${staging}_local' AND active GROUP BY partition_id)`);
      expect(partsPerMonth.map(Number)).toEqual(wh.shardUrls.map(() => 1)); // one INSERT per batch made 5
      expect(await wh.query(`SELECT name FROM system.tables WHERE database = '${wh.database}' AND name = '${staging}_landing'`)).toEqual([]);
    } finally {
      await wh.dropShardedTable(staging);
    }
    // a batch that fails: nothing staged counts, the landing table is dropped too
    const failing = stagingName('tx');
    try {
      await expect(
        stageRowBatches(wh, 'tx', failing, async (send) => {
          await send(batch(0, 10));
          await send({ ...batch(10, 10), amount: new Array(10).fill('not a number') });
        }),
      ).rejects.toThrow();
    } finally {
      await wh.dropShardedTable(failing);
    }
    expect(await stagingTables()).toEqual(wh.shardUrls.map(() => 0));
  });

  it('stages one announced batch straight into the staging table (no landing table), and a batch past it through the landing table', async () => {
    const batch = (from: number, n: number) => ({
      customer_id: Array.from({ length: n }, (_, i) => `c_${(from + i) % 89}`),
      ts: Array.from({ length: n }, (_, i) => new Date(Date.UTC(2022, (from + i) % 4, 1 + ((from + i) % 28), 6))),
      amount: Array.from({ length: n }, (_, i) => (from + i) / 8),
      ingest_id: new Array(n).fill(5),
    });
    const one = stagingName('tx');
    const gaps = stagingName('tx');
    const sent: string[] = [];
    const execute = wh.execute.bind(wh);
    wh.execute = async (sql) => (sent.push(sql), execute(sql));
    try {
      expect(await stageRowBatches(wh, 'tx', one, async (send) => send(batch(0, 300)), { oneBatch: true })).toBe(300);
      expect(sent.filter((sql) => sql.includes('_landing'))).toEqual([]);
      // a source whose row ids have gaps hands a small table over in two batches: the second lands, then joins the first
      expect(await stageRowBatches(wh, 'tx', gaps, async (send) => (await send(batch(0, 5)), send(batch(5, 7))), { oneBatch: true })).toBe(12);
      expect(sent.filter((sql) => sql.includes('_landing')).map((sql) => sql.split(' ')[0])).toEqual(['CREATE', 'INSERT', 'DROP']);
      // both counted in one query per shard, and attached with one look at system.parts per shard
      expect(await rowsHeldEach(wh, [one, gaps])).toEqual([300, 12]);
      const before = await count();
      const looks: string[] = [];
      const onEachShard = wh.queryOnEachShard.bind(wh);
      wh.queryOnEachShard = async (sql) => (looks.push(sql), onEachShard(sql));
      try {
        await attachStagedTables(wh, [{ staging: one, table: 'tx' }, { staging: gaps, table: 'tx' }]);
      } finally {
        wh.queryOnEachShard = onEachShard;
      }
      expect(looks.filter((sql) => sql.includes('system.parts'))).toHaveLength(1);
      expect(await count()).toBe(before + 312);
      const [added] = await wh.query('SELECT sum(amount) AS s FROM tx WHERE ingest_id = 5');
      expect(added!.s).toBe((299 * 300) / 16 + (11 * 12) / 16);
    } finally {
      wh.execute = execute;
      await wh.dropShardedTable(one);
      await wh.dropShardedTable(gaps);
    }
    expect(await stagingTables()).toEqual(wh.shardUrls.map(() => 0));
  });

  it('drops staging tables a crash left behind: leased, its lease lapsed; made before leases, older than the bound', async () => {
    await ensureLeaseTable(wh);
    await wh.commandOnEachShard(`INSERT INTO ${wh.database}.scratch_leases VALUES ('1_ab', '', now() - 61)`);
    await wh.commandOnEachShard(`CREATE TABLE ${wh.database}.tx__staging_1_ab_local AS ${wh.database}.tx_local`);
    expect(await dropOrphanedScratch(wh)).toEqual(['tx__staging_1_ab']);
    await wh.commandOnEachShard(`CREATE TABLE ${wh.database}.tx__staging_1_x_local AS ${wh.database}.tx_local`); // no lease id: made before leases
    expect(await dropOrphanedScratch(wh)).toEqual([]); // younger than an hour
    expect(await dropOrphanedScratch(wh, { staleSeconds: 0 })).toEqual(['tx__staging_1_x']);
    expect(await stagingTables()).toEqual(wh.shardUrls.map(() => 0));
  });
});
