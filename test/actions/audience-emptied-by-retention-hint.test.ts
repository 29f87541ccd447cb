import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { smallAnalysedShop } from '../helpers/small-analysed-shop.js';

// clvkit retention apply deletes an audience's members with the purchases past the period. campaign evaluate on that
// audience then said "draw the audience again with --holdout 0.1 or more", the hint of a draw that held out no
// control group: here the holdout was fine, the members are gone, and a new audience is to be drawn.
let db: string;

beforeAll(async () => {
  db = await smallAnalysedShop();
  const drawn = await cli(['audience', 'create', '--db', db, '--name', 'spring', '--where', 'orders >= 1', '--holdout', '0.2']);
  expect(drawn.code, drawn.stderr).toBe(0);
}, 180_000);

describe('campaign evaluate on an audience retention emptied', () => {
  it('says to draw a new audience, not to draw it with a larger --holdout', async () => {
    const purged = await cli(['retention', 'apply', '--db', db, '--transactions', '1d', '--role', 'admin', '--allow-empty']);
    expect(purged.code, purged.stderr).toBe(0);
    const evaluated = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'spring', '--from', '2023-12-30', '--to', '2024-01-31']);
    expect(evaluated.code).toBe(2);
    expect(evaluated.stderr).toBe(
      'clvkit: error: audience spring has a treatment group of zero left (its members were erased or purged): there is nothing to compare (hint: draw a new audience with clvkit audience create: its members are no longer in the warehouse)\n',
    );
  });
});
