/**
 * A command a message suggests does what it says when pasted into a shell, also for a word that starts with `-`:
 * the shell passes `'-orders.csv'` to clvkit as `-orders.csv` whatever the quotes, and the parser then reads it as an
 * option. Regression: after `clvkit ingest --db w.duckdb -- -orders.csv`, `ingests drop` printed "the file can be
 * ingested again: clvkit ingest -orders.csv --db w.duckdb", which, pasted, fails with "unknown option"; a drop of it
 * again printed the same command unquoted. A relative path that starts with `-` is now written `./-orders.csv`
 * (shellPath), a value of an option that starts with `-` `--flag=-value` (shellOption), and an operand that is not a
 * path (a customer id) goes after `--` at the end of the command.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shellOption, shellPath } from '../../src/core/shell-word.js';
import { readingFlags } from '../../src/ingest/reading-flags.js';
import { cli, useFixedKey } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

/** The words a POSIX shell makes of `command` (quotes removed), as the program it runs receives them. */
function shellWords(command: string): string[] {
  const out = execFileSync('sh', ['-c', `set -- ${command}; printf '%s\\0' "$@"`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

/** The `clvkit …` command a line suggests after `marker`, up to ` (` or the end of the line. */
function suggested(text: string, marker: string): string {
  const line = text.split('\n').find((l) => l.includes(marker));
  expect(line, `no line with ${marker} in:\n${text}`).toBeDefined();
  const rest = line!.slice(line!.indexOf(marker) + marker.length);
  return rest.split(' (')[0]!.trim();
}

describe('suggested commands guard the words that start with -', () => {
  useFixedKey(9);
  let cwd: string;
  let dir: string;
  beforeEach(() => {
    cwd = process.cwd();
    dir = scratchDir();
    copyFileSync(join(FIXTURES, 'shop', 'tiny-shop.csv'), join(dir, '-orders.csv'));
    process.chdir(dir); // the file is named relative to the current folder, as a user in its folder does
  });
  afterEach(() => process.chdir(cwd));

  it('ingests drop: "ingest again" names ./-orders.csv, and the command pasted ingests that file', async () => {
    const first = await cli(['ingest', '--db', 'w.duckdb', '--quiet', '--', '-orders.csv']);
    expect(first.code, first.stderr).toBe(0);
    const drop = await cli(['ingests', 'drop', '1', '--db', 'w.duckdb', '--role', 'admin']);
    expect(drop.code, drop.stderr).toBe(0);
    const again = suggested(drop.stdout, 'the file can be ingested again: ');
    expect(again).toBe('clvkit ingest ./-orders.csv --db w.duckdb');
    const words = shellWords(again);
    expect(words).toEqual(['clvkit', 'ingest', './-orders.csv', '--db', 'w.duckdb']);
    const pasted = await cli(words.slice(1));
    expect(pasted.code, pasted.stderr).toBe(0);
    expect(pasted.stdout).toMatch(/^\.\/-orders\.csv — csv/);
    const list = await cli(['ingests', 'list', '--db', 'w.duckdb']);
    expect(list.stdout).toMatch(/\n 2 +\S+ \S+ +transactions +22 +14 +8 +22 .*-orders\.csv\n/); // held again
  }, 60_000);

  it('ingests drop of an ingest dropped already: its hint names ./-orders.csv too', async () => {
    expect((await cli(['ingest', '--db', 'w.duckdb', '--quiet', '--', '-orders.csv'])).code).toBe(0);
    expect((await cli(['ingests', 'drop', '1', '--db', 'w.duckdb', '--role', 'admin'])).code).toBe(0);
    const twice = await cli(['ingests', 'drop', '1', '--db', 'w.duckdb', '--role', 'admin']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('(hint: ingest the file again: clvkit ingest ./-orders.csv --db w.duckdb)');
  }, 60_000);

  it('customer given a file: the analyze command names ./-orders.csv, the customer id that starts with - goes after --', async () => {
    const run = await cli(['customer', '--', '-C1', '-orders.csv']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('(hint: clvkit analyze ./-orders.csv --db shop.duckdb, then clvkit customer --db shop.duckdb -- -C1; ');
    const pasted = shellWords('clvkit customer --db shop.duckdb -- -C1');
    // the id reaches the command as its operand (no warehouse here: the refusal names it, not an unknown option)
    const reached = await cli(pasted.slice(1));
    expect(reached.stderr).not.toMatch(/unknown option/);
    expect(reached.code).toBe(2);
  }, 60_000);
});

describe('shellPath and shellOption', () => {
  it('a relative path that starts with - gets ./; others as shellWord writes them', () => {
    expect(shellPath('-orders.csv')).toBe('./-orders.csv');
    expect(shellPath("-my shop's.csv")).toBe("'./-my shop'\\''s.csv'");
    expect(shellPath('orders.csv')).toBe('orders.csv');
    expect(shellPath('/data/-orders.csv')).toBe('/data/-orders.csv');
  });

  it('a value that starts with - is given with =, in the reading flags of an ingest hint too', () => {
    expect(shellOption('--timezone', '-05:00')).toBe('--timezone=-05:00');
    expect(shellOption('--date-format', '--%d')).toBe("--date-format='--%d'");
    expect(shellOption('--delimiter', ';')).toBe("--delimiter ';'");
    expect(readingFlags({ timezone: '-05:00', dateFormats: ['-%d-%m-%Y'] })).toEqual(["--date-format='-%d-%m-%Y'", '--timezone=-05:00']);
  });
});
