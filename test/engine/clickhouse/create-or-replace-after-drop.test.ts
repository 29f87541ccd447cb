/**
 * `CREATE OR REPLACE [TEMP] TABLE t AS …` is a DROP TABLE IF EXISTS and a CREATE on ClickHouse (rewrite-statement.ts).
 * A run remakes its TEMP tables round after round (cross-sell's six, five times; the learned features' staged
 * categories, three times), each time right after dropping them itself: the connection does not drop again a name
 * it dropped and has not made since — and still replaces a table another writer made under that name meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouseWarehouse, type ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';

describe.skipIf(!CLICKHOUSE_URL)(`CREATE OR REPLACE after the connection's own DROP${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let other: ClickHouseWarehouse;
  let logged: ClickHouseWarehouse;
  const statements: string[] = [];
  beforeAll(async () => {
    other = await clickhouseWarehouse('replace_after_drop');
    await other.execute('CREATE OR REPLACE TABLE clv_seed AS SELECT 1 AS v'); // makes the database
    logged = await openClickHouseWarehouse(CLICKHOUSE_URL, { database: other.database, cluster: other.cluster, onStatement: (entry) => statements.push(entry.sql) });
  });
  afterAll(async () => {
    await logged?.close();
    await dropScratchDatabase(other);
  });

  const sent = async (sql: string) => {
    statements.length = 0;
    await logged.execute(sql);
    return statements.filter((s) => /^(DROP TABLE IF EXISTS|CREATE TABLE) clv_round\b/.test(s)).map((s) => s.split(' ').slice(0, 3).join(' '));
  };
  const value = async () => (await logged.query('SELECT v FROM clv_round')).map((row) => Number(row.v));

  it('drops before the first CREATE, not after its own DROP; drops again after a RENAME or another writer\'s CREATE', async () => {
    expect(await sent('CREATE OR REPLACE TEMP TABLE clv_round AS SELECT 1 AS v')).toEqual(['DROP TABLE IF', 'CREATE TABLE clv_round']);
    expect(await sent('DROP TABLE IF EXISTS clv_round')).toEqual(['DROP TABLE IF']);
    expect(await sent('CREATE OR REPLACE TEMP TABLE clv_round AS SELECT 2 AS v')).toEqual(['CREATE TABLE clv_round']);
    expect(await value()).toEqual([2]);
    // made again by the connection: replaced with a DROP first
    expect(await sent('CREATE OR REPLACE TEMP TABLE clv_round AS SELECT 3 AS v')).toEqual(['DROP TABLE IF', 'CREATE TABLE clv_round']);
    expect(await value()).toEqual([3]);
    // another writer makes the name after this connection dropped it: the CREATE fails, the DROP and CREATE run
    await logged.execute('DROP TABLE IF EXISTS clv_round');
    await other.execute('CREATE OR REPLACE TABLE clv_round AS SELECT 4 AS v');
    expect(await sent('CREATE OR REPLACE TEMP TABLE clv_round AS SELECT 5 AS v')).toEqual(['CREATE TABLE clv_round', 'DROP TABLE IF', 'CREATE TABLE clv_round']);
    expect(await value()).toEqual([5]);
    // a RENAME (or any other DDL) forgets what was dropped
    await logged.execute('DROP TABLE IF EXISTS clv_round');
    await logged.execute('RENAME TABLE clv_seed TO clv_round');
    expect(await sent('CREATE OR REPLACE TEMP TABLE clv_round AS SELECT 6 AS v')).toEqual(['DROP TABLE IF', 'CREATE TABLE clv_round']);
    expect(await value()).toEqual([6]);
    await logged.execute('DROP TABLE IF EXISTS clv_round');
  }, 60_000);
});
