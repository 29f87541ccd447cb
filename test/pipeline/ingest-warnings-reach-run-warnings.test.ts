/**
 * A file's ingest warnings (dates read month-first, columns guessed, …) among the warnings of the commands that ingest
 * it and then work: a QA pass read December 2010 written dd/mm as January–December with no word from analyze (the
 * warning sat in run.json's ingest.files[].warnings only).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRunSummary } from '../../src/cli/commands/analyze-command.js';
import { cli } from '../helpers/cli.js';
import { scratchDir, writeLines } from '../helpers/warehouse.js';

const AMBIGUOUS = "dates such as 01/12/2010 08:26 are ambiguous; read as month/day (%m/%d/%Y %H:%M); pass --date-format '%d/%m/%Y %H:%M' if they are day/month";

/** `customers` customers, two purchases each, on days 1–12 of December 2010 written dd/mm/yyyy (every day ≤ 12). */
function dmyLines(customers: number, from = 0): string[] {
  const lines = ['customer_id,date,amount'];
  for (let i = from; i < from + customers; i++) {
    const day = (n: number) => String(1 + (n % 12)).padStart(2, '0');
    lines.push(`c${i},${day(i)}/12/2010 08:26,${10 + (i % 7)}`, `c${i},${day(i + 5)}/12/2010 09:00,${3 + (i % 5)}`);
  }
  lines[1] = 'c0,01/12/2010 08:26,10'; // the line the warning quotes
  return lines;
}

describe('an ingest warning of a file among the warnings of a run on it', () => {
  const dir = scratchDir();
  const write = (name: string, lines: readonly string[]) => writeLines(dir, name, lines);
  const skips = ['--skip-models', '--skip-patterns', '--skip-report', '--quiet'];

  it('analyze: in run.json’s warnings and on the terminal, after the file’s name, once', async () => {
    const file = write('dmy.csv', dmyLines(6));
    const out = join(dir, 'one');
    const run = await cli(['analyze', file, '--out', out, ...skips, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.ingest.files[0].warnings).toEqual([AMBIGUOUS]);
    expect(summary.warnings.filter((w: string) => /ambiguous/.test(w))).toEqual([`dmy.csv: ${AMBIGUOUS}`]);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).warnings).toContain(`dmy.csv: ${AMBIGUOUS}`);
    const human = await cli(['analyze', file, '--out', join(dir, 'human'), ...skips]);
    expect(human.code, human.stderr).toBe(0);
    expect((human.stdout + human.stderr).split(AMBIGUOUS).length - 1).toBe(1);
    expect(formatRunSummary(summary)).toContain(`\n  warning    dmy.csv: ${AMBIGUOUS}`);
  }, 60_000);

  it('analyze of two files: each file’s warning after its name', async () => {
    const first = write('first.csv', dmyLines(3));
    const second = write('second.csv', dmyLines(3, 3));
    const run = await cli(['analyze', first, second, '--out', join(dir, 'two'), ...skips, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const warnings = JSON.parse(run.stdout).warnings.filter((w: string) => /ambiguous/.test(w));
    expect(warnings).toEqual([`first.csv: ${AMBIGUOUS}`, `second.csv: ${AMBIGUOUS}`]);
  }, 60_000);

  it('a read command given a file (cohorts): on stderr, once', async () => {
    const read = await cli(['cohorts', write('dmy-cohorts.csv', dmyLines(6)), '--min-group-size', '2']);
    expect(read.code, read.stderr).toBe(0);
    expect(read.stderr).toContain(`clvkit: warning: dmy-cohorts.csv: ${AMBIGUOUS}\n`);
    expect(read.stderr.split(AMBIGUOUS).length - 1).toBe(1);
  }, 60_000);

  it('summarize and validate: on stderr, once', async () => {
    const file = write('dmy-summarize.csv', dmyLines(6));
    const summarized = await cli(['summarize', file, '--out', join(dir, 'summary.csv')]);
    expect(summarized.code, summarized.stderr).toBe(0);
    expect(summarized.stderr).toContain(`clvkit: warning: dmy-summarize.csv: ${AMBIGUOUS}\n`);
    expect(summarized.stderr.split(AMBIGUOUS).length - 1).toBe(1);
    const many = write('dmy-validate.csv', dmyLines(60));
    const validated = await cli(['validate', many, '--calibration-end', '2010-10-01', '--no-learned', '--time-unit', 'day']);
    expect(validated.code, validated.stderr).toBe(0);
    expect(validated.stderr).toContain(`clvkit: warning: dmy-validate.csv: ${AMBIGUOUS}\n`);
    expect(validated.stderr.split(AMBIGUOUS).length - 1).toBe(1);
  }, 60_000);
});
