import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, inject } from 'vitest';
import { cli } from './cli.js';
import { writeRegularChurnShop } from './regular-churn-shop.js';
import { sharedFixture } from './shared-fixture.js';

/** The analysis of the shared run: the honest tournament with MBG/CNBD-k alone, a 90-day holdout, k = 40. */
export const REGULAR_CHURN_WINNER_ANALYZE = ['--learned-tournament', '--candidates', 'mbgcnbd', '--holdout-days', '90', '--min-group-size', '40', '--skip-patterns', '--skip-report'] as const;

/**
 * The regular buyers who churn (`writeRegularChurnShop`, 600 customers, k = 6, seed 1) analysed by
 * `clvkit analyze FILE --db wh.duckdb --out out …REGULAR_CHURN_WINNER_ANALYZE` into a keyed warehouse file (its key file
 * made beside it, as a first `--db` run makes one): MBG/CNBD-6 wins the tournament and rewrites customer_scores over the
 * value model BG/NBD. Built once per test run (test/helpers/shared-fixture.ts) for the two files that read this run —
 * value-model-view (served) and winner-scores-card (run.json and customer_scores) —, which each ran it for themselves
 * before (~7 CPU s each). Read-only: a caller works on a copy of the warehouse (`copyOfRegularChurnWinnerWarehouse`).
 * `outDir` holds run.json and customers.csv; the warehouse records the run with it.
 */
export async function regularChurnWinnerRun(): Promise<{ db: string; outDir: string }> {
  const marker = await sharedFixture('regular-churn-winner-run.json', async (building) => {
    // in a folder that does not move (the warehouse records the out folder), the marker written last
    const dir = join(inject('sharedFixturesDir'), 'regular-churn-winner-run');
    mkdirSync(dir, { recursive: true });
    const file = writeRegularChurnShop(dir, { customers: 600, k: 6, seed: 1 });
    const db = join(dir, 'wh.duckdb');
    const outDir = join(dir, 'out');
    // the warehouse's own key file, whatever key the calling file has set for itself
    const previous = process.env.CLVKIT_KEY;
    delete process.env.CLVKIT_KEY;
    try {
      const { code, stderr } = await cli(['analyze', file, '--db', db, '--out', outDir, ...REGULAR_CHURN_WINNER_ANALYZE]);
      expect(code, stderr).toBe(0);
    } finally {
      if (previous !== undefined) process.env.CLVKIT_KEY = previous;
    }
    writeFileSync(building, JSON.stringify({ db, outDir }));
  });
  return JSON.parse(readFileSync(marker, 'utf8')) as { db: string; outDir: string };
}

/** A copy of the shared run's warehouse file and its key file, at `into` (a folder made if missing, or a scratch one): its path. */
export async function copyOfRegularChurnWinnerWarehouse(into?: string): Promise<string> {
  const { db } = await regularChurnWinnerRun();
  const dir = into ?? mkdtempSync(join(inject('sharedFixturesDir'), 'regular-churn-winner-copy-'));
  mkdirSync(dir, { recursive: true });
  const copy = join(dir, 'wh.duckdb');
  copyFileSync(db, copy);
  copyFileSync(`${db}.key`, `${copy}.key`);
  return copy;
}
