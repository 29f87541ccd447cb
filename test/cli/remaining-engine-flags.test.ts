import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

// retention, customer, recommend, rules, sequences, keys, privacy, audit, lifecycle and cohorts take --engine clickhouse: bad flags are one
// line with a hint and exit code 2, an unreachable cluster too (no stack trace); no cluster is needed for these.
describe('the remaining --db commands with --engine clickhouse, flags', () => {
  const commands = [
    ['retention', 'apply', '--transactions', '3y'],
    ['customer', '100001', '--alive-path'],
    ['recommend', '--all'],
    ['rules'],
    ['sequences'],
    ['keys', 'rotate'],
    ['privacy', 'report'],
    ['audit', 'verify'],
    ['audit', 'list'],
    ['lifecycle'],
    ['cohorts'],
  ];
  const oneLine = (stderr: string) => expect(stderr.trim().split('\n').length).toBeLessThanOrEqual(2); // the message and its hint

  it('each takes --engine clickhouse and needs --clickhouse-url; --clickhouse-url alone needs --engine clickhouse', async () => {
    for (const command of commands) {
      const run = await cli([...command, '--engine', 'clickhouse']);
      expect(run.code, command.join(' ')).toBe(2);
      expect(run.stderr, command.join(' ')).toMatch(/--engine clickhouse needs --clickhouse-url/);
      oneLine(run.stderr);
      const stray = await cli([...command, '--clickhouse-url', 'http://127.0.0.1:1']);
      expect(stray.code, command.join(' ')).toBe(2);
      expect(stray.stderr).toMatch(/--clickhouse-url and --cluster need --engine clickhouse/);
    }
  });

  it('a read command on the cluster refuses a file or --db in one line', async () => {
    const cluster = ['--engine', 'clickhouse', '--clickhouse-url', 'http://127.0.0.1:1'];
    const file = await cli(['rules', 'orders.csv', ...cluster]);
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/rules --engine clickhouse reads the cluster, not a file/);
    oneLine(file.stderr);
    const db = await cli(['sequences', '--db', 'shop.duckdb', ...cluster]);
    expect(db.code).toBe(2);
    expect(db.stderr).toMatch(/--db and --engine clickhouse exclude each other/);
    oneLine(db.stderr);
  });

  it('says when no server answers at the URL', async () => {
    const saved = process.env.CLVKIT_KEY;
    process.env.CLVKIT_KEY = Buffer.alloc(32, 1).toString('base64');
    try {
      for (const command of commands) {
        const run = await cli([...command, '--role', 'admin', '--engine', 'clickhouse', '--clickhouse-url', 'http://127.0.0.1:1']);
        expect(run.code, command.join(' ')).toBe(2);
        expect(run.stderr, command.join(' ')).toMatch(/no ClickHouse server answers at http:\/\/127\.0\.0\.1:1/);
        expect(run.stderr).not.toMatch(/\n\s+at /);
      }
    } finally {
      if (saved === undefined) delete process.env.CLVKIT_KEY;
      else process.env.CLVKIT_KEY = saved;
    }
  });
});
