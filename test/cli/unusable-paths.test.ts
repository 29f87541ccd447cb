/**
 * Paths that cannot be read or written (a user trial: an input file without
 * read permission, `--out` through a file or in a folder that may not be
 * written, `summarize --out` naming a folder, `--db` in a folder that may not be
 * written) are refused in one line naming the path, with a hint, exit 2 — not
 * a stack trace, an 'internal error' with a 40-line SQL dump, or the hint 'is
 * it a DuckDB file written by clvkit?'. The permission cases need chmod, which
 * root passes: they are skipped as root; the others fail for root too.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, useFixedKey } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

const SHOP = `${FIXTURES}shop/tiny-shop.csv`;
/** chmod cannot take a permission from root (a CI container may run as root) */
const asRoot = process.getuid?.() === 0;

/** exit 2 and exactly `line` on stderr */
async function refusedWith(args: string[], line: string): Promise<void> {
  const run = await cli(args);
  expect(run.stderr).toBe(`${line}\n`);
  expect(run.code).toBe(2);
}

/** a scratch folder holding `regular.txt` (a file) and `folder/` (an empty folder) */
function scratchWithFileAndFolder(): { dir: string; file: string; folder: string } {
  const dir = scratchDir();
  const file = join(dir, 'regular.txt');
  writeFileSync(file, 'x\n');
  const folder = join(dir, 'folder');
  mkdirSync(folder);
  return { dir, file, folder };
}

