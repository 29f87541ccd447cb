import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/pipeline/analyze.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { readCsv, type Csv } from '../synth/shop-test-helpers.js';
import { scratchDir } from './warehouse.js';

/**
 * The synthetic shop of the events tests (600 buyers, seed 21) analysed in memory with its customer profiles — and its
 * events unless `events` is false — with admin ids revealed; `extraProfiles` lines are appended to customers.csv first.
 * Returns the folder, customers.csv and run.json.
 */
export async function analyzeSynthShop(options: { events: boolean; extraProfiles?: string }): Promise<{ dir: string; customers: Csv; run: Record<string, any> }> {
  const dir = scratchDir();
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
  return { dir, customers: readCsv(join(dir, 'out', 'customers.csv')), run: JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8')) };
}
