/**
 * Ctrl-C during `clvkit analyze --db W` (a user trial): the run says in one
 * line that it was interrupted and what W holds — its previous analysis,
 * unchanged, since an analysis is stored whole or not at all — and a later
 * `audience create` draws from that analysis. Before, the process died
 * silently with the derived tables half replaced, and the audience drew
 * from the mix. The run stops at its next statement and drops the tables it
 * staged before it ends (they used to stay until the next analysis).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interruptedAnalysisLine, type AnalysisRunState } from '../../src/cli/commands/analysis-interrupt.js';
import { addDays } from '../../src/core/calendar-days.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { readStoredAnalysis } from '../../src/pipeline/stored-analysis.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { assertBuilt, CLI, runClvkit } from '../server/serve-process.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('the line clvkit analyze says when interrupted', () => {
  const state = (over: Partial<AnalysisRunState>): AnalysisRunState => ({ warehouse: 'shop.duckdb', flags: '--db shop.duckdb', ingests: false, outDir: 'out', step: 'segments', storage: null, ...over });
  const previous = { asOf: '2011-12-09', storedAt: '2026-01-02T03:04:05.000Z', tables: ['customer_summary'] };

  it('names what the warehouse keeps, and what of the run is stored', () => {
    expect(interruptedAnalysisLine(state({ storage: { phase: 'staged', previous } }))).toBe(
      'clvkit: analyze interrupted: shop.duckdb keeps its previous analysis (as of 2011-12-09), unchanged; this run stored nothing (hint: run clvkit analyze --db shop.duckdb again)',
    );
    expect(interruptedAnalysisLine(state({ storage: { phase: 'staged', previous: null } }))).toBe('clvkit: analyze interrupted: shop.duckdb holds no analysis yet; this run stored nothing (hint: run clvkit analyze --db shop.duckdb again)');
    expect(interruptedAnalysisLine(state({ storage: { phase: 'staged', previous: { ...previous, asOf: null } }, ingests: true, step: 'ingest' }))).toBe(
      'clvkit: analyze interrupted: shop.duckdb keeps its previous analysis, unchanged; of this run’s files, those ingested in full before the interrupt are stored (each file whole or not at all), its analysis is not (hint: run the same clvkit analyze command again: a file ingested before adds nothing)',
    );
    expect(interruptedAnalysisLine(state({ ingests: true, step: 'value' }))).toBe(
      'clvkit: analyze interrupted: shop.duckdb keeps the analysis it held, unchanged; this run’s files are ingested, its analysis is not stored (hint: run the same clvkit analyze command again: a file ingested before adds nothing)',
    );
    expect(interruptedAnalysisLine(state({ storage: { phase: 'stored', analysis: { ...previous, asOf: '2011-09-30' } } }))).toBe("clvkit: analyze interrupted after storing its analysis: shop.duckdb holds this run's analysis (as of 2011-09-30), but out may lack run.json");
    expect(interruptedAnalysisLine(state({ warehouse: null }))).toBe('clvkit: analyze interrupted: nothing was kept (the warehouse was in memory), and out has no run.json');
    expect(interruptedAnalysisLine(state({ ingests: true, step: null }))).toBe('clvkit: analyze interrupted before its first stage: nothing was read or stored, shop.duckdb is as it was (hint: run the same clvkit analyze command again)');
  });

});

describe('Ctrl-C during clvkit analyze --db', () => {
  const dir = scratchDir();
  const db = join(dir, 'shop.duckdb');
  let asOf: string;

  beforeAll(async () => {
    assertBuilt();
    await generateShop({ outDir: dir, customers: 800, seed: 77, products: 200 });
    expect(runClvkit(['ingest', join(dir, 'transactions.csv'), '--db', db]).status).toBe(0);
    const first = runClvkit(['analyze', '--db', db, '--out', join(dir, 'o1'), '--skip-report', '--quiet']);
    expect(first.status, first.stderr).toBe(0);
    asOf = JSON.parse(readFileSync(join(dir, 'o1', 'run.json'), 'utf8')).parameters.asOf;
  }, 600_000);
  afterAll(() => undefined);

  it('after the lifecycle stage: one line, the previous analysis kept whole, and the audience drawn from it', async () => {
    const child = spawn(process.execPath, [CLI, 'analyze', '--db', db, '--as-of', addDays(asOf, -120), '--out', join(dir, 'o2')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      stderr += text;
      if (/lifecycle done/.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    const end = await exited;
    expect(end.signal).toBe('SIGINT');
    expect(stderr.trimEnd().split('\n').at(-1)).toBe(`clvkit: analyze interrupted: ${db} keeps its previous analysis (as of ${asOf}), unchanged; this run stored nothing (hint: run clvkit analyze --db ${db} again)`);

    const warehouse = await openDuckDbWarehouse(db);
    try {
      // the run stopped at its next statement and dropped what it had staged (they were left for the next run to drop)
      expect(await warehouse.query("SELECT table_name FROM information_schema.tables WHERE substr(table_name, 1, 11) = 'clv_staged_'")).toEqual([]);
      expect(stderr).toContain('clvkit: stopping the analysis at its next statement and dropping the tables it staged (Ctrl-C again to end at once)\n');
      expect(await readStoredAnalysis(warehouse)).toMatchObject({ asOf });
      const [summary] = await warehouse.query('SELECT count(*) AS n, max(last_purchase) AS last FROM customer_summary');
      const customers = readFileSync(join(dir, 'o1', 'customers.csv'), 'utf8').trim().split('\n');
      expect(Number(summary!.n)).toBe(customers.length - 1);
      expect((summary!.last as Date).toISOString().slice(0, 10)).toBe(asOf);
    } finally {
      await warehouse.close();
    }
    // the audience is drawn from the previous analysis: its active customers, as customers.csv of that run lists them
    const header = readFileSync(join(dir, 'o1', 'customers.csv'), 'utf8').split('\n')[0]!.split(',');
    const active = readFileSync(join(dir, 'o1', 'customers.csv'), 'utf8').trim().split('\n').slice(1).filter((line) => line.split(',')[header.indexOf('stage')] === 'active').length;
    const audience = runClvkit(['audience', 'create', '--db', db, '--name', 'after-interrupt', '--where', "stage = 'active'", '--json']);
    expect(audience.status, audience.stderr).toBe(0);
    expect(JSON.parse(audience.stdout).members).toBe(active);
  }, 600_000);
});