describe('output paths that cannot be written are refused where they are taken (root too)', () => {
  it('analyze --out through a file: one line naming the file on the way, nothing made (was a stack trace from mkdirSync)', async () => {
    const { dir, file } = scratchWithFileAndFolder();
    await refusedWith(['analyze', SHOP, '--out', join(file, 'out'), '--quiet'], `clvkit: error: --out ${join(file, 'out')} goes through ${file}, which is a file, not a folder (hint: check the path: only its last part may be a file)`);
    expect(readdirSync(dir).sort()).toEqual(['folder', 'regular.txt']);
  });

  it('analyze --db through a file: refused before a key file is made beside it', async () => {
    const { dir, file } = scratchWithFileAndFolder();
    const db = join(file, 'shop.duckdb');
    await refusedWith(['analyze', SHOP, '--db', db, '--out', join(dir, 'out'), '--quiet'], `clvkit: error: --db ${db} goes through ${file}, which is a file, not a folder (hint: check the path: only its last part may be a file)`);
    expect(readdirSync(dir).sort()).toEqual(['folder', 'regular.txt']);
  });

  it('summarize --out naming a folder, or in a folder that does not exist (was an internal error with the SQL of the summary)', async () => {
    const { dir, folder } = scratchWithFileAndFolder();
    await refusedWith(['summarize', SHOP, '--out', folder], `clvkit: error: --out ${folder} is a folder, not a file (hint: pass a file name, e.g. --out summary.csv)`);
    const missing = join(dir, 'missing', 'summary.csv');
    await refusedWith(['summarize', SHOP, '--out', missing], `clvkit: error: the folder of --out ${missing} does not exist (hint: create it first, or choose another path)`);
  });

  it('ingest --db through a file or naming a folder: one line, nothing made (through a file was a stack trace from rmSync)', async () => {
    const { dir, file, folder } = scratchWithFileAndFolder();
    const db = join(file, 'shop.duckdb');
    await refusedWith(['ingest', SHOP, '--db', db], `clvkit: error: --db ${db} goes through ${file}, which is a file, not a folder (hint: check the path: only its last part may be a file)`);
    await refusedWith(['ingest', SHOP, '--db', folder], `clvkit: error: --db ${folder} is a folder, not a file (hint: pass a file name, e.g. --db ./clvkit.duckdb)`);
    expect(readdirSync(dir).sort()).toEqual(['folder', 'regular.txt']);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('recommend --all --out naming a folder or through a file (was an internal error from open)', async () => {
    const { file, folder } = scratchWithFileAndFolder();
    await refusedWith(['recommend', SHOP, '--all', '--out', folder], `clvkit: error: --out ${folder} is a folder, not a file (hint: pass a file name, e.g. --out recommendations.csv)`);
    const through = join(file, 'r.csv');
    await refusedWith(['recommend', SHOP, '--all', '--out', through], `clvkit: error: --out ${through} goes through ${file}, which is a file, not a folder (hint: check the path: only its last part may be a file)`);
  });

  it('playbook --out through a file: refused before the scoring stages run (was a stack trace from mkdirSync after them)', async () => {
    const { dir, file } = scratchWithFileAndFolder();
    const db = join(dir, 'shop.duckdb');
    expect((await cli(['ingest', SHOP, '--db', db])).code).toBe(0);
    const out = join(file, 'plan');
    await refusedWith(['playbook', '--db', db, '--out', out], `clvkit: error: --out ${out} goes through ${file}, which is a file, not a folder (hint: check the path: only its last part may be a file)`);
  });

  it('an input file named through a file is named so, for every command that reads one', async () => {
    const { dir, file } = scratchWithFileAndFolder();
    const input = join(file, 'orders.csv');
    const line = `clvkit: error: ${input} goes through ${file}, which is a file, not a folder (hint: check the path: only its last part may be a file)`;
    await refusedWith(['ingest', input, '--db', join(dir, 'shop.duckdb')], line);
    await refusedWith(['segments', input], line);
    expect(readdirSync(dir).sort()).toEqual(['folder', 'regular.txt']);
  });
});

describe.skipIf(asRoot)('paths without permission (chmod; skipped as root, who passes it)', () => {
  it('an input file without read permission: one line for ingest, analyze, summarize, validate and segments (was EACCES with a stack trace)', async () => {
    const { dir } = scratchWithFileAndFolder();
    const input = join(dir, 'noperm.csv');
    writeFileSync(input, 'customer_id,date,amount\nA,2023-01-01,5\n');
    chmodSync(input, 0o000);
    const line = `clvkit: error: cannot read ${input}: permission denied (hint: check who may read it and its folders (ls -ld ${input}), or use a path you have access to)`;
    await refusedWith(['ingest', input, '--db', join(dir, 'shop.duckdb')], line);
    await refusedWith(['analyze', input, '--out', join(dir, 'out'), '--quiet'], line);
    await refusedWith(['summarize', input, '--out', join(dir, 's.csv')], line);
    await refusedWith(['validate', input, '--calibration-end', '2023-01-01'], line);
    await refusedWith(['segments', input], line);
    expect(existsSync(join(dir, 'shop.duckdb')) || existsSync(join(dir, 'out')) || existsSync(join(dir, 's.csv'))).toBe(false);
  });

  it('analyze --out and ingest --db in a folder that may not be written (ingest said: is it a DuckDB file written by clvkit?)', async () => {
    const { folder } = scratchWithFileAndFolder();
    chmodSync(folder, 0o555);
    const hint = `choose a folder you may write to (ls -ld ${folder} shows who may), or change its permissions`;
    await refusedWith(['analyze', SHOP, '--out', join(folder, 'out', 'shop'), '--quiet'], `clvkit: error: cannot create --out ${join(folder, 'out', 'shop')} in ${folder}: permission denied (hint: ${hint})`);
    await refusedWith(['ingest', SHOP, '--db', join(folder, 'shop.duckdb')], `clvkit: error: cannot create --db ${join(folder, 'shop.duckdb')} in ${folder}: permission denied (hint: ${hint})`);
    await refusedWith(['summarize', SHOP, '--out', join(folder, 's.csv')], `clvkit: error: cannot create --out ${join(folder, 's.csv')} in ${folder}: permission denied (hint: ${hint})`);
    expect(readdirSync(folder)).toEqual([]);
  });
});

// QA (session 36): `ingest … --db /proc/x.duckdb` (a folder that passes the permission check but takes no new file)
// was hinted "is it a DuckDB file written by clvkit?": the file did not exist, it could not be created.
describe.runIf(existsSync('/proc/self'))('a --db that cannot be created in a folder that takes no new file (/proc)', () => {
  useFixedKey(7); // with a key given, as in the trial (without one, analyze first fails to make /proc/x.duckdb.key, and says so)
  it('says it could not be created, not "is it a DuckDB file"', async () => {
    for (const args of [['ingest', SHOP, '--db', '/proc/x.duckdb'], ['analyze', SHOP, '--db', '/proc/x.duckdb', '--out', join(scratchDir(), 'out'), '--quiet']]) {
      const run = await cli(args);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/^clvkit: error: cannot create database \/proc\/x\.duckdb: [^\n]+ \(hint: \/proc\/x\.duckdb did not exist and the folder \/proc took no new file \(a system or read-only folder\?\): choose another --db in a folder you may create files in\)\n$/);
      expect(run.stderr).not.toContain('is it a DuckDB file');
    }
  });
});
