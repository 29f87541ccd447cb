/**
 * `clvkit erase` reaches the files of the server's runs beside the warehouse
 * (`<db>.runs/<run>/customers.csv`, `recommendations.csv`): a user trial found
 * an erased customer's token still in them after the erasure. Other lines and
 * files are left as they were; copies elsewhere are named as not reached.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { readKeyFile } from '../../src/privacy/keys/key-file.js';
import { createPseudonymiser } from '../../src/privacy/tokens/pseudonymise.js';
import { scratchDir } from '../helpers/warehouse.js';
import { PII_MAP_FLAGS, rawId, writePiiOrders } from '../privacy/privacy-fixture.js';

describe('erase and the server run files', () => {
  it('removes the erased tokens’ lines from every run’s customers.csv and recommendations.csv, nothing else', async () => {
    const dir = scratchDir();
    const db = join(dir, 'wh.duckdb');
    expect((await cli(['ingest', writePiiOrders(dir), '--db', db, ...PII_MAP_FLAGS])).code).toBe(0);
    // two runs as the server writes them (analyze into <db>.runs/<run id>/)
    const runs = [join(`${db}.runs`, 'run-1'), join(`${db}.runs`, 'run-2')];
    for (const out of runs) expect((await cli(['analyze', '--db', db, '--out', out, '--quiet', '--skip-models', '--skip-report'])).code).toBe(0);
    const token = createPseudonymiser(readKeyFile(`${db}.key`))(rawId(7));
    const before = Object.fromEntries(runs.flatMap((out) => ['customers.csv', 'recommendations.csv'].map((name) => [join(out, name), readFileSync(join(out, name), 'utf8')])));
    const held = Object.values(before).reduce((n, text) => n + text.split('\n').filter((line) => line.startsWith(`${token},`)).length, 0);
    expect(held).toBeGreaterThan(2); // a customers.csv line per run and recommendations
    writeFileSync(join(`${db}.runs`, 'run-2', 'notes.txt'), `${token}\n`); // not a run file clvkit writes: left alone

    const erase = await cli(['erase', rawId(7), '--db', db, '--role', 'admin', '--json']);
    expect(erase.code, erase.stderr).toBe(0);
    expect(JSON.parse(erase.stdout).runFiles).toEqual({ folder: `${db}.runs`, filesSearched: 4, filesRewritten: 4, lines: held });
    for (const [file, text] of Object.entries(before)) {
      const after = readFileSync(file, 'utf8');
      expect(after).not.toContain(token);
      expect(after).toBe(text.split('\n').filter((line) => !line.startsWith(`${token},`)).join('\n'));
      expect(statSync(file).mode & 0o777).toBe(0o644);
    }
    expect(readFileSync(join(`${db}.runs`, 'run-2', 'notes.txt'), 'utf8')).toBe(`${token}\n`);
  });

  it('says what it reached and what it cannot', async () => {
    const dir = scratchDir();
    const db = join(dir, 'wh.duckdb');
    expect((await cli(['ingest', writePiiOrders(dir), '--db', db, ...PII_MAP_FLAGS])).code).toBe(0);
    const plain = await cli(['erase', rawId(3), '--db', db, '--role', 'admin']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).not.toContain('server run files');
    expect(plain.stdout).toContain('not reached: copies outside the warehouse and its runs folder (--out folders, exported audience files, backups) — erase those by process\n');
    expect((await cli(['analyze', '--db', db, '--out', join(`${db}.runs`, 'r'), '--quiet', '--skip-models', '--skip-report'])).code).toBe(0);
    const withRuns = await cli(['erase', rawId(4), '--db', db, '--role', 'admin']);
    expect(withRuns.stdout).toMatch(new RegExp(`^server run files: [1-9]\\d* lines removed from 2 of 2 files under ${db.replaceAll('.', '\\.')}\\.runs$`, 'm'));
  });
});
