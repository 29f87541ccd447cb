import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_READ_ATTEMPTS, isConnectionOutOfStep, isUnknownTable, readsCatalog, withCatalogRetry } from '../../../src/engine/clickhouse/catalog-race.js';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';

const RACE = new Error("Code: 60, e.displayText() = DB::Exception: Table db.t__staging_1_a doesn't exist., e.what() = DB::Exception");

/** A read that fails `failures` times with `error`, then answers 'ok'; counts its calls. */
function flaky(failures: number, error: Error) {
  const read = { calls: 0, run: async () => (++read.calls <= failures ? Promise.reject(error) : 'ok') };
  return read;
}

describe('catalog reads repeated when a table is dropped beside them (ClickHouse 18.16 race)', () => {
  it('a catalog read that loses the race is repeated until it answers', async () => {
    const read = flaky(2, RACE);
    await expect(withCatalogRetry(`SELECT name FROM system.tables WHERE database = 'db'`, read.run)).resolves.toBe('ok');
    expect(read.calls).toBe(3);
  });

  it('gives up after CATALOG_READ_ATTEMPTS and reports the error as it came', async () => {
    const read = flaky(99, RACE);
    await expect(withCatalogRetry(`SELECT engine FROM system.tables`, read.run)).rejects.toBe(RACE);
    expect(read.calls).toBe(CATALOG_READ_ATTEMPTS);
  });

  it('a statement that does not read the catalog, or another error, fails at once', async () => {
    const other = flaky(1, RACE);
    await expect(withCatalogRetry('SELECT count() FROM db.transactions', other.run)).rejects.toBe(RACE);
    expect(other.calls).toBe(1);
    const syntax = flaky(1, new Error('Code: 62, e.displayText() = DB::Exception: Syntax error'));
    await expect(withCatalogRetry('SELECT name FROM system.tables', syntax.run)).rejects.toThrow('Syntax error');
    expect(syntax.calls).toBe(1);
  });

  // seen once in ~15 runs of test/ingest/ingest-files-to-clickhouse.test.ts (an innocent GROUP BY over ingest_copies)
  const OUT_OF_STEP = new Error(
    'Code: 101, e.displayText() = DB::Exception: Received from 127.0.0.1:19622. DB::NetException. DB::NetException: Unexpected packet Data received from client., e.what() = DB::Exception',
  );

  it('any read sent over a shard connection left out of step (ClickHouse < 20.12, a distributed query cancelled while it was sent) is sent again', async () => {
    const read = flaky(1, OUT_OF_STEP);
    await expect(withCatalogRetry('SELECT ingest_id FROM ingest_copies GROUP BY ingest_id', read.run)).resolves.toBe('ok');
    expect(read.calls).toBe(2);
    expect(isConnectionOutOfStep(OUT_OF_STEP)).toBe(true);
    expect(isConnectionOutOfStep(Object.assign(new Error('x'), { code: '101' }))).toBe(true);
    expect(isConnectionOutOfStep(new Error('Code: 1010, something'))).toBe(false);
    expect(isConnectionOutOfStep(RACE)).toBe(false);
  });

  it('knows the catalog statements and the unknown-table error', () => {
    expect(readsCatalog('SELECT table AS table_name FROM SYSTEM.COLUMNS WHERE 1')).toBe(true);
    expect(readsCatalog('SELECT * FROM system.parts')).toBe(false);
    expect(isUnknownTable(RACE)).toBe(true);
    expect(isUnknownTable(Object.assign(new Error('x'), { code: '60' }))).toBe(true);
    expect(isUnknownTable(new Error('Code: 600, something'))).toBe(false);
  });
});

describe.skipIf(!CLICKHOUSE_URL)(`catalog reads beside tables being dropped, on a cluster${CLICKHOUSE_URL ? '' : ` (${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse;
  beforeAll(async () => {
    cluster = await clickhouseWarehouse('catalog_race');
    await cluster.createShardedTable('CREATE TABLE events_held (customer_id VARCHAR, n BIGINT)');
  });
  afterAll(() => dropScratchDatabase(cluster));

  // Before the retry about 1 read in 700 failed here ("Table … scratch_2 doesn't exist"): ~2.6 of the 1,800 reads below,
  // so a build without the retry fails this test about 12 times in 13. A fixed number of reads, not a time: how many
  // reads a second the cluster answers beside the drops is a bench line (`npm run bench -- --engine clickhouse --only
  // catalog-reads`, bench/cases/clickhouse-catalog-reads.ts), as a ratio to the same reads without them.
  it('isShardedTable, information_schema and the per-shard listing never fail while another writer creates and drops tables', async () => {
    const ROUNDS = 600; // three reads each
    let stop = false;
    let drops = 0;
    const churn = (async () => {
      for (let i = 0; !stop; i++) {
        const table = `${cluster.database}.scratch_${i % 5}`;
        await cluster.execute(`CREATE TABLE IF NOT EXISTS ${table} (x UInt8) ENGINE = MergeTree ORDER BY x`);
        await cluster.execute(`DROP TABLE IF EXISTS ${table}`);
        drops++;
      }
    })();
    const failures: string[] = [];
    let dropsDuringReads = 0;
    try {
      const before = drops;
      for (let round = 0; round < ROUNDS; round++) {
        for (const read of [
          async () => expect(await cluster.isShardedTable('events_held')).toBe(true),
          async () => expect((await cluster.query(`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'events_held'`))[0]!.n).toBe(1),
          async () => expect(await cluster.queryOnEachShard(`SELECT name FROM system.tables WHERE database = '${cluster.database}' AND name = 'events_held_local'`)).toEqual(['events_held_local', 'events_held_local']),
        ]) {
          await read().catch((error: unknown) => failures.push(String(error).slice(0, 160)));
        }
      }
      dropsDuringReads = drops - before;
    } finally {
      stop = true;
      await churn;
    }
    expect(failures).toEqual([]);
    // the reads ran beside the drops (968 drops beside the 1,800 reads at load 18): not a speed, a check that the race was run
    expect(dropsDuringReads).toBeGreaterThan(ROUNDS / 20);
  }, 300_000); // a bound on a hang: 1,800 reads take ~5 s on a quiet cluster, ~100 s at load 18
});
