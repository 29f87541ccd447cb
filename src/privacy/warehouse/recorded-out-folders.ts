/**
 * The `--out` folders an erasure does not reach, by name. `clvkit analyze
 * --db W --out DIR` (and `analyze --engine clickhouse`) records each
 * finished analysis in the warehouse's `server_runs`, its run.json with the
 * paths of its files; its `customers.csv` and `recommendations.csv` are the
 * user's copy, not clvkit's to rewrite (they may hold original ids or
 * contact details the run was allowed to show). So an erasure names the
 * folders of those recorded runs still on this machine, outside the runs
 * folder it does rewrite: the user erases the customer there by process.
 * That includes a run the erased customer outlived (an erase that recorded
 * its tokens after the run's last look, see erased-during-run.ts).
 */
import { existsSync } from 'node:fs';
import { dirname, relative, isAbsolute } from 'node:path';
import type { Warehouse } from '../../engine/warehouse.js';

/**
 * The folders of the customer files of the analyses recorded in `warehouse` (`server_runs`) that exist on this
 * machine and are not under `runsFolder` (which the erasure rewrites), sorted.
 *
 * Example: `await recordedOutFolders(wh, '/data/wh.duckdb.runs')` → `['/home/ana/out/2026-12']`
 */
export async function recordedOutFolders(warehouse: Warehouse, runsFolder: string): Promise<string[]> {
  const folders = new Set<string>();
  for (const row of await warehouse.query("SELECT summary FROM server_runs WHERE status = 'finished' AND summary IS NOT NULL")) {
    let outputs: Record<string, unknown> | undefined;
    try {
      outputs = (JSON.parse(String(row.summary)) as { outputs?: Record<string, unknown> }).outputs;
    } catch {
      continue; // not a run.json: nothing to name
    }
    for (const file of [outputs?.customersCsv, outputs?.recommendationsCsv]) {
      if (typeof file !== 'string' || !isAbsolute(file)) continue;
      const folder = dirname(file);
      const inside = relative(runsFolder, folder);
      if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) continue; // the runs folder: reached
      if (existsSync(file)) folders.add(folder);
    }
  }
  return [...folders].sort();
}
