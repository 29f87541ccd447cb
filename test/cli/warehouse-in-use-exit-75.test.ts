/**
 * A nightly job that overlaps the previous night's run finds the warehouse in use by another process: a passing
 * condition, not a fault in what it was given. It exited 2, as a bad flag or file does, so a script could not tell
 * "retry later" from "fix the input" without reading the words (session 42's scripting trial, D5). It exits 75
 * (EX_TEMPFAIL of sysexits.h: "temporary failure; the user is invited to retry"), with the same one line and hint.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('a warehouse in use by another process: exit 75, one line', () => {
  const dir = scratchDir();
  const db = join(dir, 'shop.duckdb');
  const orders = join(dir, 'orders.csv');
  let holder: ChildProcess;
  beforeAll(async () => {
    writeFileSync(orders, 'order_id,customer_id,date,amount\nO1,C1,2024-01-02,10\nO2,C2,2024-01-03,12\n');
    expect((await cli(['ingest', orders, '--db', db, '--quiet'])).code).toBe(0);
    // another process holds the file, as a running ingest, analyze or clvkit serve does
    holder = spawn(process.execPath, ['--input-type=module', '-e', `import { DuckDBInstance } from '@duckdb/node-api'; const i = await DuckDBInstance.create(${JSON.stringify(db)}); await i.connect(); console.log('ready'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      holder.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      holder.on('exit', (code) => reject(new Error(`the holder exited ${code}`)));
    });
  }, 60_000);
  afterAll(() => {
    holder?.kill('SIGKILL');
  });

  it.each([
    ['ingest', ['ingest', 'ORDERS', '--db', 'DB', '--json']],
    ['audience list', ['audience', 'list', '--db', 'DB', '--json']],
    ['ingests list', ['ingests', 'list', '--db', 'DB']],
  ])('%s', async (_, args) => {
    const run = await cli(args.map((a) => (a === 'DB' ? db : a === 'ORDERS' ? orders : a)));
    expect([run.code, run.stdout]).toEqual([75, '']);
    expect(run.stderr).toBe(`clvkit: error: the database ${db} is in use by another process (hint: close the other clvkit run or use another --db)\n`);
  });

  it('users add while a server holds the warehouse: 75, with the API route to use instead', async () => {
    process.env.CLVKIT_PASSWORD = 'long enough password';
    try {
      const add = await cli(['users', 'add', 'zed', '--role', 'viewer', '--db', db]);
      expect(add.code).toBe(75);
      expect(add.stderr).toMatch(/^clvkit: error: the warehouse .* is in use by another process \(a running clvkit serve holds it\) \(hint: .*POST \/api\/users/);
    } finally {
      delete process.env.CLVKIT_PASSWORD;
    }
  });
});
