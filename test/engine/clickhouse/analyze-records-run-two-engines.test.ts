/**
 * Regression: `clvkit analyze --db shop.duckdb` records its finished run in the warehouse's `server_runs` (a server on
 * the file shows it), `clvkit analyze --engine clickhouse` recorded nothing — a server on the cluster answered "no
 * analysis has finished" after it, and the cluster's privacy report counted 0 runs where the file's counted 1. The
 * cluster's run is now recorded there as the file's is, and a server on the cluster (runs in its state file) reads
 * the cluster's recorded runs beside its own.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { openDuckDbWarehouse } from '../../../src/engine/duckdb-warehouse.js';
import { SCHEMA_MIGRATIONS } from '../../../src/engine/schema-migrations.js';
import type { Row, Warehouse } from '../../../src/engine/warehouse.js';
import { generateShop } from '../../../src/synth/generate-shop.js';
import { openKeyedWarehouse } from '../../../src/privacy/keys/open-keyed-warehouse.js';
import { createServer } from '../../../src/server/create-server.js';
import { createApiToken } from '../../../src/server/auth/token-store.js';
import { createServerContext } from '../../../src/server/open-server-context.js';
import { RunJobs } from '../../../src/server/runs/run-jobs.js';
import { cli } from '../../helpers/cli.js';
import { scratchDir } from '../../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';

describe.skipIf(!CLICKHOUSE_URL)(`clvkit analyze records its run in server_runs on both engines${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const dir = scratchDir('clvkit-analyze-records-run-');
  const keyFile = join(dir, 'shop.key');
  const db = join(dir, 'shop.duckdb');
  let cluster: ClickHouseWarehouse;
  let duck: Warehouse;
  const cheap = ['--skip-patterns', '--skip-report', '--no-churn', '--quiet', '--actor', 'ana', '--key-file', keyFile];
  const runJson = (out: string) => JSON.parse(readFileSync(join(dir, out, 'run.json'), 'utf8')) as Record<string, unknown>;
  const runsOf = (warehouse: Warehouse) => warehouse.query('SELECT run_id, status, started_by, started_at <= finished_at AS ordered, summary FROM server_runs ORDER BY run_id');

  beforeAll(async () => {
    await generateShop({ outDir: join(dir, 'shop'), customers: 150, seed: 2207 });
    expect((await cli(['keys', 'init', '--key-file', keyFile])).code).toBe(0);
    cluster = await clickhouseWarehouse('analyze_records_run');
    const file = join(dir, 'shop', 'transactions.csv');
    const onDuck = await cli(['analyze', file, '--db', db, '--out', join(dir, 'out-duckdb'), ...cheap]);
    expect(onDuck.stderr).toBe('');
    expect(onDuck.code).toBe(0);
    const onCluster = await cli(['analyze', file, '--engine', 'clickhouse', '--clickhouse-url', CLICKHOUSE_URL, '--clickhouse-database', cluster.database, '--out', join(dir, 'out-clickhouse'), ...cheap]);
    expect(onCluster.stderr).toBe('');
    expect(onCluster.code).toBe(0);
    duck = await openDuckDbWarehouse(db);
  }, 600_000);
  afterAll(async () => {
    await duck?.close();
    await dropScratchDatabase(cluster);
  });

  it('one finished run, started by clvkit analyze (ana), its summary run.json — on the file and on the cluster', async () => {
    const expected = (rows: Row[], out: string) => {
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'finished', started_by: 'clvkit analyze (ana)' });
      expect(Boolean(rows[0]!.ordered)).toBe(true);
      expect(JSON.parse(String(rows[0]!.summary))).toEqual(runJson(out));
    };
    expected(await runsOf(duck), 'out-duckdb');
    expected(await runsOf(cluster), 'out-clickhouse');
    expect((runJson('out-clickhouse').headline as { customers: number }).customers).toBe((runJson('out-duckdb').headline as { customers: number }).customers);
  });

  it("a server on the cluster shows the CLI's run as its latest, lists it beside its own (state file) and counts both on its privacy page", async () => {
    const { warehouse: state, keyring } = await openKeyedWarehouse({ db: join(dir, 'state.duckdb'), create: true, requireKey: true, keyFile });
    const context = createServerContext({ warehouse: cluster, state, dbPath: join(dir, 'state.duckdb'), keyring: keyring! });
    const app = await createServer(context, { logger: false, runs: new RunJobs(context, join(dir, 'runs')) });
    try {
      const headers = { authorization: `Bearer ${(await createApiToken(state, { name: 'reader', role: 'analyst', expiresDays: 1 })).token}` };
      const get = async (url: string) => {
        const response = await app.inject({ method: 'GET', url, headers });
        expect([url, response.statusCode]).toEqual([url, 200]);
        return response.json() as Record<string, unknown>;
      };
      const [recorded] = await cluster.query('SELECT run_id FROM server_runs');
      const cliRun = String(recorded!.run_id);
      const latest = await context.latestRun();
      expect(latest?.id).toBe(cliRun);
      expect(latest?.summary).toEqual(runJson('out-clickhouse'));
      expect(((await get('/api/overview')) as { run: { id: string }; headline: { customers: number } }).run.id).toBe(cliRun);
      expect(((await get('/api/overview')) as { headline: { customers: number } }).headline.customers).toBe((runJson('out-clickhouse').headline as { customers: number }).customers);
      // a run of the server itself, finished later, is the latest; both are listed, newest first
      await state.execute("INSERT INTO server_runs (run_id, status, started_at, finished_at, started_by, summary) VALUES ('20991231-000000-abcdef', 'finished', TIMESTAMP '2099-12-31 00:00:00', TIMESTAMP '2099-12-31 00:01:00', 'admin', '{\"headline\":{}}')");
      expect((await context.latestRun())?.id).toBe('20991231-000000-abcdef');
      const runs = (await get('/api/runs')).runs as { id: string; status: string; startedBy: string }[];
      expect(runs.map((r) => [r.id, r.status, r.startedBy])).toEqual([
        ['20991231-000000-abcdef', 'finished', 'admin'],
        [cliRun, 'finished', 'clvkit analyze (ana)'],
      ]);
      expect((await get(`/api/runs/${cliRun}`)).startedBy).toBe('clvkit analyze (ana)');
      const tables = ((await get('/api/privacy')).privacy as { tables: { table: string; rowCount: number }[] }).tables;
      expect(tables.find((t) => t.table === 'server_runs')?.rowCount).toBe(2);
    } finally {
      await app.close();
      await state.close();
    }
  });
  it('the privacy report counts the same rows on both engines, but for what the cluster holds otherwise and says so', async () => {
    type Report = { tables: { table: string; rowCount: number; description: string }[] };
    const onFile = await cli(['privacy', 'report', '--db', db, '--key-file', keyFile, '--json']);
    const onCluster = await cli(['privacy', 'report', '--engine', 'clickhouse', '--clickhouse-url', CLICKHOUSE_URL, '--clickhouse-database', cluster.database, '--key-file', keyFile, '--json']);
    expect([onFile.code, onCluster.code]).toEqual([0, 0]);
    const [d, c] = [JSON.parse(onFile.stdout) as Report, JSON.parse(onCluster.stdout) as Report];
    const counts = (report: Report) => new Map(report.tables.map((t) => [t.table, t.rowCount]));
    const [dc, cc] = [counts(d), counts(c)];
    expect([...cc.keys()]).toEqual([...dc.keys()]);
    const differing = Object.fromEntries([...dc].filter(([table, n]) => cc.get(table) !== n).map(([table, n]) => [table, [n, cc.get(table)]]));
    // server_runs: 1 on both (was 0 on the cluster: its analysis was not recorded)
    expect([dc.get('server_runs'), cc.get('server_runs')]).toEqual([1, 1]);
    // the cluster runs no migrations (its tables are made from the newest schema) and keeps its copies' marks
    expect(Object.keys(differing).sort()).toEqual(['ingest_copies', 'schema_migrations']);
    expect(differing.schema_migrations).toEqual([SCHEMA_MIGRATIONS.length, 0]);
    expect(dc.get('ingest_copies')).toBe(0);
    const described = (report: Report, table: string) => report.tables.find((t) => t.table === table)!.description;
    expect(described(c, 'schema_migrations')).toBe('schema versions applied (none on a ClickHouse cluster: its tables are created from the newest schema (ensureClusterSchema), not migrated version by version)');
    expect(described(d, 'schema_migrations')).toBe('schema versions applied');
    expect(described(c, 'ingest_copies')).toMatch(/^ClickHouse only: /);
  });
});
