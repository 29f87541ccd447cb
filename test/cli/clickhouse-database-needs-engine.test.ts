import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

const SHOP = `${FIXTURES}shop/tiny-shop.csv`;

// --clickhouse-database without --engine clickhouse used to be ignored: `clvkit ingest FILE --clickhouse-database shop`
// loaded the file into the DuckDB file --db (./clvkit.duckdb by default) and exited 0, so a user moving to the cluster
// found their data in a local file instead. Refused like a stray --clickhouse-url, before anything is read or written.
describe('--clickhouse-database needs --engine clickhouse', () => {
  it('ingest refuses it in one line and writes no warehouse file', async () => {
    const db = join(scratchDir(), 'shop.duckdb');
    const run = await cli(['ingest', SHOP, '--db', db, '--clickhouse-database', 'shop']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--clickhouse-database needs --engine clickhouse/);
    expect(run.stderr).toMatch(/--engine clickhouse --clickhouse-url/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(db)).toBe(false);
  });

  it('a read command refuses it too', async () => {
    const run = await cli(['segments', SHOP, '--clickhouse-database', 'shop']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--clickhouse-database needs --engine clickhouse/);
  });

  it('--engine duckdb with it is refused as well, and the URL flags keep their message', async () => {
    const run = await cli(['segments', SHOP, '--engine', 'duckdb', '--clickhouse-database', 'shop']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--clickhouse-database needs --engine clickhouse/);
    const url = await cli(['segments', SHOP, '--clickhouse-url', 'http://127.0.0.1:1', '--clickhouse-database', 'shop']);
    expect(url.code).toBe(2);
    expect(url.stderr).toMatch(/--clickhouse-url and --cluster need --engine clickhouse/);
  });
});
