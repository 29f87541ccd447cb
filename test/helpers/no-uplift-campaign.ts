import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createRandom } from '../../src/math/random.js';
import { initKeyFile } from '../../src/privacy/keys/key-file.js';
import { cli } from './cli.js';
import { sharedFixture } from './shared-fixture.js';
import { scratchDir } from './warehouse.js';

const day = (start: string, offset: number) => new Date(Date.parse(`${start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * A warehouse with a past campaign and no uplift: 400 customers with a year of history (seeded), the audience `past`
 * drawn from all of them (holdout 0.3, seed 1, sent 2024-01-01), and January 2024, in which 30% buy, treated or not.
 * Returns the warehouse file, in a folder of the caller's own: a copy of one built once per test run and key
 * (test/helpers/shared-fixture.ts; ten files each built the same warehouse for themselves before).
 */
export async function noUpliftCampaign(): Promise<string> {
  const key = createHash('sha256').update(process.env.CLVKIT_KEY ?? '').digest('hex').slice(0, 12);
  const built = await sharedFixture(`no-uplift-campaign-${key}`, async (dir) => {
    mkdirSync(dir);
    const db = join(dir, 'shop.duckdb');
    initKeyFile(`${db}.key`, { key: Buffer.alloc(32, 42) });
    const random = createRandom(3);
    const history = ['order_id,customer_id,date,amount'];
    let order = 0;
    for (let c = 1; c <= 400; c++) for (let k = 0; k < 1 + random.integer(4); k++) history.push(`H${++order},K${c},${day('2023-01-01', random.integer(365))},${(10 + 40 * random.uniform()).toFixed(2)}`);
    writeFileSync(join(dir, 'history.csv'), history.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'history.csv'), '--db', db])).code).toBe(0);
    const drawn = await cli(['audience', 'create', '--db', db, '--name', 'past', '--where', 'orders >= 1', '--holdout', '0.3', '--seed', '1', '--send-date', '2024-01-01']);
    expect(drawn.code, drawn.stderr).toBe(0);
    const january = ['order_id,customer_id,date,amount'];
    for (let c = 1; c <= 400; c++) if (random.uniform() < 0.3) january.push(`J${++order},K${c},${day('2024-01-01', random.integer(31))},${(10 + 40 * random.uniform()).toFixed(2)}`);
    writeFileSync(join(dir, 'january.csv'), january.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'january.csv'), '--db', db])).code).toBe(0);
  });
  const dir = scratchDir();
  cpSync(built, dir, { recursive: true });
  return join(dir, 'shop.duckdb');
}
