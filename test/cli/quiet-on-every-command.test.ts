/**
 * A data engineer's nightly job (session 43): cron mails whatever a job writes, and `--quiet` was there on ingest,
 * analyze and synth alone (each with its own meaning); `segments`, `audience create`, `playbook`, `campaign evaluate`
 * … wrote their notes and warnings on stderr with no way to silence them. Every command now takes --quiet: nothing on
 * stderr but errors (the one line of a refusal or a stop), the warnings still in --json `warnings` where a command
 * has them.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/run-cli.js';
import { captureIo, cli } from '../helpers/cli.js';
import { smallAnalysedShop } from '../helpers/small-analysed-shop.js';
import { FIXTURES } from '../helpers/warehouse.js';

const QUIET_HELP = 'nothing on stderr but errors, a stop and the few lines an operator must see (a key file created, a file others may read, serve\'s security warnings): no progress lines, notes or other warnings (with --json the warnings stay in its warnings, where the command has them)';

/** The commands that run (those without subcommands), by their path. */
function leaves(command: Command, path: string[] = []): [string, Command][] {
  if (command.commands.length === 0) return [[path.join(' '), command]];
  return command.commands.flatMap((c) => leaves(c, [...path, c.name()]));
}

describe('--quiet on every command', () => {
  it('every command that runs takes --quiet, said the same way in its --help', () => {
    const program = buildProgram(captureIo().io);
    const commands = leaves(program);
    expect(commands.length).toBeGreaterThan(30);
    for (const [path, command] of commands) expect([path, command.options.find((o) => o.long === '--quiet')?.description]).toEqual([path, QUIET_HELP]);
  });

  const shop = `${FIXTURES}shop/tiny-shop.csv`;

  it('leaves stderr empty but for errors: a read command’s warning goes, its refusal stays', async () => {
    const loud = await cli(['segments', shop, '--as-of', '2031-01-01']);
    expect(loud.code, loud.stderr).toBe(0);
    expect(loud.stderr).toMatch(/^clvkit: warning: --as-of 2031-01-01 is [\d,]+ days after the last purchase/);
    const quiet = await cli(['segments', shop, '--as-of', '2031-01-01', '--quiet']);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toBe(loud.stdout);
    const refused = await cli(['segments', join(FIXTURES, 'no-such-file.csv'), '--quiet']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^clvkit: error: /);
  });

  describe('on a warehouse', () => {
    let db: string;
    beforeAll(async () => {
      db = await smallAnalysedShop();
    }, 180_000);

    it('audience create --quiet says nothing on stderr; its --json warnings keep what it would have said', async () => {
      const create = (...extra: string[]) => cli(['audience', 'create', '--db', db, '--name', 'quiet-one', '--where', 'frequency >= 1', '--holdout', '0.3', '--idempotent', '--json', ...extra]);
      expect((await create()).code).toBe(0);
      const again = await create('--quiet');
      expect(again.code).toBe(0);
      expect(again.stderr).toBe('');
      expect(JSON.parse(again.stdout).warnings).toContain('audience quiet-one exists, drawn with the same inputs: answered as stored, nothing drawn again (--idempotent)');
    });
  });
});
