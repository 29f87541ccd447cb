/**
 * Regression (a new-user QA pass): returns dated after the last purchase day were accepted at ingest and then silently
 * left out of revenue, because `analyze` (and `validate`'s holdout) end on the last purchase day by default. The run
 * now warns — in analyze's summary and run.json, on validate's stderr and --json — how many return lines worth how much fall after that day, and how
 * to include them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

/** 380 purchases of 50.00 over 2023 by 60 customers (the last on 2023-12-28) and 20 returns of 50.00 on 2023-12-29. */
function lateReturnsShop(dir: string): string {
  const lines = ['order_id,customer_id,date,amount,quantity'];
  for (let i = 0; i < 380; i++) {
    const day = i === 0 ? '2023-12-28' : new Date(Date.UTC(2023, 0, 2 + ((i * 37) % 360))).toISOString().slice(0, 10);
    lines.push(`O${i},c${(i % 60) + 1},${day},50.00,1`);
  }
  for (let i = 0; i < 20; i++) lines.push(`R${i},c${i + 1},2023-12-29,-50.00,-1`);
  const path = join(dir, 'posret.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const ANALYZE = ['--quiet', '--skip-patterns', '--skip-report', '--skip-models'];
const WARNING = '20 return lines worth -1,000 are dated after the analysis date 2023-12-28 (the last purchase day), the last on 2023-12-29: they are left out of revenue and every customer\'s spend; pass --as-of 2023-12-29 to include them';

describe('returns dated after the last purchase day are not left out silently', () => {
  it('analyze warns in its summary and run.json; with --as-of covering them, no warning and the returns count', async () => {
    const dir = scratchDir();
    const file = lateReturnsShop(dir);
    const run = await cli(['analyze', file, '--out', join(dir, 'o'), ...ANALYZE]);
    expect(run.code, run.stderr).toBe(0);
    // analyze says its warnings in its summary, as every other run warning
    expect(run.stdout).toContain(`  warning    ${WARNING}`);
    const json = JSON.parse(readFileSync(join(dir, 'o', 'run.json'), 'utf8'));
    expect(json.headline.returnsValue).toBe(0);
    expect(json.warnings).toContain(WARNING);

    const covered = await cli(['analyze', file, '--out', join(dir, 'o2'), '--as-of', '2023-12-29', ...ANALYZE]);
    expect(covered.code, covered.stderr).toBe(0);
    expect(covered.stdout).not.toContain('return lines');
    const coveredJson = JSON.parse(readFileSync(join(dir, 'o2', 'run.json'), 'utf8'));
    expect(coveredJson.headline.returnsValue).toBe(-1000);
    expect(coveredJson.warnings.filter((w: string) => w.includes('return lines'))).toEqual([]);
  }, 60_000);

  it('validate warns that they are left out of the holdout (it ends on the last purchase day by default)', async () => {
    const file = lateReturnsShop(scratchDir());
    const run = await cli(['validate', file, '--calibration-end', '2023-09-30', '--time-unit', 'week', '--no-learned', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const expected = '20 return lines worth -1,000 are dated after the holdout end 2023-12-28 (the last purchase day), the last on 2023-12-29: they are left out of the holdout\'s spend; pass --holdout-end 2023-12-29 to include them';
    expect(run.stderr).toContain(`clvkit: warning: ${expected}`);
    expect(JSON.parse(run.stdout).warnings).toContain(expected);
    const covered = await cli(['validate', file, '--calibration-end', '2023-09-30', '--holdout-end', '2023-12-29', '--time-unit', 'week', '--no-learned', '--json']);
    expect(covered.code, covered.stderr).toBe(0);
    expect(covered.stderr).not.toContain('return lines');
  }, 60_000);

  it('summarize warns that they are left out of the summary (its window ends on the last purchase day by default)', async () => {
    const dir = scratchDir();
    const file = lateReturnsShop(dir);
    const run = await cli(['summarize', file, '--out', join(dir, 'summary.csv')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('clvkit: warning: 20 return lines worth -1,000 are dated after the summary date 2023-12-28 (the last purchase day), the last on 2023-12-29: they are left out of the summary; pass --as-of 2023-12-29 to include them');
    const covered = await cli(['summarize', file, '--out', join(dir, 'covered.csv'), '--as-of', '2023-12-29']);
    expect(covered.code, covered.stderr).toBe(0);
    expect(covered.stderr).not.toContain('return lines');
  });
});
