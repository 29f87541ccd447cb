/**
 * `--decimal-separator` on the commands that read files, and the refusal of a
 * file whose numbers could be read either way (`1,234` and nothing else to
 * tell): one line, exit 2, nothing created.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

function write(dir: string, name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

const AMBIGUOUS = ['customer_id,order_id,date,quantity,price', 'c1,o1,2023-01-05,1,"1,234"', 'c2,o2,2023-01-06,2,"2,500"', 'c3,o3,2023-01-07,1,15'];
const EU = ['customer_id;order_id;date;quantity;price', 'c1;o1;2023-01-05;1;1.234', 'c2;o2;2023-01-06;2;2,50', 'c3;o3;2023-01-07;1;1.234,50', 'c4;o4;2023-01-08;1.000;1,00'];

describe('clvkit ingest --decimal-separator', () => {
  it('an ambiguous file into a new --db: exit 2, the error on one line naming both readings, the folder as it was', async () => {
    const dir = scratchDir();
    const file = write(dir, 'ambiguous.csv', AMBIGUOUS);
    const run = await cli(['ingest', file, '--db', join(dir, 'new.duckdb')]);
    expect(run.code, run.stderr).toBe(2);
    const errors = run.stderr.split('\n').filter((line) => line.startsWith('clvkit: error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^clvkit: error: ambiguous\.csv: numbers such as 1,234 \(column price\) may use a decimal point or a decimal comma, and no sampled value tells which \(hint: pass --decimal-separator \. \(reads 1,234 as 1234\) or --decimal-separator , \(reads it as 1\.234\)\)$/);
    expect(readdirSync(dir)).toEqual(['ambiguous.csv']);
  });

  it('a stateless command refuses it with exactly one line on stderr', async () => {
    const dir = scratchDir();
    const run = await cli(['summarize', write(dir, 'ambiguous.csv', AMBIGUOUS), '--as-of', '2023-06-30', '--time-unit', 'day', '--out', join(dir, 's.csv')]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/^clvkit: error: ambiguous\.csv: numbers such as 1,234 .+ \(hint: .+\)\n$/);
  });

  it('the flag decides: --decimal-separator . ingests the same file, the summary and --json name the separator', async () => {
    const dir = scratchDir();
    const file = write(dir, 'ambiguous.csv', AMBIGUOUS);
    const run = await cli(['ingest', file, '--db', join(dir, 'wh.duckdb'), '--decimal-separator', '.']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\n {2}numbers: decimal point, commas group thousands\n/);
    expect(run.stdout).toMatch(/accepted\s+3 /);
    const eu = await cli(['ingest', write(dir, 'eu.csv', EU), '--db', join(dir, 'wh.duckdb'), '--json']);
    expect(eu.code, eu.stderr).toBe(0);
    const report = JSON.parse(eu.stdout) as { files: { decimalSeparator?: string; accepted: number }[] };
    expect([report.files[0]!.decimalSeparator, report.files[0]!.accepted]).toEqual([',', 4]);
    const summary = await cli(['ingest', write(dir, 'eu2.csv', [...EU.slice(0, 1), 'c5;o5;2023-01-09;1;3,99']), '--db', join(dir, 'wh.duckdb')]);
    expect(summary.stdout).toMatch(/\n {2}numbers: decimal comma, dots group thousands\n/);
  });

  it('a value other than . or , is refused before anything is made', async () => {
    const dir = scratchDir();
    const run = await cli(['ingest', write(dir, 'eu.csv', EU), '--db', join(dir, 'wh.duckdb'), '--decimal-separator', 'comma']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/^clvkit: error: --decimal-separator comma is neither \. nor , \(hint: .+\)\n$/);
    expect(readdirSync(dir)).toEqual(['eu.csv']);
  });

  it('is offered by ingest, analyze and the other commands that read files', async () => {
    for (const command of ['ingest', 'analyze', 'summarize', 'validate']) {
      const help = await cli([command, '--help']);
      expect(help.stdout, command).toMatch(/--decimal-separator <char>/);
    }
  });
});
