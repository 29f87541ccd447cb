import { appendFileSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { analyze } from '../../src/pipeline/analyze.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { readCsv, type Csv } from '../synth/shop-test-helpers.js';
import { sharedFixture } from './shared-fixture.js';
import { scratchDir } from './warehouse.js';

/** The shop generated into `dir` and analysed into `dir/out` (see `analyzeSynthShop`). */
async function generateAndAnalyze(dir: string, options: { events: boolean; extraProfiles?: string }): Promise<void> {
  await generateShop({ outDir: dir, customers: 600, seed: 21 });
  if (options.extraProfiles) appendFileSync(join(dir, 'customers.csv'), options.extraProfiles);
  await analyze({
    files: [join(dir, 'transactions.csv')],
    ...(options.events ? { eventFiles: [join(dir, 'events.csv')] } : {}),
    customerFiles: [join(dir, 'customers.csv')],
    db: ':memory:',
    outDir: join(dir, 'out'),
    skipPatterns: true,
    skipReport: true,
    role: 'admin',
    revealIds: true,
  });
}

/**
 * The synthetic shop of the events tests (600 buyers, seed 21) analysed in memory with its customer profiles — and its
 * events unless `events` is false — with admin ids revealed; `extraProfiles` lines are appended to customers.csv first.
 * Returns the folder, customers.csv and run.json. The shop with its events and no extra profiles (analyze-with-events
 * and prospects-in-clv-column-total ask for it) is analysed once per test run and key (test/helpers/shared-fixture.ts)
 * and its folder shared: read it only.
 */
export async function analyzeSynthShop(options: { events: boolean; extraProfiles?: string }): Promise<{ dir: string; customers: Csv; run: Record<string, any> }> {
  let dir: string;
  if (options.events && !options.extraProfiles) {
    const key = createHash('sha256').update(process.env.CLVKIT_KEY ?? '').digest('hex').slice(0, 12);
    dir = await sharedFixture(`synth-shop-events-${key}`, (building) => generateAndAnalyze(building, options));
  } else {
    dir = scratchDir();
    await generateAndAnalyze(dir, options);
  }
  return { dir, customers: readCsv(join(dir, 'out', 'customers.csv')), run: JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8')) };
}
