/**
 * An option of a group's subcommands given to the group itself (`clvkit ingests --db x`) was refused as "unknown
 * option '--db'" with the hint to read `clvkit ingests --help` (QA, session 36). The hint now shows the command
 * that takes it: the subcommand first, then the words typed (`clvkit ingests list --db x`); exit 2 as before.
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/run-cli.js';
import { captureIo, cli } from '../helpers/cli.js';

describe('an option given to a command group before its subcommand', () => {
  it('clvkit ingests --db x: the hint is clvkit ingests list --db x', async () => {
    expect(await cli(['ingests', '--db', 'x.duckdb'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "clvkit: error: unknown option '--db' (hint: options go after the subcommand: clvkit ingests list --db x.duckdb)\n",
    });
  });

  it('a subcommand typed after the option is put first: clvkit ingests --db x drop 3 → clvkit ingests drop --db x 3', async () => {
    expect((await cli(['ingests', '--db', 'x.duckdb', 'drop', '3'])).stderr).toBe("clvkit: error: unknown option '--db' (hint: options go after the subcommand: clvkit ingests drop --db x.duckdb 3)\n");
  });

  it('users, tokens and keys: the list subcommand; a group without list names the subcommands that take the option', async () => {
    expect((await cli(['users', '--db', 'a.duckdb'])).stderr).toBe("clvkit: error: unknown option '--db' (hint: options go after the subcommand: clvkit users list --db a.duckdb)\n");
    expect((await cli(['tokens', '--db=a.duckdb'])).stderr).toBe("clvkit: error: unknown option '--db=a.duckdb' (hint: options go after the subcommand: clvkit tokens list --db=a.duckdb)\n");
    expect((await cli(['campaign', '--db', 'a.duckdb'])).stderr).toMatch(/^clvkit: error: unknown option '--db' \(hint: options go after the subcommand: clvkit campaign [a-z-]+(\|[a-z-]+)+ --db a\.duckdb\)\n$/);
  });

  it('every group: an option one of its subcommands takes gets a hint naming the group and a subcommand, exit 2', async () => {
    const program = buildProgram(captureIo().io);
    const groups = program.commands.filter((c: Command) => c.commands.length > 0);
    expect(groups.map((g) => g.name())).toEqual(expect.arrayContaining(['ingests', 'users', 'tokens', 'keys', 'campaign', 'audience', 'privacy']));
    for (const group of groups) {
      const option = group.commands.flatMap((c) => c.options).find((o) => o.long && o.long !== '--help' && !group.options.some((g) => g.long === o.long))!;
      const run = await cli([group.name(), option.long!, 'v']);
      expect(run.code, `${group.name()} ${option.long}`).toBe(2);
      expect(run.stderr, `${group.name()} ${option.long}`).toMatch(new RegExp(`^clvkit: error: unknown option '${option.long}' \\(hint: options go after the subcommand: clvkit ${group.name()} [a-z|-]+ ${option.long} v\\)\\n$`));
    }
  });

  it('an option no subcommand takes keeps the hint to read the group’s help', async () => {
    expect((await cli(['ingests', '--bogus'])).stderr).toBe("clvkit: error: unknown option '--bogus' (hint: run clvkit ingests --help for usage)\n");
  });
});
