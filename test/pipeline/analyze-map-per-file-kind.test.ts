/**
 * `analyze` takes one `--map` for every file it reads: orders, profiles (`--customers`) and events. A column that only
 * the profile file has (`--map email=contact`) was looked for in the orders file too and refused there ("--map
 * email=contact: no such column"), so analyze could not keep a profile file's e-mails at all (a privacy trial).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/pipeline/analyze.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { scratchDir } from '../helpers/warehouse.js';

function writeFiles(dir: string): { orders: string; profiles: string } {
  const orders = ['order_id,customer_id,date,amount'];
  for (let c = 1; c <= 30; c++) for (let m = 1; m <= 1 + (c % 3); m++) orders.push(`O${c}-${m},C${c},2024-0${m}-1${c % 9},${10 + c}`);
  const profiles = ['customer_id,signup_date,contact'];
  for (let c = 1; c <= 35; c++) profiles.push(`C${c},2023-12-0${1 + (c % 9)},c${c}@example.com`);
  writeFileSync(join(dir, 'orders.csv'), `${orders.join('\n')}\n`);
  writeFileSync(join(dir, 'profiles.csv'), `${profiles.join('\n')}\n`);
  return { orders: join(dir, 'orders.csv'), profiles: join(dir, 'profiles.csv') };
}

describe('one --map over files of several kinds', () => {
  it('maps a column to the files that have it: the profile file keeps its e-mails, the orders file is not asked for them', async () => {
    const dir = scratchDir('clvkit-map-kinds-');
    const { orders, profiles } = writeFiles(dir);
    const db = join(dir, 'shop.duckdb');
    const run = await analyze({ files: [orders], customerFiles: [profiles], map: { email: 'contact' }, db, keyring: keyringFromKey(generateKey()), outDir: join(dir, 'out'), skipModels: true, skipPatterns: true, skipReport: true, role: 'admin' });
    expect(run.ingest.files.map((f) => f.mapping.email ?? null)).toEqual([null, 'contact']);
    const warehouse = await openDuckDbWarehouse(db);
    const [held] = await warehouse.query('SELECT count(email_enc) AS n FROM customers');
    await warehouse.close();
    expect(Number(held!.n)).toBe(35);
    expect(run.privacy.piiColumns).toEqual({ email: 'raw' });
  }, 60_000);

  it('still refuses a column no file has, naming it', async () => {
    const dir = scratchDir('clvkit-map-kinds-');
    const { orders, profiles } = writeFiles(dir);
    await expect(analyze({ files: [orders], customerFiles: [profiles], map: { email: 'e_mail' }, db: ':memory:', outDir: join(dir, 'out'), skipModels: true, skipPatterns: true, skipReport: true })).rejects.toThrow(
      /--map email=e_mail: no such column/,
    );
  }, 60_000);
});
