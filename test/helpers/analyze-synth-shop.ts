import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { addDays } from '../../src/core/calendar-days.js';
import { join } from 'node:path';
import { analyze } from '../../src/pipeline/analyze.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { readCsv, type Csv } from '../synth/shop-test-helpers.js';
import { scratchDir } from './warehouse.js';

/**
 * Moves every sign-up date of a synthetic customers.csv 30–149 days earlier (the line's place sets how far). The
 * synthetic sign-up is the first purchase, so no profile known at a prospects' training cutoff ever converts (the
 * propensity is then the base rate, 0); moved, the profiles known at the cutoffs convert, while the events still link
 * each visitor to the customer at the purchase (score-prospects.ts: sessions linked after a cutoff do not count there).
 */
export function moveSignupsEarlier(path: string): void {
  const [header, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const moved = lines.map((line, i) => line.replace(/^([^,]*),(\d{4}-\d\d-\d\d),/, (_, id: string, day: string) => `${id},${addDays(day, -(30 + ((i * 37) % 120)))},`));
  writeFileSync(path, [header, ...moved].join('\n') + '\n');
}

/**
 * The synthetic shop of the events tests (600 buyers, seed 21) analysed in memory with its customer profiles — and its
 * events unless `events` is false — with admin ids revealed; `extraProfiles` lines are appended to customers.csv first.
 * With `earlySignups` every profile's sign-up is moved earlier (`moveSignupsEarlier`). Returns the folder, customers.csv and run.json.
 */
export async function analyzeSynthShop(options: { events: boolean; extraProfiles?: string; earlySignups?: boolean }): Promise<{ dir: string; customers: Csv; run: Record<string, any> }> {
  const dir = scratchDir();
  await generateShop({ outDir: dir, customers: 600, seed: 21 });
  if (options.earlySignups) moveSignupsEarlier(join(dir, 'customers.csv'));
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
