import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { cli, useFixedKey } from '../../helpers/cli.js';
import { FIXTURES, scratchDir } from '../../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseFlags } from '../../helpers/clickhouse.js';

const clusterOption = process.env.CLVKIT_CLICKHOUSE_CLUSTER ? { cluster: process.env.CLVKIT_CLICKHOUSE_CLUSTER } : {};

/** Whether the cluster has the database (opened without creating it: a missing one is refused). */
async function databaseExists(database: string): Promise<boolean> {
  try {
    const warehouse = await openClickHouseWarehouse(CLICKHOUSE_URL, { database, createDatabase: false, ...clusterOption });
    await warehouse.close();
    return true;
  } catch (error) {
    if (/no database/.test(String(error))) return false;
    throw error;
  }
}

async function dropDatabase(database: string): Promise<void> {
  const warehouse = await openClickHouseWarehouse(CLICKHOUSE_URL, { database, ...clusterOption });
  await warehouse.dropDatabase();
  await warehouse.close();
}

// A file refused by `ingest --db new.duckdb` leaves no warehouse behind ("nothing was ingested: removed the new
// warehouse … again"); on a cluster the same refusal left the new database, its tables made and empty, on every shard
// (session 41: the lifetimes summary of the donations data ingested into a fresh --clickhouse-database), which later
// commands then took for a database holding clvkit data and named among them.
describe.skipIf(!CLICKHOUSE_URL)(`a refused ingest into a new cluster database leaves none${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  useFixedKey(7);
  const summary = () => {
    const file = join(scratchDir(), 'summary.csv');
    writeFileSync(file, 'frequency,recency,T\n0,0,6\n1,1,6\n2,3,6\n');
    return file;
  };

  it('ingest: refused in one line (exit 2), the database it created removed again and said so, as on DuckDB', async () => {
    const database = `clvkit_test_refused_first_${process.pid}`;
    try {
      const file = summary();
      const dir = scratchDir();
      const duck = await cli(['ingest', file, '--db', join(dir, 'new.duckdb')]);
      expect(duck.code).toBe(2);
      expect(duck.stderr).toMatch(/nothing was ingested: removed the new warehouse/);
      const run = await cli(['ingest', file, ...clickhouseFlags(database)]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/no column for required role 'customer_id'/);
      expect(run.stderr).toMatch(new RegExp(`nothing was ingested: removed the new database ${database} again`));
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(await databaseExists(database)).toBe(false);
    } finally {
      if (await databaseExists(database)) await dropDatabase(database);
    }
  }, 120_000);

  it('analyze with a refused file: the new database removed again too', async () => {
    const database = `clvkit_test_refused_analyze_${process.pid}`;
    try {
      const run = await cli(['analyze', summary(), '--out', join(scratchDir(), 'out'), ...clickhouseFlags(database)]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`removed the new database ${database} again`));
      expect(await databaseExists(database)).toBe(false);
    } finally {
      if (await databaseExists(database)) await dropDatabase(database);
    }
  }, 120_000);

  it('a database that held data before is kept, with what it held', async () => {
    const database = `clvkit_test_refused_kept_${process.pid}`;
    try {
      const first = await cli(['ingest', `${FIXTURES}shop/tiny-shop.csv`, '--quiet', ...clickhouseFlags(database)]);
      expect(first.code, first.stderr).toBe(0);
      const refused = await cli(['ingest', summary(), ...clickhouseFlags(database)]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).not.toMatch(/removed the new database/);
      const listed = await cli(['ingests', 'list', '--json', ...clickhouseFlags(database)]);
      expect(listed.code, listed.stderr).toBe(0);
      expect(JSON.stringify(JSON.parse(listed.stdout))).toMatch(/tiny-shop\.csv/);
    } finally {
      if (await databaseExists(database)) await dropDatabase(database);
    }
  }, 120_000);

  // Review (session 41, high): "created" meant only that the entry node lacked the database, and the check for data
  // read `ingests` and `ingest_copies` on the entry node: a database that existed on another shard alone (made there
  // without ON CLUSTER, an entry node restored) was dropped from every shard with the rows it held
  it('a database another shard held already is kept, with its rows, though the entry node lacked it', async () => {
    const database = `clvkit_test_refused_shard_${process.pid}`;
    const probe = await openClickHouseWarehouse(CLICKHOUSE_URL, { database: 'system', createDatabase: false, ...clusterOption });
    const last = probe.shardUrls.at(-1)!;
    await probe.close();
    const onLast = async (query: string) => {
      const response = await fetch(last, { method: 'POST', body: query });
      if (!response.ok) throw new Error(`${query}: ${await response.text()}`);
      return (await response.text()).trim();
    };
    try {
      await onLast(`CREATE DATABASE ${database}`);
      await onLast(`CREATE TABLE ${database}.keep (x UInt8) ENGINE = MergeTree ORDER BY x`);
      await onLast(`INSERT INTO ${database}.keep VALUES (1)`);
      const run = await cli(['ingest', summary(), ...clickhouseFlags(database)]);
      expect(run.code).toBe(2);
      expect(run.stderr).not.toMatch(/removed the new database/);
      expect(await onLast(`SELECT count() FROM ${database}.keep`)).toBe('1');
    } finally {
      await onLast(`DROP DATABASE IF EXISTS ${database}`);
      if (await databaseExists(database)) await dropDatabase(database);
    }
  }, 120_000);
});
