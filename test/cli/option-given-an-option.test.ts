import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/run-cli.js';
import { captureIo, cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

/** Every command that runs (no subcommands of its own) with the names that reach it: ['campaign', 'evaluate'], … */
function leafCommands(command: Command, path: readonly string[] = []): { path: string[]; command: Command }[] {
  if (command.commands.length === 0) return [{ path: [...path], command }];
  return command.commands.flatMap((sub) => leafCommands(sub, [...path, sub.name()]));
}

// A user trial: `clvkit analyze t.csv --events --out /tmp/x` took --out as the event file and /tmp/x as a transaction
// file ("/tmp/x is a directory, not a file"): the parser gives an option that takes a value the next argument, whatever
// it is. Such a value is refused for every option of every command (the parser is shared).
describe('an option that takes a value, given another option', () => {
  it('is refused in one line naming both, with exit code 2, before anything runs', async () => {
    const dir = scratchDir();
    const out = join(dir, 'x');
    const run = await cli(['analyze', 't.csv', '--events', '--out', out]);
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'clvkit: error: --events needs a file; got the option --out (hint: give --events its value before the next option, as --events <file>; a value that itself starts with -- is written --events=VALUE)\n' });
    expect(existsSync(out)).toBe(false);
    expect((await cli(['ingest', 'a.csv', '--db', '--json'])).stderr).toBe('clvkit: error: --db needs a path; got the option --json (hint: give --db its value before the next option, as --db <path>; a value that itself starts with -- is written --db=VALUE)\n');
    expect((await cli(['validate', 'a.csv', '--calibration-end', '--holdout-end', '2024-01-01'])).stderr).toMatch(/^clvkit: error: --calibration-end needs a value \(<date>\); got the option --holdout-end \(hint: /);
    expect((await cli(['campaign', 'evaluate', '--db', '--audience', 'x'])).stderr).toMatch(/^clvkit: error: --db needs a path; got the option --audience \(hint: /);
    // an option unknown to the command, a misspelt one: still not a value
    expect((await cli(['analyze', 't.csv', '--customers', '--outt', out])).stderr).toMatch(/^clvkit: error: --customers needs a file; got --outt, which reads as an option \(hint: /);
    expect((await cli(['analyze', 't.csv', '--as-of', '--help'])).stderr).toMatch(/^clvkit: error: --as-of needs a value \(<date>\); got the option --help \(hint: /);
  });

  it('for every option of every command', async () => {
    const program = buildProgram(captureIo().io);
    const checked: string[] = [];
    for (const { path, command } of leafCommands(program)) {
      for (const option of command.options.filter((o) => o.required && o.long)) {
        const other = command.options.find((o) => o.long && o.long !== option.long)?.long ?? '--help';
        const run = await cli([...path, option.long!, other]);
        expect({ argv: [...path, option.long, other], code: run.code, stdout: run.stdout }).toEqual({ argv: [...path, option.long, other], code: 2, stdout: '' });
        expect(run.stderr).toMatch(new RegExp(`^clvkit: error: ${option.long} needs a[^;]*; got the option ${other} \\(hint: [^\\n]*\\)\\n$`));
        checked.push(`${path.join(' ')} ${option.long}`);
      }
    }
    expect(checked.length).toBeGreaterThan(150);
    expect(checked).toContain('analyze --events');
    expect(checked).toContain('serve --port');
  });

  it('a value that starts with -- can still be given with =, and values such as - or -5 are values', async () => {
    // --events=--out is taken as the file it names: missing, so the run stops there (not at the parse)
    expect((await cli(['analyze', 'missing.csv', '--events=--out'])).stderr).toBe('clvkit: error: no such file: missing.csv (hint: check the path (relative paths start from the current folder))\n');
    expect((await cli(['analyze', 'missing.csv', '--discount-rate', '-5'])).stderr).toMatch(/^clvkit: error: (no such file: missing\.csv|--discount-rate -5 is not a number)/);
  });
});
