/**
 * Privacy officer's trial (session 40): `clvkit keys rotate --retire-old --role admin` on a warehouse rotated for
 * the first time — an admin rotating because the key may have leaked — printed the rotation and nothing of the
 * retirement: the previous key is the root key, which is never retired (customer tokens and the audit log's MAC
 * derive from it), so it stayed in the key file, unsaid. The output now names the key kept and why; a later rotation
 * names the keys it retired and the root key kept.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readKeyFile } from '../../src/privacy/keys/key-file.js';
import { cli } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

const keptLine = (root: string) => `kept ${root}: the root key — customer tokens and the audit log's MAC derive from it, so it is never retired (a new root key would mean new tokens for every customer)`;

describe('keys rotate --retire-old', () => {
  it('says the root key was kept, and why, beside the keys it retired', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    expect((await cli(['ingest', `${FIXTURES}shop/tiny-shop.csv`, '--db', db])).code).toBe(0);
    const root = readKeyFile(`${db}.key`).rootKeyId;

    const first = await cli(['keys', 'rotate', '--db', db, '--role', 'admin', '--retire-old']);
    expect(first.code, first.stderr).toBe(0);
    const second = readKeyFile(`${db}.key`).activeKeyId;
    expect(first.stdout.split('\n')).toContain(keptLine(root));
    expect(first.stdout).not.toMatch(/^retired /m);

    const again = await cli(['keys', 'rotate', '--db', db, '--role', 'admin', '--retire-old']);
    expect(again.code, again.stderr).toBe(0);
    const lines = again.stdout.split('\n');
    expect(lines).toContain(`retired ${second}`);
    expect(lines).toContain(keptLine(root));
    expect(readKeyFile(`${db}.key`).keyIds()).toEqual([root, readKeyFile(`${db}.key`).activeKeyId]);

    // without --retire-old nothing is said of retiring
    const plain = await cli(['keys', 'rotate', '--db', db, '--role', 'admin']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).not.toMatch(/^(kept|retired) /m);
  }, 120_000);
});
