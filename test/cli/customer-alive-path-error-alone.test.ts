/**
 * A QA pass: `clvkit customer 99999999 --db W --alive-path` on an analysed warehouse printed the note on the defaults
 * taken from analyze ("clvkit: alive path: the model bgnbd, weeks, …") before the error: the error now comes alone, in
 * one line; the note is printed only with a path.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, useFixedKey } from '../helpers/cli.js';
import { smallAnalysedShop } from '../helpers/small-analysed-shop.js';

describe('clvkit customer --alive-path for an id never held', () => {
  useFixedKey(41);
  let db: string;
  beforeAll(async () => {
    // any warehouse analyze has scored (the note's defaults come from its customer_scores): the smallest one
    db = await smallAnalysedShop();
  }, 180_000);

  it('is one line: the error, no note before it', async () => {
    const run = await cli(['customer', '99999999', '--db', db, '--alive-path']);
    expect([run.code, run.stdout]).toEqual([2, '']);
    expect(run.stderr).toMatch(/^clvkit: error: no customer 99999999 in the data \(no purchase or return of this id\) \(hint: [^\n]*\)\n$/);
  });
});
