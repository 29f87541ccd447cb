/**
 * Regression (new-user trial): `clvkit fit` on a one-row summary printed "converged" with r = 1.03e7 — one customer
 * cannot estimate a model's four parameters, and any value "converges". It is now refused in one line with a hint
 * (exit 2) when the summary holds fewer customers than the model has parameters, and warned about below the 50
 * customers validate and analyze need. A header-only file said "all 0 have a missing … value": it now says the file
 * has no data rows.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

function summary(lines: string[], header = 'frequency,recency,T'): string {
  const path = join(scratchDir('fit-few-'), 'summary.csv');
  writeFileSync(path, [header, ...lines].join('\n') + '\n');
  return path;
}

describe('clvkit fit: too few customers', () => {
  it('one customer: refused in one line with a hint, exit 2, no output', async () => {
    const path = summary(['2,30,40']);
    const run = await cli(['fit', path, '--model', 'bgnbd']);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`clvkit: error: ${path}: 1 customer, fewer than the 4 parameters of BG/NBD (r, alpha, a, b): too few to estimate them (the fit lands on arbitrary values and may still say it converged) (hint: fit a summary of many customers: validate and analyze fit the models on at least 50)\n`);
  });

  it('counts customers by the weights column: three rows of 100 customers fit, without a warning', async () => {
    const run = await cli(['fit', summary(['0,0,6,60', '1,2,6,30', '3,5,6,10'], 'frequency,recency,periods,weights'), '--model', 'bgbb', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('customers');
  });

  it('a handful of customers: fitted, with a warning that the estimates are rough', async () => {
    const run = await cli(['fit', summary(['1,5,10', '2,8,12', '3,9,11', '1,2,9', '0,0,7', '4,10,12']), '--model', 'bgnbd', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('clvkit: warning: fitted on 6 customers: estimates from so few are rough');
  });

  it('a header-only file: says it has no data rows', async () => {
    const path = summary([]);
    const run = await cli(['fit', path, '--model', 'bgnbd']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`clvkit: error: ${path} has no data rows (a header only) (hint: write the summary with clvkit summarize)\n`);
  });
});
