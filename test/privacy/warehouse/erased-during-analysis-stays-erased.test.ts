/**
 * A customer erased while an analysis runs on a ClickHouse cluster does not
 * come back in its results. `clvkit erase --engine clickhouse` may run beside
 * `clvkit analyze --engine clickhouse` or a server's run: the analysis read
 * the customer's rows before the erasure and wrote after it. Before, the
 * erased token came back — in customer_clusters (the segments stage reads the
 * customers' features into memory and appends their clusters: an erasure in
 * between deleted nothing there, then the append wrote the row and the swap
 * published it) and in customers.csv and recommendations.csv (written before
 * the erasure, kept as they were) — although the erasure said "checked
 * gone". Now the run, after its swap and its files, removes every customer
 * recorded in `erased_customers` from its published tables and files, audits
 * it (`erase_after_run`) and says so in one line of its warnings.
 *
 * The erasures run on a connection of their own (as a CLI process beside
 * the run would), at fixed points of the run: one between the clusters'
 * read and their append, one once customers.csv is written.
 * On DuckDB no erasure runs beside an analysis (one writer per file); the
 * same clean-up is checked there on a token recorded after the run.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouseWarehouse, type ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { DERIVED_TABLES } from '../../../src/engine/derived-tables.js';
import { recordErasedTokens } from '../../../src/engine/erased-customers.js';
import type { Warehouse } from '../../../src/engine/warehouse.js';
import { ingestFilesToClickHouse } from '../../../src/ingest/ingest-files-to-clickhouse.js';
import { analyzeOnClickHouse } from '../../../src/pipeline/analyze-on-clickhouse.js';
import { runAnalysis } from '../../../src/pipeline/analyze.js';
import { keyringFromKey } from '../../../src/privacy/keys/keyring.js';
import { createPseudonymiser } from '../../../src/privacy/tokens/pseudonymise.js';
import { eraseCustomersOnClickHouse } from '../../../src/privacy/warehouse/erase-customers-on-clickhouse.js';
import { removeErasedFromResults } from '../../../src/privacy/warehouse/erased-during-run.js';
import { resolveAccess } from '../../../src/privacy/access/access.js';
import { AnalysisPrivacy } from '../../../src/privacy/warehouse/analysis-privacy.js';
import { eraseFromRunFiles, runFilesFolder } from '../../../src/privacy/warehouse/erase-from-run-files.js';
import { clickhouseAnalyzeOptions } from '../../../src/pipeline/analyze-on-clickhouse.js';
import { serialiseWarehouse } from '../../../src/server/serialised-warehouse.js';
import { generateShop } from '../../../src/synth/generate-shop.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';
import { memoryWarehouse, scratchDir } from '../../helpers/warehouse.js';

const keyring = keyringFromKey(Buffer.alloc(32, 73), { source: 'memory' });
const pseudonymise = createPseudonymiser(keyring);
const cheap = { skipReport: true, skipChurn: true };

/** The shop's customer ids, most lines first (the CSV's second column). */
function customersByLines(csv: string): string[] {
  const lines = new Map<string, number>();
  for (const line of readFileSync(csv, 'utf8').split('\n').slice(1)) {
    const id = line.split(',')[1];
    if (id) lines.set(id, (lines.get(id) ?? 0) + 1);
  }
  return [...lines].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
}

