import { describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli.js';
import { FIXTURES } from '../../helpers/warehouse.js';

// analyze --engine clickhouse: bad flags are one line with a hint and exit code 2, before any cluster is contacted.
describe('clvkit analyze --engine clickhouse, flags', () => {
  const file = `${FIXTURES}shop/tiny-shop.csv`;

  it('needs --clickhouse-url', async () => {
    const run = await cli(['analyze', file, '--engine', 'clickhouse', '--quiet']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--engine clickhouse needs --clickhouse-url/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses --db beside it', async () => {
    const run = await cli(['analyze', file, '--engine', 'clickhouse', '--clickhouse-url', 'http://127.0.0.1:1', '--db', 'x.duckdb', '--quiet']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--db and --engine clickhouse exclude each other/);
  });

  it('asks for the key first, then says when no server answers at the URL', async () => {
    const saved = { key: process.env.CLVKIT_KEY, file: process.env.CLVKIT_KEY_FILE };
    delete process.env.CLVKIT_KEY;
    delete process.env.CLVKIT_KEY_FILE;
    const keyless = await cli(['analyze', file, '--engine', 'clickhouse', '--clickhouse-url', 'http://127.0.0.1:1', '--quiet']);
    expect(keyless.code).toBe(2);
    expect(keyless.stderr).toMatch(/no encryption key/);
    process.env.CLVKIT_KEY = Buffer.alloc(32, 1).toString('base64');
    const run = await cli(['analyze', file, '--engine', 'clickhouse', '--clickhouse-url', 'http://127.0.0.1:1', '--quiet']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no ClickHouse server answers at http:\/\/127\.0\.0\.1:1/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    if (saved.key === undefined) delete process.env.CLVKIT_KEY;
    else process.env.CLVKIT_KEY = saved.key;
    if (saved.file !== undefined) process.env.CLVKIT_KEY_FILE = saved.file;
  });
});
