import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { FIT_MODELS, readSummaryTuples } from '../../src/cli/commands/fit-command.js';
import { fitBgNbd } from '../../src/models/bgnbd/bgnbd.js';
import { MODEL_REGISTRY } from '../../src/models/model-registry.js';
import { runCli } from '../../src/cli/run-cli.js';
import { captureIo } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';
import { oneTimeBuyersBesideStayers } from '../models/mbgnbd/one-time-buyers-shop.js';

describe('readSummaryTuples (clvkit fit groups the summary file in SQL)', () => {
  it('groups rows to unique tuples with summed counts and counts the unusable rows', async () => {
    const path = join(scratchDir(), 'summary.csv');
    writeFileSync(path, ['frequency,recency,T,count', '1,2,10,3', '1,2,10,2', '0,0,8,1', '-1,2,10,1', 'NaN,1,5,1', '2,4,9,1', '0,0,8,4', ',1,2,1'].join('\n') + '\n');
    const warehouse = await openDuckDbWarehouse(':memory:', { migrate: false });
    try {
      const t = await readSummaryTuples(warehouse, path, ['frequency', 'recency', 'T']);
      expect(t.rowsRead).toBe(8);
      expect(t.rowsSkipped).toBe(3);
      expect(Array.from(t.columns.frequency!)).toEqual([0, 1, 2]);
      expect(Array.from(t.columns.T!)).toEqual([8, 10, 9]);
      expect(Array.from(t.weight)).toEqual([5, 5, 1]);
      // Gamma-Gamma keeps repeat buyers only: frequency-0 rows are left out, not counted as skipped
      const spendPath = join(scratchDir(), 'spend.csv');
      writeFileSync(spendPath, ['frequency,monetary_value', '0,0', '2,10.5', '2,10.5', '3,7', 'x,1'].join('\n') + '\n');
      const s = await readSummaryTuples(warehouse, spendPath, ['frequency', 'monetary'], 'frequency > 0 AND monetary > 0');
      expect(s).toMatchObject({ rowsRead: 5, rowsSkipped: 1 });
      expect(Array.from(s.weight)).toEqual([2, 1]);
    } finally {
      await warehouse.close();
    }
  });

  it('the CDNOW summary: 2,357 customers in fewer unique tuples, the same BG/NBD log-likelihood as per customer', async () => {
    const warehouse = await openDuckDbWarehouse(':memory:', { migrate: false });
    try {
      const path = `${FIXTURES}cdnow/cdnow_customers_summary.csv`;
      const t = await readSummaryTuples(warehouse, path, ['frequency', 'recency', 'T']);
      expect(t.weight.reduce((a, b) => a + b, 0)).toBe(2357);
      expect(t.weight.length).toBeLessThan(2357);
      const rows = await warehouse.queryColumns(`SELECT frequency, recency, T FROM read_csv('${path}', header = true)`);
      const perCustomer = { frequency: rows.columns.frequency as Float64Array, recency: rows.columns.recency as Float64Array, T: rows.columns.T as Float64Array, weight: new Float64Array(2357).fill(1) };
      const grouped = fitBgNbd({ frequency: t.columns.frequency!, recency: t.columns.recency!, T: t.columns.T!, weight: t.weight });
      expect(grouped.logLikelihood).toBeCloseTo(fitBgNbd(perCustomer).logLikelihood, 6);
      expect(grouped.logLikelihood).toBeCloseTo(-9582.4, 0);
    } finally {
      await warehouse.close();
    }
  });
});

describe('fit --model choices', () => {
  it('are exactly the models the registry holds (the CLI lists them from core/model-names.ts without loading the models)', () => {
    expect([...FIT_MODELS].sort()).toEqual(Object.keys(MODEL_REGISTRY).sort());
  });
});

describe('clvkit fit on a summary without a repeat purchase', () => {
  it('refuses it in one line, exit 2, instead of calling a fit with alpha → ∞ and no standard errors "converged"', async () => {
    // every frequency 0: the likelihood rises as the purchase rates go to 0, so there is no estimate to converge to
    const path = join(scratchDir(), 'no-repeat.csv');
    writeFileSync(path, ['frequency,recency,T', '0,0,10', '0,0,12', '0,0,5'].join('\n') + '\n');
    for (const model of ['bgnbd', 'mbgnbd', 'paretonbd']) {
      const c = captureIo();
      expect(await runCli(['fit', path, '--model', model], c.io), c.stdout()).toBe(2);
      expect(c.stderr().trim().split('\n')).toHaveLength(1);
      expect(c.stderr()).toContain('no repeat purchase');
      expect(c.stdout()).toBe('');
    }
    const bgbb = join(scratchDir(), 'no-repeat-bgbb.csv');
    writeFileSync(bgbb, ['frequency,recency,periods,weights', '0,0,6,100'].join('\n') + '\n');
    const c = captureIo();
    expect(await runCli(['fit', bgbb, '--model', 'bgbb'], c.io)).toBe(2);
    expect(c.stderr()).toContain('no repeat purchase');
  });
});

/**
 * Regression: a fit whose estimates ran off to a limit that was fitted in its place and converged printed
 * "bgnbd: NOT CONVERGED — not converged: …" and warned "the fit did not converge", though the tournaments and the report
 * count it as found (reachedOptimum): buyers who all buy at one rate and never drop out are the Poisson, fitted exactly.
 */
describe('clvkit fit at a limit fitted in its place', () => {
  it('says the limit converged, prints its own parameters and warns of nothing', async () => {
    const shop = oneTimeBuyersBesideStayers(5, 0, true);
    const path = join(scratchDir(), 'one-rate.csv');
    writeFileSync(path, ['frequency,recency,T', ...Array.from(shop.frequency, (x, i) => `${x},${shop.recency[i]},${shop.T[i]}`)].join('\n') + '\n');
    const c = captureIo();
    expect(await runCli(['fit', path, '--model', 'bgnbd'], c.io), c.stderr()).toBe(0);
    const lines = c.stdout().split('\n');
    expect(lines[0]).toMatch(/^bgnbd: converged \(Poisson, fitted in its place\) — at its limit: the estimates run off to the boundary a\/b → 0, and r, alpha → ∞ with r\/alpha fixed \(3 of 3 starts stopped on the way\): .*the limiting model \(Poisson\) was fitted in its place and converged; no standard errors at a boundary$/);
    expect(c.stdout()).not.toMatch(/NOT CONVERGED|not converged/);
    expect(lines).toContain('  Poisson: lambda 0.097708');
    // no standard error at a boundary: said so, where each parameter printed "(se NaN, 95% NaN … NaN)"
    expect(c.stdout()).not.toContain('NaN');
    expect(lines.filter((line) => /^ {2}(r|alpha|a|b) /.test(line)).map((line) => line.replace(/^ {2}\S+ +\S+ +/, ''))).toEqual(Array(4).fill('(no standard error at a boundary)'));
    expect(lines).toContain('  log-likelihood -34894.02, n 3000, AIC 69796.0, BIC 69820.1');
    expect(c.stderr()).toBe('');
    // the JSON keeps the full model's own converged (false: no interior optimum) beside the limit's
    const json = captureIo();
    expect(await runCli(['fit', path, '--model', 'bgnbd', '--json'], json.io)).toBe(0);
    expect(JSON.parse(json.stdout())).toMatchObject({ converged: false, boundary: { limitModel: 'Poisson', limitConverged: true, limitParams: { lambda: 0.09770781696043962 } } });
    expect(json.stderr()).toBe('');
  });
});
