/**
 * A command a message suggests can be pasted into a shell as printed: a warehouse path or file name with a blank or a
 * quote in it is quoted (shellWord). Regression (a new user's trial): `clvkit ingests drop 1 --db 'sp ace/w h.duckdb'`
 * printed "the file can be ingested again: clvkit ingest my shop's file.csv --db sp ace/w h.duckdb", which the shell
 * reads as an unclosed quote; `tokens list` and `users list` on an empty warehouse named it unquoted too.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initKeyFile } from '../../src/privacy/keys/key-file.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('commands suggested in messages quote the paths they name', () => {
  it('ingests drop, tokens list and users list', async () => {
    const dir = join(scratchDir(), 'sp ace');
    mkdirSync(dir);
    const db = join(dir, 'w h.duckdb');
    initKeyFile(`${db}.key`, { key: Buffer.alloc(32, 3) });
    const file = join(dir, "my shop's file.csv");
    writeFileSync(file, 'customer_id,date,amount\nA,2023-01-01,5\nB,2023-01-02,6\n');
    const ingest = await cli(['ingest', file, '--db', db, '--quiet']);
    expect(ingest.code, ingest.stderr).toBe(0);
    const quotedDb = `'${db}'`;
    const drop = await cli(['ingests', 'drop', '1', '--db', db, '--role', 'admin']);
    expect(drop.code, drop.stderr).toBe(0);
    // by the path its ingest printed, quoted (the file's name alone: session 41)
    expect(drop.stdout).toContain(`the file can be ingested again: clvkit ingest '${dir}/my shop'\\''s file.csv' --db ${quotedDb} (with the reading options it needs)`);
    const tokens = await cli(['tokens', 'list', '--db', db]);
    expect(tokens.stdout).toBe(`no API tokens (clvkit tokens create NAME --role ROLE --db ${quotedDb})\n`);
    const users = await cli(['users', 'list', '--db', db]);
    expect(users.stdout).toBe(`no users: create the first admin with clvkit users add NAME --role admin --db ${quotedDb}\n`);
  }, 60_000);

  // second review: these still named the file unquoted
  it('segments and lifecycle on a cluster given a file, customer given a file', async () => {
    const file = join(scratchDir(), "my shop's file.csv");
    writeFileSync(file, 'customer_id,date,amount\nA,2023-01-01,5\n');
    const word = `'${file.replaceAll("'", "'\\''")}'`;
    for (const command of ['segments', 'lifecycle']) {
      const run = await cli([command, file, '--engine', 'clickhouse', '--clickhouse-url', 'http://127.0.0.1:1']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`clvkit ingest ${word} --engine clickhouse`);
    }
    const customer = await cli(['customer', 'A B', file]);
    expect(customer.code).toBe(2);
    expect(customer.stderr).toContain(`clvkit analyze ${word} --db shop.duckdb, then clvkit customer 'A B' --db shop.duckdb`);
  }, 60_000);
});
