import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { smallAnalysedShop } from '../helpers/small-analysed-shop.js';

/**
 * `audience create --out` and `audience show --out` create the folder of their file when it is missing, as analyze
 * and playbook create their --out folder: before, a missing folder was refused ("the folder of --out … does not exist").
 */
let db: string;

beforeAll(async () => {
  db = await smallAnalysedShop();
}, 120_000);

describe('audience --out creates the folder of its file', () => {
  it('audience create --out new/deeper/members.csv: the folders are created, the members written', async () => {
    const out = join(dirname(db), 'new', 'deeper', 'members.csv');
    expect(existsSync(dirname(out))).toBe(false);
    const r = await cli(['audience', 'create', '--db', db, '--name', 'fresh', '--where', 'orders >= 1', '--holdout', '0.2', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(61);
  });

  it('audience show --out other/members.json: the folder is created', async () => {
    const out = join(dirname(db), 'other', 'members.json');
    const r = await cli(['audience', 'show', 'fresh', '--db', db, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toHaveLength(60);
  });

  it('a file on the way is still refused in one line', async () => {
    const out = join(db, 'members.csv'); // through the warehouse file
    const r = await cli(['audience', 'show', 'fresh', '--db', db, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^clvkit: error: --out .* goes through .*, which is a file, not a folder/);
  });
});
