import { describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli.js';

// campaign evaluate|compare|uplift-model --engine clickhouse: bad flags are one line with a hint and exit code 2,
// an unreachable cluster too (no stack trace); no cluster is needed for these.
describe('clvkit campaign --engine clickhouse, flags', () => {
  const window = ['--audience', 'past', '--from', '2024-01-01', '--to', '2024-01-31'];
  const commands = [['campaign', 'evaluate', ...window], ['campaign', 'compare'], ['campaign', 'uplift-model', ...window]];

  it('each subcommand takes --engine clickhouse and needs --clickhouse-url', async () => {
    for (const command of commands) {
      const run = await cli([...command, '--engine', 'clickhouse']);
      expect(run.code, command.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/--engine clickhouse needs --clickhouse-url/);
      expect(run.stderr.trim().split('\n').length).toBeLessThanOrEqual(2); // the message and its hint
    }
  });

  it('refuses an unknown engine, and --clickhouse-url without --engine clickhouse', async () => {
    const unknown = await cli(['campaign', 'compare', '--engine', 'spark']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--engine spark is not duckdb or clickhouse/);
    const stray = await cli(['campaign', 'compare', '--clickhouse-url', 'http://127.0.0.1:1']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/--clickhouse-url and --cluster need --engine clickhouse/);
  });

  it('says when no server answers at the URL', async () => {
    const saved = process.env.CLVKIT_KEY;
    process.env.CLVKIT_KEY = Buffer.alloc(32, 1).toString('base64');
    try {
      for (const command of commands) {
        const run = await cli([...command, '--engine', 'clickhouse', '--clickhouse-url', 'http://127.0.0.1:1']);
        expect(run.code, command.join(' ')).toBe(2);
        expect(run.stderr).toMatch(/no ClickHouse server answers at http:\/\/127\.0\.0\.1:1/);
        expect(run.stderr).not.toMatch(/\n\s+at /);
      }
    } finally {
      if (saved === undefined) delete process.env.CLVKIT_KEY;
      else process.env.CLVKIT_KEY = saved;
    }
  });
});
