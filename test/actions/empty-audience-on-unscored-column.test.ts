import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateShop } from '../../src/synth/generate-shop.js';
import { cli } from '../helpers/cli.js';
import { prospectsWarehouse } from '../helpers/prospects-warehouse.js';
import { scratchDir } from '../helpers/warehouse.js';

// A user trial (session 40): on a shop of regular monthly buyers the churn early warning is not scored (nobody in its
// training window churned; customer_churn stays empty), and `audience create --where "churn_risk_band = 'high'"` said
// "the audience … is empty … (hint: widen the filter; …)" — which no filter cures: the column holds no value at all.
describe('an audience filtered on a column the analysis left empty', () => {
  let db: string;
  beforeAll(async () => {
    const dir = scratchDir('clvkit-unscored-churn-');
    await generateShop({ outDir: dir, customers: 250, seed: 99, shape: 'regular', products: 10, dirtRate: 0, days: 200, events: false });
    db = join(dir, 'shop.duckdb');
    const analysed = await cli(['analyze', join(dir, 'transactions.csv'), '--db', db, '--out', join(dir, 'out'), '--skip-report', '--skip-patterns', '--no-regularity-check', '--quiet']);
    expect(analysed.code, analysed.stderr).toBe(0);
    expect(analysed.stderr + analysed.stdout).toContain('churn early warning not scored');
  }, 240_000);

  it('is refused naming the empty column, not with "widen the filter"', async () => {
    const run = await cli(['audience', 'create', '--db', db, '--name', 'risky', '--where', "churn_risk_band = 'high'"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "clvkit: error: --where: churn_risk_band holds no value for any of the 250 customers: the last analysis left it empty (hint: its warnings say why (clvkit analyze's summary, run.json warnings); filter on columns it wrote, e.g. stage, segment, value_tier, p_alive)\n",
    );
  });

  it('names a number column left empty too, beside a column that has values', async () => {
    const run = await cli(['audience', 'create', '--db', db, '--name', 'risky', '--where', 'churn_probability > 0.5 AND frequency >= 1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^clvkit: error: --where: churn_probability holds no value for any of the 250 customers: the last analysis left it empty \(hint: /);
  });

  it('still says "widen the filter" when every column it reads has values', async () => {
    const run = await cli(['audience', 'create', '--db', db, '--name', 'nobody', '--where', 'frequency > 100000']);
    // an empty audience of a valid filter is an answer with a warning (session 43), no longer exit 2
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^clvkit: warning: the audience nobody is empty: no customer matches --where frequency > 100000: nothing stored \(hint: widen the filter: frequency runs from \d+ to \d+ among the 250 customers;/);
  });
});

// The same trial: `conversion_propensity > 0.5` on a shop of 2,000 buyers and 1,000 prospects said "conversion_propensity
// runs from 0.0004706 to 0.03162 among the 3,000 customers", when only the 1,000 prospects have a propensity.
describe('the range an empty audience’s hint gives for a column only some customers have', () => {
  it('says how many of the customers have a value', async () => {
    const { db } = await prospectsWarehouse();
    const run = await cli(['audience', 'create', '--db', db, '--name', 'nobody', '--where', 'conversion_propensity > 1.5 AND frequency >= 0']);
    expect(run.code).toBe(0);
    const [, ranges] = /hint: widen the filter: (.*?); clvkit segments/.exec(run.stderr) ?? [];
    expect(ranges).toMatch(/^conversion_propensity runs from [\d.e-]+ to [\d.]+ \(30 of them have one\) and frequency from 0 to \d+ \(300 of them have one\) among the 330 customers$/);
  }, 240_000);
});
