/**
 * Regression (a new-user QA pass): the analyze summary's predicted line read "prospects: 0 expected first-year value
 * from 15 who have not bought yet" when the prospects' total was about 0.5 — rounded to a whole number, it read as a
 * failed model. A total below 10 is given to the cent, one below a cent as "< 0.01".
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatRunSummary } from '../../src/cli/commands/analyze-command.js';
import { analyze } from '../../src/pipeline/analyze.js';
import type { RunSummary } from '../../src/pipeline/run-summary.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { scratchDir } from '../helpers/warehouse.js';

describe("the summary's prospects clause", () => {
  let run: RunSummary;
  beforeAll(async () => {
    const dir = scratchDir();
    // a run summary with a value model is all the clause needs: a small shop, no segments, churn or regularity check
    await generateShop({ outDir: dir, customers: 60, seed: 7 });
    run = await analyze({ files: [join(dir, 'transactions.csv')], db: ':memory:', outDir: join(dir, 'out'), skipPatterns: true, skipReport: true, skipChurn: true, skipSegments: true, regularityCheck: false });
  }, 120_000);

  const clause = (total: number) => {
    const line = formatRunSummary({ ...run, prospects: { ...(run.prospects ?? {}), prospects: 15, expectedFirstYearValueTotal: total } as RunSummary['prospects'] }).split('\n').find((l) => l.startsWith('  predicted '))!;
    return line.slice(line.indexOf('; prospects: '));
  };

  it('gives a small total to the cent, not rounded to 0', () => {
    expect(run.valueModel).not.toBeNull();
    expect(clause(0.5)).toBe('; prospects: 0.50 expected first-year value from 15 who have not bought yet');
    expect(clause(9.994)).toBe('; prospects: 9.99 expected first-year value from 15 who have not bought yet');
    expect(clause(0.004)).toBe('; prospects: < 0.01 expected first-year value from 15 who have not bought yet');
    expect(clause(0)).toBe('; prospects: 0 expected first-year value from 15 who have not bought yet');
  });

  it('keeps whole numbers from 10 on', () => {
    expect(clause(1234.4)).toBe('; prospects: 1,234 expected first-year value from 15 who have not bought yet');
    expect(clause(10)).toBe('; prospects: 10 expected first-year value from 15 who have not bought yet');
  });
});
