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
    expect(run.stderr).toBe(
      `clvkit: error: the audience nobody is empty: no customer matches --where frequency >= 1 AND p_alive < 0.0001 (hint: widen the filter; clvkit segments / lifecycle --db ${db} show how many customers each segment and stage holds)\n`,
    );
    expect(run.code).toBe(2);
  });
});
