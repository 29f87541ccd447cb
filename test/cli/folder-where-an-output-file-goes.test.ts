/**
 * A folder where a command writes one of its files inside `--out` (`out/customers.csv`, `shop/transactions.csv`) is
 * refused in one line with a hint, exit 2. Regressions: analyze ran the whole analysis, then failed with an internal
 * error and the engine's "IO Error: Cannot open file …: Is a directory" and the SQL of the export (the engine's error
 * is not Node's, so not worded as the user's); synth failed with Node's ERR_FS_EISDIR from removing the shop's old
 * files, a stack trace.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, useFixedKey } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

const SHOP = `${FIXTURES}shop/tiny-shop.csv`;

describe('a folder where a command writes a file inside --out', () => {
  useFixedKey(4);

  it('analyze: out/customers.csv a folder is refused in one line naming it (was an internal error with the SQL)', async () => {
    const out = join(scratchDir(), 'run');
    mkdirSync(join(out, 'customers.csv'), { recursive: true });
    const run = await cli(['analyze', SHOP, '--out', out, '--skip-report', '--skip-patterns', '--skip-models', '--quiet']);
    expect(run.stderr).toBe(`clvkit: error: ${join(out, 'customers.csv')} is a folder, not a file (hint: a file of that name belongs there: remove or rename that folder, or pass other paths)\n`);
    expect(run.code).toBe(2);
  }, 60_000);

  it('synth: shop/transactions.csv a folder is refused before anything is written (was ERR_FS_EISDIR with a stack trace)', async () => {
    const out = join(scratchDir(), 'shop');
    mkdirSync(join(out, 'transactions.csv'), { recursive: true });
    const run = await cli(['synth', '--customers', '20', '--out', out, '--quiet']);
    expect(run.stderr).toBe(`clvkit: error: ${out} holds a folder named transactions.csv, where the shop's file of that name is written (hint: remove or rename that folder, or pass another folder)\n`);
    expect(run.code).toBe(2);
    expect(readdirSync(out)).toEqual(['transactions.csv']);
    expect(existsSync(join(out, 'truth.json'))).toBe(false);
  }, 60_000);
});
