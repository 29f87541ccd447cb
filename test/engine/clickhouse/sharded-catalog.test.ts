/**
 * The warehouse kept no answer to "which tables are sharded": it asked system.tables before every statement with a
 * JOIN or a CREATE OR REPLACE (78 times in one small analysis, ~10 ms of the cluster's CPU each). It now keeps the
 * catalog, updates it by its own DDL, and asks again only when a statement names a table it does not hold (another
 * writer may have made it) or after DDL it cannot read (sharded-catalog.ts).
 */
import { describe, expect, it } from 'vitest';
import { ShardedCatalog } from '../../../src/engine/clickhouse/sharded-catalog.js';

/** a catalog over `tables` (name → engine), counting its loads */
function catalogOver(tables: Map<string, string>) {
  let loads = 0;
  const catalog = new ShardedCatalog(async () => {
    loads += 1;
    return [...tables];
  });
  return { catalog, loads: () => loads };
}

describe('the kept catalog of sharded tables', () => {
  it('asks once for statements naming only tables it holds', async () => {
    const { catalog, loads } = catalogOver(new Map([['transactions', 'Distributed'], ['customer_summary', 'MergeTree']]));
    for (let i = 0; i < 5; i++) expect(await catalog.sharded('SELECT * FROM customer_summary s JOIN transactions t USING (customer_id)')).toEqual(new Set(['transactions']));
    expect(loads()).toBe(1);
    // nor for a column read by EXTRACT, nor for a new table an analysis makes (not sharded: see sharded-catalog.ts)
    expect(await catalog.sharded('SELECT EXTRACT(MONTH FROM first_ts) AS m FROM customer_summary s JOIN transactions t USING (customer_id)')).toEqual(new Set(['transactions']));
    expect(await catalog.sharded('CREATE OR REPLACE TABLE clv_staged_customer_rfm AS SELECT * FROM customer_summary JOIN transactions USING (customer_id)')).toEqual(new Set(['transactions']));
    expect(await catalog.sharded('SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t ON t.table_name = c.table_name')).toEqual(new Set(['transactions']));
    expect(loads()).toBe(1);
  });

  it('asks again when a statement names a table it does not hold (another writer made it), and not for a CTE name', async () => {
    const tables = new Map([['customer_summary', 'MergeTree']]);
    const { catalog, loads } = catalogOver(tables);
    expect(await catalog.sharded('SELECT * FROM customer_summary')).toEqual(new Set());
    tables.set('events', 'Distributed'); // made by another process
    expect(await catalog.sharded('SELECT * FROM customer_summary JOIN events USING (customer_id)')).toEqual(new Set(['events']));
    expect(loads()).toBe(2);
    expect(await catalog.sharded('WITH e AS (SELECT * FROM events) SELECT * FROM customer_summary JOIN e USING (customer_id)')).toEqual(new Set(['events']));
    expect(loads()).toBe(2);
  });

  // regression (docs/scaling.md, session 25): the CTEs of a CREATE OR REPLACE … AS WITH … (the learned features' three
  // times, RFM, value tiers) and ARRAY JOIN arrayMap(…) (the event sessions) were taken for tables not held: 7 loads of
  // system.tables in one small analysis on the cluster
  it('does not ask again for the CTEs of a CREATE OR REPLACE … AS WITH …, for ARRAY JOIN or a table function', async () => {
    const tables = new Map([['customer_summary', 'MergeTree'], ['events', 'Distributed']]);
    const { catalog, loads } = catalogOver(tables);
    expect(await catalog.sharded('SELECT * FROM customer_summary')).toEqual(new Set(['events']));
    const statements = [
      'CREATE OR REPLACE TEMP TABLE clv_x AS WITH base AS (SELECT * FROM customer_summary), ranked AS (SELECT * FROM base) SELECT * FROM ranked r JOIN base b USING (customer_id)',
      'CREATE OR REPLACE TABLE clv_staged_customer_rfm AS\nWITH lines AS (SELECT * FROM events) SELECT * FROM lines JOIN customer_summary USING (customer_id)',
      'INSERT INTO clv_y SELECT * FROM (SELECT * FROM events) v ARRAY JOIN arrayMap(x -> x, times) AS t JOIN customer_summary USING (customer_id)',
      'SELECT number FROM numbers(10) JOIN customer_summary ON 1 = 1',
    ];
    for (const sql of statements) expect(await catalog.sharded(sql)).toEqual(new Set(['events']));
    expect(loads()).toBe(1);
    // a table read inside a CTE's body is still asked for when not held
    tables.set('transactions', 'Distributed');
    expect(await catalog.sharded('CREATE OR REPLACE TEMP TABLE clv_x AS WITH t AS (SELECT * FROM transactions) SELECT * FROM t JOIN customer_summary USING (customer_id)')).toEqual(new Set(['events', 'transactions']));
    expect(loads()).toBe(2);
  });

  it('follows its own DDL without asking: an entry-node replacement, a sharded create, a rename swap, a drop', async () => {
    const { catalog, loads } = catalogOver(new Map([['scores', 'Distributed'], ['customer_rfm', 'MergeTree']]));
    expect(await catalog.sharded('SELECT * FROM scores JOIN customer_rfm USING (customer_id)')).toEqual(new Set(['scores']));
    catalog.note('DROP TABLE IF EXISTS scores');
    catalog.note('CREATE TABLE scores ENGINE = MergeTree ORDER BY tuple() AS SELECT 1 AS n');
    catalog.note('CREATE TABLE IF NOT EXISTS db.events_local (customer_id String) ENGINE = MergeTree ORDER BY customer_id');
    catalog.note('CREATE TABLE IF NOT EXISTS db.events AS db.events_local ENGINE = Distributed(c, db, events_local, cityHash64(customer_id))');
    catalog.note('CREATE TABLE clv_staged_customer_rfm ENGINE = MergeTree ORDER BY tuple() AS SELECT 1 AS n');
    catalog.note('RENAME TABLE customer_rfm TO clv_replaced_customer_rfm, clv_staged_customer_rfm TO customer_rfm');
    catalog.note('DROP TABLE IF EXISTS clv_replaced_customer_rfm');
    expect(await catalog.sharded('SELECT * FROM scores JOIN customer_rfm USING (customer_id) JOIN events USING (customer_id)')).toEqual(new Set(['events']));
    expect(loads()).toBe(1);
    expect(await catalog.sharded('SELECT * FROM clv_replaced_customer_rfm JOIN scores USING (customer_id)')).toEqual(new Set(['scores']));
    expect(loads()).toBe(2); // dropped by its own DDL: not held, asked again
  });

  it('answers the engine of one table from what it holds, and asks when it does not hold it', async () => {
    const tables = new Map([['transactions', 'Distributed'], ['customer_summary', 'MergeTree']]);
    const { catalog, loads } = catalogOver(tables);
    expect(await catalog.engineOf('transactions')).toBe('Distributed');
    expect(await catalog.engineOf('Customer_Summary')).toBe('MergeTree');
    expect(loads()).toBe(1);
    expect(await catalog.engineOf('events')).toBeNull();
    expect(loads()).toBe(2);
    tables.set('events', 'Distributed'); // another writer made it
    expect(await catalog.engineOf('events')).toBe('Distributed');
    expect(loads()).toBe(3);
  });

  it('asks again after DDL it cannot read, after a failed DDL, and keeps no answer a DDL overtook', async () => {
    const tables = new Map([['transactions', 'Distributed']]);
    const { catalog, loads } = catalogOver(tables);
    await catalog.sharded('SELECT * FROM transactions');
    catalog.note('CREATE TABLE copy AS transactions'); // engine not named
    await catalog.sharded('SELECT * FROM transactions');
    expect(loads()).toBe(2);
    catalog.failed('DROP TABLE transactions');
    await catalog.sharded('SELECT * FROM transactions');
    expect(loads()).toBe(3);
    catalog.note('INSERT INTO transactions SELECT * FROM x'); // not DDL: kept
    catalog.failed('SELECT 1');
    await catalog.sharded('SELECT * FROM transactions');
    expect(loads()).toBe(3);
    // a load in flight while this connection's DDL lands: used by its statement, not kept
    let release!: () => void;
    let slowLoads = 0;
    const slow = new ShardedCatalog(async () => {
      slowLoads += 1;
      await new Promise<void>((resolve) => (release = resolve));
      return [['transactions', 'Distributed']];
    });
    const pending = slow.sharded('SELECT * FROM transactions');
    slow.note('DROP TABLE IF EXISTS transactions');
    release();
    expect(await pending).toEqual(new Set(['transactions']));
    const again = slow.sharded('SELECT * FROM transactions');
    await Promise.resolve();
    release();
    expect(await again).toEqual(new Set(['transactions']));
    expect(slowLoads).toBe(2); // it loaded again: the first answer was not kept
  });

  // docs/scaling.md, session 25, bookkeeping: tableExists answered from the kept catalog only where that is current
  it('answers whether a table exists from what it holds for sharded tables and its own, and asks again for the others', async () => {
    const tables = new Map([['transactions', 'Distributed'], ['customer_summary', 'MergeTree']]);
    const { catalog, loads } = catalogOver(tables);
    expect(await catalog.exists('transactions')).toBe(true); // nothing kept yet: asked
    expect(loads()).toBe(1);
    expect(await catalog.exists('transactions')).toBe(true); // a schema table: no clvkit statement drops one
    expect(loads()).toBe(1);
    tables.delete('customer_summary'); // another writer's entry-node table, dropped since: asked again, and gone
    expect(await catalog.exists('customer_summary')).toBe(false);
    expect(loads()).toBe(2);
    expect(await catalog.exists('customer_rfm')).toBe(false); // not held: asked again
    expect(loads()).toBe(3);
    catalog.note('CREATE TABLE clv_staged_customer_rfm ENGINE = MergeTree ORDER BY tuple() AS SELECT 1 AS x');
    tables.set('clv_staged_customer_rfm', 'MergeTree');
    expect(await catalog.exists('clv_staged_customer_rfm')).toBe(true); // its own: not asked
    catalog.note('RENAME TABLE clv_staged_customer_rfm TO customer_rfm');
    tables.delete('clv_staged_customer_rfm');
    tables.set('customer_rfm', 'MergeTree');
    expect(await catalog.exists('customer_rfm')).toBe(true); // the target of its own rename: not asked
    expect(loads()).toBe(3);
    expect(await catalog.exists('clv_staged_customer_rfm')).toBe(false); // renamed away: not held, asked
    expect(loads()).toBe(4);
    catalog.note('DROP TABLE IF EXISTS customer_rfm');
    tables.delete('customer_rfm');
    expect(await catalog.exists('customer_rfm')).toBe(false);
    expect(loads()).toBe(5);
    // a table made by another writer and seen in a load is not its own: asked each time
    tables.set('audiences', 'MergeTree');
    expect(await catalog.exists('audiences')).toBe(true);
    expect(await catalog.exists('audiences')).toBe(true);
    expect(loads()).toBe(7);
    // DDL it cannot read forgets what it made
    catalog.note('CREATE TABLE clv_x ENGINE = MergeTree ORDER BY tuple() AS SELECT 1 AS x');
    tables.set('clv_x', 'MergeTree');
    catalog.note('ALTER TABLE clv_x ADD COLUMN y UInt8');
    catalog.note('CREATE DATABASE IF NOT EXISTS other');
    expect(await catalog.exists('clv_x')).toBe(true);
    expect(loads()).toBe(8);
    expect(await catalog.exists('clv_x')).toBe(true);
    expect(loads()).toBe(9);
  });
});
