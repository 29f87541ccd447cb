/**
 * Customers whose every line is a return are not customers of the analysis (no purchase: not in customers.csv, their
 * returns not in the revenue). The report's overview says how many; the CLI summary said nothing, so a run whose ingest
 * reported 27 returns printed "51 customers … (returns 0)" with 9 customers and their returns gone without a word.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRunSummary } from '../../src/cli/commands/analyze-command.js';
import { analyze } from '../../src/pipeline/analyze.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('the CLI summary of a run with return-only customers', () => {
  it('says how many customers had returns only and were not counted', async () => {
    const dir = scratchDir('clvkit-return-only-');
    const lines = ['customer_id,date,amount'];
    for (let c = 0; c < 60; c++) for (let m = 1; m <= 3; m++) lines.push(`c${c},2024-0${m}-1${c % 9},${c % 7 === 0 ? -(10 + c) : 10 + c}`);
    writeFileSync(join(dir, 'orders.csv'), `${lines.join('\n')}\n`);
    const run = await analyze({ files: [join(dir, 'orders.csv')], db: ':memory:', outDir: join(dir, 'out'), skipModels: true, skipPatterns: true, skipReport: true });
    expect(run.headline.customers).toBe(51);
    expect(run.headline.returnOnlyCustomers).toBe(9);
    expect(formatRunSummary(run)).toMatch(/^ {2}customers {2}51 \(100\.0% bought again; 9 more with returns only, not counted\), /m);
  }, 60_000);

  it('says nothing of them when there are none', async () => {
    const dir = scratchDir('clvkit-return-only-');
    const lines = ['customer_id,date,amount'];
    for (let c = 0; c < 60; c++) for (let m = 1; m <= 3; m++) lines.push(`c${c},2024-0${m}-1${c % 9},${10 + c}`);
    writeFileSync(join(dir, 'orders.csv'), `${lines.join('\n')}\n`);
    const run = await analyze({ files: [join(dir, 'orders.csv')], db: ':memory:', outDir: join(dir, 'out'), skipModels: true, skipPatterns: true, skipReport: true });
    expect(formatRunSummary(run)).toMatch(/^ {2}customers {2}60 \(100\.0% bought again\), /m);
  }, 60_000);
});
