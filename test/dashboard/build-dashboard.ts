/**
 * web/dist for the browser test: built with Vite (the config of `npm run
 * build:web`) when missing or older than any source it bundles (web/, the
 * report's chart builders and format helpers, the read API types).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve('.');
export const WEB_DIST = join(ROOT, 'web', 'dist');
const SOURCES = ['web/src', 'web/index.html', 'web/vite.config.ts', 'src/report/charts', 'src/report/format-number.ts', 'src/report/campaign-kpi-row.ts', 'src/report/scores-model.ts', 'src/server/routes/read-api-types.ts', 'src/privacy/access/rbac.ts', 'src/actions/balance-summary.ts'];

function newestMtime(path: string): number {
  const full = join(ROOT, path);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(full).map((name) => newestMtime(join(path, name))));
}

/** Builds web/dist unless it is up to date; returns whether it built. */
export async function ensureDashboardBuilt(): Promise<boolean> {
  const index = join(WEB_DIST, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...SOURCES.map(newestMtime))) return false;
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), logLevel: 'error' });
  return true;
}
