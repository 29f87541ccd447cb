import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/run-cli.js';
import { cli, useFixedKey } from '../helpers/cli.js';

// `--db PATH` with `--engine clickhouse` used to be ignored silently by ingest, segments, audience, retention and most
// other commands (exit 0 on the cluster, the file never read), while analyze, rules and sequences refused it. Every
// command that takes both refuses it the same way, in one line, before any cluster is contacted (the URL here answers
// nothing: a command that went on would say so instead). erase and serve take --db on a cluster as the state file of
// a server on it, so they keep it.
const KEEP_DB_ON_CLUSTER = ['erase', 'serve'];

// what each command needs to reach its action (its required arguments and mandatory options)
const COMMANDS: Record<string, string[]> = {
  ingest: ['ingest', 'orders.csv'],
  validate: ['validate', '--calibration-end', '2023-08-31'],
  'ingests list': ['ingests', 'list'],
  'ingests drop': ['ingests', 'drop', '1'],
  rules: ['rules'],
  sequences: ['sequences'],
  recommend: ['recommend', '--all'],
  segments: ['segments'],
  lifecycle: ['lifecycle'],
  cohorts: ['cohorts'],
  analyze: ['analyze'],
  'privacy report': ['privacy', 'report'],
  'keys rotate': ['keys', 'rotate'],
  'audit verify': ['audit', 'verify'],
  'audit list': ['audit', 'list'],
  'retention apply': ['retention', 'apply', '--transactions', '3y'],
  customer: ['customer', '100001', '--alive-path'],
  'audience create': ['audience', 'create', '--name', 'a', '--where', 'true'],
  'audience list': ['audience', 'list'],
  'audience show': ['audience', 'show', 'a'],
  'audience drop': ['audience', 'drop', 'a'],
  'campaign evaluate': ['campaign', 'evaluate', '--audience', 'a', '--from', '2011-01-01', '--to', '2011-02-01'],
  'campaign compare': ['campaign', 'compare'],
  'campaign uplift-model': ['campaign', 'uplift-model', '--audience', 'a', '--from', '2011-01-01', '--to', '2011-02-01'],
  playbook: ['playbook', '--out', 'playbook-out'],
};

/** Every command of the CLI that takes both --db and --engine, by its path (`audience create`). */
function commandsWithDbAndEngine(): string[] {
  const io = { stdout: { write: () => true }, stderr: { write: () => true, isTTY: false } };
  const found: string[] = [];
  const walk = (command: Command, path: string[]) => {
    const flags = command.options.map((option) => option.long);
    if (flags.includes('--db') && flags.includes('--engine')) found.push(path.join(' '));
    for (const sub of command.commands) walk(sub, [...path, sub.name()]);
  };
  walk(buildProgram(io), []);
  return found;
}

describe('--db with --engine clickhouse is refused by every command that takes both', () => {
  useFixedKey(3);
  const cluster = ['--engine', 'clickhouse', '--clickhouse-url', 'http://127.0.0.1:1', '--db', 'shop.duckdb'];

  it('the table covers every such command (erase and serve keep --db as a state file)', () => {
    expect(commandsWithDbAndEngine().filter((path) => !KEEP_DB_ON_CLUSTER.includes(path)).sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  it.each(Object.entries(COMMANDS))('%s', async (_name, args) => {
    const run = await cli([...args, ...cluster]);
    expect(run.stderr).toMatch(/^clvkit: error: --db and --engine clickhouse exclude each other \(hint: the cluster is the warehouse: drop --db, or drop --engine clickhouse to use the warehouse file\)\n$/);
    expect(run.code).toBe(2);
  });

  it.each(KEEP_DB_ON_CLUSTER)('%s still takes --db on a cluster (the state file of a server on it)', async (name) => {
    // without a URL: the command's own check answers (a refused --db would be said first, before its action)
    const run = await cli([name, ...(name === 'erase' ? ['c1'] : []), '--engine', 'clickhouse', '--db', 'shop.duckdb']);
    expect(run.stderr).toMatch(/^clvkit: error: --engine clickhouse needs --clickhouse-url/);
    expect(run.code).toBe(2);
  });
});
