import { beforeAll, describe, expect, it } from 'vitest';
import { plural } from '../../src/core/plural.js';
import { cli } from '../helpers/cli.js';
import { smallAnalysedShop } from '../helpers/small-analysed-shop.js';

// "the audience top has 1 customers, fewer than the minimum group size 5": a count of one takes the singular.
let db: string;

beforeAll(async () => {
  db = await smallAnalysedShop();
}, 180_000);

describe('a count of one customer', () => {
  it('plural: the noun agrees with the count', () => {
    expect([0, 1, 2, 1234].map((n) => plural(n, 'customer'))).toEqual(['0 customers', '1 customer', '2 customers', '1,234 customers']);
  });

  it('audience create refusing an audience of one says "has 1 customer"', async () => {
    const one = await cli(['audience', 'create', '--db', db, '--name', 'top', '--where', 'orders >= 9']);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/^clvkit: error: the audience top has 1 customer, fewer than the minimum group size 5: it would single out individuals/);
  });
});
