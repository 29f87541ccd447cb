import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { smallAnalysedShop } from '../helpers/small-analysed-shop.js';

// An audience filter that matches nobody on DuckDB: the hint read "clvkit segments / lifecycle --db show how many
// customers…", the path missing after --db (warehouseFlags was given '--db' for the DuckDB flags). It now names the
// warehouse, as the hints after it name it.
let db: string;

beforeAll(async () => {
  db = await smallAnalysedShop();
}, 180_000);

describe('audience create with a filter no customer matches', () => {
  it('names the warehouse after --db in the hint', async () => {
    const run = await cli(['audience', 'create', '--db', db, '--name', 'nobody', '--where', 'frequency >= 1 AND p_alive < 0.0001']);
    // an empty audience of a valid filter is an answer with a warning, exit 0 (session 43); the hint is the same
    expect(run.stderr).toMatch(/^clvkit: warning: the audience nobody is empty: no customer matches --where frequency >= 1 AND p_alive < 0.0001: nothing stored \(hint: widen the filter/);
    expect(run.stderr).toContain(`; clvkit segments / lifecycle --db ${db} show how many customers each segment and stage holds)\n`);
    expect(run.code).toBe(0);
  });

  // a filter on numbers that matches nobody said "widen the filter" without saying how far: the hint now gives each
  // compared number's range among the customers (an analyst's QA: "an empty audience's hint could give the range")
  it('gives the range of each number the filter compares', async () => {
    const run = await cli(['audience', 'create', '--db', db, '--name', 'nobody', '--where', 'frequency >= 1 AND p_alive < 0.0001']);
    const [, ranges] = /hint: widen the filter: (.*?); clvkit segments/.exec(run.stderr) ?? [];
    // every p_alive of this small shop is 1 (its value model sits at the no-dropout limit): no cut below 1 can match
    expect(ranges).toBe('frequency runs from 0 to 8 and p_alive from 1 to 1 among the 60 customers');
  });
});

describe('the ranges an empty audience’s hint gives', () => {
  it('round the low end down and the high end up, so every value lies within them', async () => {
    const { describeRanges } = await import('../../src/actions/filter-ranges.js');
    const warehouse = { query: async () => [{ n: 3613, lo0: 0.99996, hi0: 0.999961, lo1: 12.34567, hi1: 812.40491, lo2: null, hi2: null }] } as never;
    const ranged = [{ name: 'p_alive', sql: 'x' }, { name: 'predicted_clv_12m', sql: 'y' }, { name: 'conversion_propensity', sql: 'z' }];
    expect(await describeRanges(warehouse, 't', ranged)).toBe(': p_alive runs from 0.9999 to 1, predicted_clv_12m from 12.34 to 812.5 and conversion_propensity has no value among the 3,613 customers');
    expect(await describeRanges(warehouse, 't', [])).toBe('');
  });
});