/** Rows of `token` per derived table the warehouse holds (tables without its rows left out). */
async function derivedRowsOf(warehouse: Warehouse, token: string): Promise<Record<string, number>> {
  const held = new Set((await warehouse.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")).map((r) => String(r.table_name)));
  const rows: Record<string, number> = {};
  for (const { name } of DERIVED_TABLES) {
    if (!held.has(name)) continue;
    const [row] = await warehouse.query(`SELECT count(*) AS n FROM ${name} WHERE customer_id = '${token}'`);
    if (Number(row!.n) > 0) rows[name] = Number(row!.n);
  }
  return rows;
}

/** The parts of run.json that count customers or sum their value: without timings and the run's folder, numbers to 10 significant digits. */
function aggregatesOf(runJson: string): Record<string, unknown> {
  const outDir = dirname(runJson);
  const run = JSON.parse(readFileSync(runJson, 'utf8'), (key, value: unknown) =>
    key === 'timingsMs' ? undefined : typeof value === 'number' ? Number(value.toPrecision(10)) : typeof value === 'string' ? value.replaceAll(outDir, 'OUT') : value,
  );
  return { ...Object.fromEntries(['warehouse', 'headline', 'valueModel', 'segments', 'patterns', 'events', 'prospects', 'campaigns'].map((key) => [key, run[key] ?? null])), suppressed: run.privacy.suppressed };
}

const linesOf = (file: string, token: string) => readFileSync(file, 'utf8').split('\n').filter((line) => line.startsWith(`${token},`)).length;

describe.skipIf(!CLICKHOUSE_URL)(`a customer erased while an analysis runs on a cluster stays erased${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const dir = scratchDir();
  let cluster: ClickHouseWarehouse;
  let eraser: ClickHouseWarehouse;
  let ids: string[];
  // run.json of the run with the erasures and of the run after them (the first two tests), compared by the third
  const runJsons: { during?: string; after?: string } = {};
  beforeAll(async () => {
    await generateShop({ outDir: dir, customers: 200, seed: 6107, products: 40 });
    cluster = await clickhouseWarehouse('erased_during_analysis');
    await ingestFilesToClickHouse(cluster, [join(dir, 'transactions.csv')], { keyring });
    // the erasure's own connection, as `clvkit erase --engine clickhouse` beside the run has
    eraser = await openClickHouseWarehouse(CLICKHOUSE_URL, { database: cluster.database, ...(process.env.CLVKIT_CLICKHOUSE_CLUSTER ? { cluster: process.env.CLVKIT_CLICKHOUSE_CLUSTER } : {}) });
    ids = customersByLines(join(dir, 'transactions.csv'));
  }, 300_000);
  afterAll(async () => {
    await eraser?.close();
    await dropScratchDatabase(cluster);
  });

  it('removes them from the tables it published and from customers.csv and recommendations.csv, audits it and says so in one line', async () => {
    const [inClusters, inFiles] = [ids[1]!, ids[0]!]; // buyers of many lines: each has recommendations
    const [clusteredToken, fileToken] = [pseudonymise(inClusters), pseudonymise(inFiles)];
    const erasures: Record<string, number>[] = [];
    const erase = async (id: string) => erasures.push({ ...(await eraseCustomersOnClickHouse(eraser, [id], { keyring, role: 'admin' })).rowCounts });
    // the run waits while an erasure goes on (a statement of the run's sent then would have read what it had not yet deleted)
    let pending: Promise<unknown> = Promise.resolve();
    const [append, execute, query] = [cluster.append.bind(cluster), cluster.execute.bind(cluster), cluster.query.bind(cluster)];
    cluster.append = async (table, columns) => {
      // the segments stage has read the customers' features and is about to append their clusters: the erasure comes now
      if (table === 'clv_staged_customer_clusters' && Array.from(columns.customer_id as readonly string[]).includes(clusteredToken)) await erase(inClusters);
      return append(table, columns);
    };
    cluster.execute = async (sql) => (await pending, execute(sql));
    cluster.query = async (sql) => (await pending, query(sql));
    const out = join(dir, 'run');
    mkdirSync(out);
    let run;
    try {
      run = (
        await analyzeOnClickHouse(cluster, {
          db: 'clickhouse',
          outDir: out,
          files: [],
          keyring,
          ...cheap,
          onProgress: (event) => {
            // customers.csv and recommendations.csv are written: the erasure comes before the swap
            if (event.step === 'publish' && event.phase === 'end' && erasures.length === 1) pending = erase(inFiles);
          },
        })
      ).run;
    } finally {
      Object.assign(cluster, { append, execute, query });
    }
    await pending;
    // each erasure deleted what it found then (the clusters' row was not written yet; the other's rows were in the run's staged tables)
    expect(erasures).toHaveLength(2);
    expect(erasures[0]).not.toHaveProperty('customer_clusters');
    expect(erasures[0]).toHaveProperty('transactions');
    expect(erasures[1]).toHaveProperty('clv_staged_customer_summary', 1);

    // the published tables hold neither (customer_clusters held the first: 1 row)
    expect(await derivedRowsOf(cluster, clusteredToken)).toEqual({});
    expect(await derivedRowsOf(cluster, fileToken)).toEqual({});
    const [customers] = await cluster.query('SELECT count(*) AS n FROM customer_summary');
    expect(Number(customers!.n)).toBe(ids.length - 2);
    // nor do the run's files (customers.csv held the second's line, recommendations.csv its 10)
    for (const token of [clusteredToken, fileToken]) {
      expect(linesOf(run.outputs.customersCsv, token)).toBe(0);
      expect(linesOf(run.outputs.recommendationsCsv!, token)).toBe(0);
    }
    expect(readFileSync(run.outputs.customersCsv, 'utf8').trim().split('\n')).toHaveLength(1 + ids.length - 2);
    runJsons.during = run.outputs.runJson;
    const line = '2 customers erased while the run went on: removed from its results (customer_clusters 1 row, customers.csv 1 line, recommendations.csv 10 lines); its counts and models computed again without them';
    expect(run.warnings.filter((w) => w.includes('erased while the run went on'))).toEqual([line]);
    expect(JSON.parse(readFileSync(run.outputs.runJson, 'utf8')).warnings).toContain(line);
    const audited = (await cluster.query("SELECT target, row_counts, details FROM audit_log WHERE action = 'erase_after_run' ORDER BY target")).map((e) => ({
      target: String(e.target),
      rowCounts: JSON.parse(String(e.row_counts)),
      files: JSON.parse(String(e.details)).files,
    }));
    expect(audited).toEqual(
      [
        { target: `customer:${clusteredToken}`, rowCounts: { customer_clusters: 1 }, files: [] },
        { target: `customer:${fileToken}`, rowCounts: {}, files: ['customers.csv', 'recommendations.csv'] },
      ].sort((a, b) => (a.target < b.target ? -1 : 1)),
    );
  }, 600_000);

  it('a run with nobody erased meanwhile says nothing of it and removes nothing', async () => {
    const out = join(dir, 'again');
    mkdirSync(out);
    const { run } = await analyzeOnClickHouse(cluster, { db: 'clickhouse', outDir: out, files: [], keyring, ...cheap });
    expect(run.warnings.filter((w) => w.includes('erased while the run went on'))).toEqual([]);
    expect(readFileSync(run.outputs.customersCsv, 'utf8').trim().split('\n')).toHaveLength(1 + ids.length - 2);
    runJsons.after = run.outputs.runJson;
  }, 600_000);

  it('the run during which they were erased published the counts of the run after it: headline, segments, tiers, stages, value model, cross-sell', () => {
    const [during, after] = [aggregatesOf(runJsons.during!), aggregatesOf(runJsons.after!)];
    expect((during.headline as { customers: number }).customers).toBe(ids.length - 2);
    expect(during).toEqual(after);
  });

  it("a server's run on the cluster (through its serialised warehouse, its files under <db>.runs) removes them too, and its summary says so", async () => {
    const id = ids[2]!;
    const token = pseudonymise(id);
    const db = join(dir, 'state.duckdb'); // the server's state file: its runs' files are beside it
    const runDir = join(runFilesFolder(db), 'run-1');
    mkdirSync(runDir, { recursive: true });
    const append = cluster.append.bind(cluster);
    let erased: Awaited<ReturnType<typeof eraseFromRunFiles>> | null = null;
    cluster.append = async (table, columns) => {
      if (table === 'clv_staged_customer_clusters' && Array.from(columns.customer_id as readonly string[]).includes(token)) {
        // `clvkit erase --engine clickhouse --db <state file>`: the cluster's rows, then the server's run files
        const { tokens } = await eraseCustomersOnClickHouse(eraser, [id], { keyring, role: 'admin' });
        erased = await eraseFromRunFiles(db, tokens);
      }
      return append(table, columns);
    };
    let summary;
    try {
      // as run-jobs.ts runs it on a cluster
      const options = clickhouseAnalyzeOptions({ db, outDir: runDir, keyring, exportPii: [], api: true, ...cheap });
      summary = await cluster.dropTemporaryTablesAfter(() => runAnalysis(serialiseWarehouse(cluster), options));
    } finally {
      cluster.append = append;
    }
    expect(erased).toMatchObject({ lines: 0 }); // the run had written no file yet
    expect(await derivedRowsOf(cluster, token)).toEqual({});
    expect(linesOf(summary.outputs.customersCsv, token)).toBe(0);
    expect(summary.outputs.customersCsv.startsWith(runFilesFolder(db))).toBe(true);
    expect(summary.warnings.filter((w) => w.includes('erased while the run went on'))).toEqual(['1 customer erased while the run went on: removed from its results (customer_clusters 1 row); its counts and models computed again without them']);
    expect(summary.headline.customers).toBe(ids.length - 3);
  }, 600_000);
});

describe('on DuckDB the same clean-up removes a recorded token from the published tables and the files', () => {
  it('deletes its rows from every derived table and its lines from customers.csv', async () => {
    const dir = scratchDir();
    await generateShop({ outDir: dir, customers: 60, seed: 17, products: 20 });
    const warehouse = await memoryWarehouse(1);
    try {
      const out = join(dir, 'run');
      mkdirSync(out);
      const startedAt = new Date().toISOString();
      const run = await runAnalysis(warehouse, { db: ':memory:', outDir: out, files: [join(dir, 'transactions.csv')], keyring, ...cheap, skipPatterns: true });
      const token = pseudonymise(customersByLines(join(dir, 'transactions.csv'))[0]!);
      const held = await derivedRowsOf(warehouse, token);
      expect(held).toHaveProperty('customer_summary', 1);
      expect(linesOf(run.outputs.customersCsv, token)).toBe(1);
      // as an erasure beside the run would have left it: recorded, its derived rows and file line still there
      await recordErasedTokens(warehouse, [token], new Date());
      const privacy = new AnalysisPrivacy(keyring, 'warehouse', resolveAccess({ actor: 'test', role: 'admin' }), false, 5);
      const erased = await removeErasedFromResults(warehouse, { startedAt, files: [run.outputs.customersCsv], privacy });
      expect(erased).toEqual({ customers: 1, tokens: [token], rowCounts: held, lines: { 'customers.csv': 1 }, warning: '1 customer erased while the run went on: removed from its results (7 rows in 7 tables, customers.csv 1 line)' });
      expect(await derivedRowsOf(warehouse, token)).toEqual({});
      expect(linesOf(run.outputs.customersCsv, token)).toBe(0);
      expect(await removeErasedFromResults(warehouse, { startedAt, files: [run.outputs.customersCsv], privacy })).toBeNull();
    } finally {
      await warehouse.close();
    }
  }, 300_000);
});
