/**
 * A QA pass: `--key-file` naming a folder (mode 700) printed Node's raw `EISDIR: illegal operation on a directory,
 * read`; a folder of mode 755 was told `readable by others … run: chmod 600 DIR`, and `keys init --key-file DIR` that it
 * "already exists; refusing to overwrite it". `playbook --config DIR` said `is not valid JSON: EISDIR …`. Each is now
 * one line naming the flag's folder, with a hint to give a file inside it, exit 2.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/warehouse.js';

describe('a folder given where an input file belongs', () => {
  let dir: string;
  let folder: string;
  let orders: string;
  let previous: string | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'clvkit-folder-'));
    folder = join(dir, 'keys');
    mkdirSync(folder);
    orders = join(dir, 'orders.csv');
    copyFileSync(`${FIXTURES}shop/tiny-shop.csv`, orders);
    previous = process.env.CLVKIT_KEY;
    delete process.env.CLVKIT_KEY;
  });
  afterAll(() => {
    if (previous !== undefined) process.env.CLVKIT_KEY = previous;
  });

  const refusal = (flag: string) => `clvkit: error: ${flag} ${folder} is a folder, not a file`;

  it.each([0o700, 0o755])('--key-file naming a folder (mode %d, i.e. 700 and 755) is refused in one line with a hint', async (mode) => {
    chmodSync(folder, mode);
    const run = await cli(['ingest', orders, '--db', join(dir, `w${mode}.duckdb`), '--key-file', folder]);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toEqual([`${refusal('key file')} (hint: give the key file inside it, e.g. --key-file ${join(folder, 'clvkit.key')}; clvkit keys init --key-file PATH creates one)`]);
  });

  it('keys init --key-file naming a folder says so, not that the file exists', async () => {
    chmodSync(folder, 0o700);
    const run = await cli(['keys', 'init', '--key-file', folder]);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd()).toBe(`${refusal('key file')} (hint: give the key file inside it, e.g. --key-file ${join(folder, 'clvkit.key')}; clvkit keys init --key-file PATH creates one)`);
  });

  it('playbook --config naming a folder is refused in one line with a hint', async () => {
    process.env.CLVKIT_KEY = Buffer.alloc(32, 7).toString('base64');
    try {
      const db = join(dir, 'p.duckdb');
      expect((await cli(['ingest', orders, '--db', db])).code).toBe(0);
      const run = await cli(['playbook', '--db', db, '--config', folder, '--out', join(dir, 'plan')]);
      expect(run.code).toBe(2);
      expect(run.stderr.trimEnd().split('\n').filter((line) => !line.startsWith('clvkit: reading'))).toEqual([
        `clvkit: error: --config ${folder} is a folder, not a file (hint: give a playbook file inside it, e.g. --config ${join(folder, 'playbook.json')} (JSON, or YAML named .yaml/.yml))`,
      ]);
    } finally {
      delete process.env.CLVKIT_KEY;
    }
  });
});
