/**
 * Ctrl-C during `clvkit analyze --engine clickhouse`: the run stops at its
 * next statement, drops the tables it staged on the cluster, says its line
 * and ends by the signal; the cluster keeps its previous analysis. Before,
 * the process ended at once and left its `clv_staged_*` tables (customer
 * tokens among them) on the cluster until the next analysis started — the
 * same as on a warehouse file (test/cli/analyze-interrupted.test.ts).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../../src/core/calendar-days.js';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { clusterFlags } from '../../../src/engine/warehouse-flags.js';
import { readStoredAnalysis } from '../../../src/pipeline/stored-analysis.js';
import { generateShop } from '../../../src/synth/generate-shop.js';
import { assertBuilt, CLI, runClvkit } from '../../server/serve-process.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseFlags, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';
import { scratchDir } from '../../helpers/warehouse.js';

describe.skipIf(!CLICKHOUSE_URL)(`Ctrl-C during clvkit analyze --engine clickhouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const dir = scratchDir();
  const keyFile = join(dir, 'shop.key');
  let cluster: ClickHouseWarehouse;
  let flags: string[];
  let asOf: string;

  beforeAll(async () => {
    assertBuilt();
    await generateShop({ outDir: dir, customers: 800, seed: 1313, products: 100 });
    expect(runClvkit(['keys', 'init', '--key-file', keyFile]).status).toBe(0);
    cluster = await clickhouseWarehouse('analyze_interrupted');
    flags = [...clickhouseFlags(cluster.database), '--key-file', keyFile];
    const first = runClvkit(['analyze', join(dir, 'transactions.csv'), ...flags, '--out', join(dir, 'o1'), '--skip-report', '--skip-patterns', '--quiet']);
    expect(first.status, first.stderr).toBe(0);
    asOf = JSON.parse(readFileSync(join(dir, 'o1', 'run.json'), 'utf8')).parameters.asOf;
  }, 600_000);
  afterAll(() => dropScratchDatabase(cluster));

  it('after the lifecycle stage: the staged tables dropped, one line, the previous analysis kept', async () => {
    const stored = await readStoredAnalysis(cluster);
    const [before] = await cluster.query('SELECT count(*) AS n, max(last_purchase) AS last FROM customer_summary');
    const child = spawn(process.execPath, [CLI, 'analyze', ...flags, '--as-of', addDays(asOf, -120), '--out', join(dir, 'o2'), '--skip-report', '--skip-patterns'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      stderr += text;
      if (/lifecycle done/.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    const end = await exited;
    expect(end.signal, stderr).toBe('SIGINT');
    expect(await cluster.query("SELECT table_name FROM information_schema.tables WHERE substr(table_name, 1, 11) = 'clv_staged_'")).toEqual([]);
    // nor any other table of the run (its scratch tables: dropTemporaryTablesAfter)
    expect(await cluster.query("SELECT table_name FROM information_schema.tables WHERE substr(table_name, 1, 4) = 'clv_'")).toEqual([]);
    expect(stderr).toContain('clvkit: stopping the analysis at its next statement and dropping the tables it staged (Ctrl-C again to end at once)\n');
    const again = clusterFlags({ url: CLICKHOUSE_URL, database: cluster.database, cluster: process.env.CLVKIT_CLICKHOUSE_CLUSTER });
    expect(stderr.trimEnd().split('\n').at(-1)).toBe(`clvkit: analyze interrupted: the cluster's database ${cluster.database} keeps its previous analysis (as of ${asOf}), unchanged; this run stored nothing (hint: run clvkit analyze ${again} again)`);
    expect(await readStoredAnalysis(cluster)).toEqual(stored);
    const [after] = await cluster.query('SELECT count(*) AS n, max(last_purchase) AS last FROM customer_summary');
    expect(after).toEqual(before);
  }, 600_000);
});
