/**
 * Issue 19: every read route of `serve --engine clickhouse` answers what the
 * same route answers on DuckDB, for the same shop ingested with the same key
 * and analysed through the API with the same request (floats within 1e-9
 * relative, as test/engine/clickhouse/same-answers.test.ts compares).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouseWarehouse, type ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { initKeyFile } from '../../src/privacy/keys/key-file.js';
import { startServer, type StartedServer } from '../../src/server/start-server.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { cli } from '../helpers/cli.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, differences, dropScratchDatabase } from '../helpers/clickhouse.js';
import { scratchDir } from '../helpers/warehouse.js';

const PASSWORD = 'same-answers-admin-password';
const DATABASE = `clvkit_test_serve_same_${process.pid}`;
const cluster = process.env.CLVKIT_CLICKHOUSE_CLUSTER;
const clickhouseFlags = ['--engine', 'clickhouse', '--clickhouse-url', CLICKHOUSE_URL, '--clickhouse-database', DATABASE, ...(cluster ? ['--cluster', cluster] : [])];

/** The aggregate read routes of the dashboard (privacy is compared on its own below). */
const AGGREGATE_READ_ROUTES = ['/api/overview', '/api/value', '/api/model-card', '/api/segments', '/api/clusters', '/api/lifecycle', '/api/cohorts', '/api/cross-sell', '/api/events-summary', '/api/campaign-results', '/api/playbook'] as const;

interface Served {
  server: StartedServer;
  cookie: string;
  csrf: string;
}

async function login(server: StartedServer): Promise<Served> {
  const response = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  expect(response.status).toBe(200);
  return { server, cookie: response.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await response.json()) as { csrfToken: string }).csrfToken };
}

async function api(served: Served, path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const request = () => fetch(`${served.server.url}${path}`, { ...init, headers: { cookie: served.cookie, 'x-csrf-token': served.csrf, ...(init.body ? { 'content-type': 'application/json' } : {}) } });
  // a GET again when a kept-alive connection was closed by the server as it was reused (a run can hold the event loop past the 5 s keep-alive)
  const response = await request().catch((error: unknown) => ((init.method ?? 'GET') === 'GET' ? request() : Promise.reject(error)));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A run to its end; no report.html (no route reads it: test/engine/clickhouse/same-answers.test.ts compares the reports of the two engines). */
async function runToEnd(served: Served): Promise<string> {
  const started = await api(served, '/api/runs', { method: 'POST', body: JSON.stringify({ skipReport: true }) });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  const id = String(started.body.id);
  for (let i = 0; i < 600; i++) {
    const state = await api(served, `/api/runs/${id}`);
    if (state.body.status !== 'running') {
      expect(state.body, JSON.stringify(state.body)).toMatchObject({ status: 'finished' });
      return id;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`run ${id} did not finish`);
}

/** What differs by design between the two servers: the run's id and time (and its warnings, which name the engine's limits). */
function comparable(body: Record<string, unknown>): unknown {
  const run = body.run as Record<string, unknown> | undefined;
  return { ...body, ...(run ? { run: { ...run, id: '(run)', finishedAt: '(time)', warnings: '(warnings)' } } : {}) };
}

describe.skipIf(!CLICKHOUSE_URL)(`serve --engine clickhouse: every read route answers what it answers on DuckDB for the same shop${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let duck: Served;
  let click: Served;
  let direct: ClickHouseWarehouse;
  const dir = scratchDir();

  beforeAll(async () => {
    // no events file: nothing reads it (the transactions and profiles are the same bytes with or without)
    await generateShop({ outDir: dir, customers: 1200, seed: 1919, events: false, prospectShare: 0.1 }); // a tenth as many prospects as buyers, the generator's default until session 35
    const key = join(dir, 'shop.key');
    initKeyFile(key, { key: Buffer.alloc(32, 42) }); // the same tokens on both engines (and the same seeded splits)
    const duckDb = join(dir, 'shop.duckdb');
    const state = join(dir, 'state.duckdb');
    for (const args of [
      ['ingest', join(dir, 'transactions.csv'), '--db', duckDb, '--key-file', key],
      ['ingest', join(dir, 'customers.csv'), '--kind', 'customers', '--db', duckDb, '--key-file', key],
      ['ingest', join(dir, 'transactions.csv'), ...clickhouseFlags, '--key-file', key],
      ['ingest', join(dir, 'customers.csv'), '--kind', 'customers', ...clickhouseFlags, '--key-file', key],
    ]) {
      const done = await cli(args);
      expect(done.code, `${args.join(' ')}\n${done.stderr}`).toBe(0);
    }
    process.env.CLVKIT_PASSWORD = PASSWORD;
    try {
      for (const db of [duckDb, state]) {
        const added = await cli(['users', 'add', 'admin', '--role', 'admin', '--db', db, '--key-file', key]);
        expect(added.code, added.stderr).toBe(0);
      }
    } finally {
      delete process.env.CLVKIT_PASSWORD;
    }
    duck = await login(await startServer({ db: duckDb, keyFile: key, port: 0, host: '127.0.0.1', logLevel: 'silent' }));
    click = await login(await startServer({ db: state, keyFile: key, port: 0, host: '127.0.0.1', logLevel: 'silent', clickhouse: { url: CLICKHOUSE_URL, database: DATABASE, ...(cluster ? { cluster } : {}) } }));
    direct = await openClickHouseWarehouse(CLICKHOUSE_URL, { database: DATABASE, ...(cluster ? { cluster } : {}) });
    await runToEnd(duck);
    await runToEnd(click);
  }, 900_000);

  afterAll(async () => {
    await duck?.server.close();
    await click?.server.close();
    // on every shard: a DROP on the entry node left the database on the other shard
    await dropScratchDatabase(direct);
  });

  it('every aggregate route answers 200 on ClickHouse with the JSON DuckDB answers (run id, time and warnings aside)', async () => {
    for (const path of AGGREGATE_READ_ROUTES) {
      const [d, c] = [await api(duck, path), await api(click, path)];
      expect([path, d.status, c.status, c.body.error ?? null]).toEqual([path, 200, 200, null]);
      expect(differences(comparable(c.body), comparable(d.body)).slice(0, 10), path).toEqual([]);
    }
    const overview = (await api(click, '/api/overview')).body as { headline: { customers: number }; valueModel: { chosen: string } | null; stages: unknown };
    expect(overview.headline.customers).toBe(1200);
    expect(overview.valueModel?.chosen).toBeTruthy();
    expect(overview.stages).not.toBeNull();
    // cross-sell ran on both engines (the runs ask for patterns): the page holds rules, the same on both
    expect(((await api(click, '/api/cross-sell')).body.rules as { rules?: unknown[] } | null)?.rules?.length ?? 0).toBeGreaterThan(0);
  });

  it('the customer list answers the same rows for every filter and sort (a ClickHouse join renamed unaliased columns: orders and historic value came back null)', async () => {
    // q= searches the tokens (substr over the buyers' and prospects' union: 501 on ClickHouse when its branches' types differed)
    const queries = ['', '?q=c_a&limit=200', '?sort=customer&limit=200', '?stage=at_risk&sort=p_alive', '?tier=high&sort=churn_probability', '?sort=last_purchase&offset=100', '?sort=orders&reveal=1', '?sort=historic_value&limit=5'];
    const segment = ((await api(duck, '/api/customers')).body.segments as string[])[0]!;
    for (const query of [...queries, `?segment=${encodeURIComponent(segment)}`]) {
      const [d, c] = [await api(duck, `/api/customers${query}`), await api(click, `/api/customers${query}`)];
      expect([query, d.status, c.status], JSON.stringify(c.body).slice(0, 1500)).toEqual([query, 200, 200]);
      expect(differences(c.body, d.body).slice(0, 10), query).toEqual([]);
    }
    const page = (await api(click, '/api/customers?sort=orders')).body as { total: number; customers: { orders: number | null; historicValue: number | null; pii?: Record<string, unknown> }[] };
    expect(page.total).toBe(1320); // 1,200 buyers and 120 prospects (their orders NULL: last in this sort)
    expect(page.customers.every((c) => c.orders !== null && c.orders > 0 && c.historicValue !== null)).toBe(true);
  });

  it('the customer 360 (scores, stage history, orders, masked and revealed PII) is the same', async () => {
    const tokens = ((await api(duck, '/api/customers?sort=orders&limit=3')).body.customers as { customer: string }[]).map((c) => c.customer);
    for (const token of tokens) {
      for (const query of ['', '?reveal=1']) {
        const [d, c] = [await api(duck, `/api/customers/${token}${query}`), await api(click, `/api/customers/${token}${query}`)];
        expect([token, query, d.status, c.status]).toEqual([token, query, 200, 200]);
        expect(differences(c.body, d.body).slice(0, 10), `${token}${query}`).toEqual([]);
        const detail = c.body as { orders: unknown[]; stageHistory: unknown[]; scores: Record<string, unknown>; pii: Record<string, unknown> };
        expect(detail.orders.length).toBeGreaterThan(0);
        expect(detail.stageHistory.length).toBeGreaterThan(0);
        expect(Object.keys(detail.scores)).toContain('customer_scores');
      }
    }
  });

  it('privacy (it answered 501: DuckDB-only SQL): the same tables, columns and classes; the server tables counted in the state file', async () => {
    const [d, c] = [await api(duck, '/api/privacy'), await api(click, '/api/privacy')];
    expect([d.status, c.status]).toEqual([200, 200]);
    type Table = { table: string; rowCount: number; columns: { column: string; class: string; protection: string }[] };
    const tablesOf = (body: Record<string, unknown>) => new Map(((body.privacy as { tables: Table[] }).tables).map((t) => [t.table, t]));
    const [onDuck, onCluster] = [tablesOf(d.body), tablesOf(c.body)];
    // documented differences: the cluster records no schema migrations of its own and its copies in ingest_copies; a
    // run's scratch tables are dropped (customer_reid holds one row per token on both engines, so it is compared)
    const clusterOnly = [...onCluster.keys()].filter((t) => !onDuck.has(t));
    expect(clusterOnly).toEqual([]);
    expect([...onDuck.keys()].filter((t) => !onCluster.has(t))).toEqual([]);
    for (const [table, duckTable] of onDuck) {
      const clusterTable = onCluster.get(table)!;
      expect(clusterTable.columns.map((x) => [x.column, x.class, x.protection]), table).toEqual(duckTable.columns.map((x) => [x.column, x.class, x.protection]));
      if (!['schema_migrations', 'warehouse_meta', 'audit_log', 'login_attempts', 'ingest_batches', 'ingest_copies'].includes(table)) expect([table, clusterTable.rowCount]).toEqual([table, duckTable.rowCount]);
    }
    // the server's tables as the state file holds them (the cluster's copies of these tables are empty)
    const stateCount = async (table: string) => Number((await click.server.context.state.query(`SELECT count(*) AS n FROM ${table}`))[0]!.n);
    for (const table of ['users', 'server_runs', 'login_attempts']) expect([table, onCluster.get(table)!.rowCount]).toEqual([table, await stateCount(table)]);
    expect(onCluster.get('users')!.rowCount).toBe(1);
    expect(c.body.auditEntries).toBe(await stateCount('audit_log') - 1); // counted before this read was audited
    expect((c.body.checks as { check: string; ok: boolean }[]).map((x) => [x.check, x.ok])).toEqual((d.body.checks as { check: string; ok: boolean }[]).map((x) => [x.check, x.ok]));
    expect((c.body.checks as { ok: boolean }[]).every((x) => x.ok)).toBe(true);
  });

  it("the audit log route reads the state file's log on ClickHouse (where the server audits), verified", async () => {
    await api(click, '/api/overview');
    const audit = (await api(click, '/api/audit?limit=500')).body as { total: number; entries: { action: string; details: { route?: string } }[]; verification: { ok: boolean } };
    const [held] = await click.server.context.state.query('SELECT count(*) AS n FROM audit_log');
    expect(audit.total).toBe(Number(held!.n) - 1); // read before this read was audited
    expect(audit.verification).toEqual({ ok: true, message: null });
    expect(audit.entries.some((e) => e.action === 'view_aggregates' && e.details.route === 'GET /api/overview')).toBe(true);
  });

  it('audiences: the builder count, a new audience, its listing, details and export are the same', async () => {
    const where = JSON.stringify({ where: "stage = 'at_risk'" });
    const [dc, cc] = [await api(duck, '/api/audiences/count', { method: 'POST', body: where }), await api(click, '/api/audiences/count', { method: 'POST', body: where })];
    expect([dc.status, cc.status, cc.body.count]).toEqual([200, 200, dc.body.count]);
    const create = JSON.stringify({ name: 'at-risk', where: "stage = 'at_risk'", sendDate: '2023-10-01' });
    const [d, c] = [await api(duck, '/api/audiences', { method: 'POST', body: create }), await api(click, '/api/audiences', { method: 'POST', body: create })];
    expect([d.status, c.status]).toEqual([201, 201]);
    expect(differences(c.body, d.body)).toEqual([]);
    expect(Number(c.body.members)).toBeGreaterThan(5);
    const withoutTime = (body: Record<string, unknown>) => JSON.parse(JSON.stringify(body, (key, value: unknown) => (key === 'createdAt' ? '(time)' : value))) as unknown;
    for (const path of ['/api/audiences', '/api/audiences/at-risk', '/api/audiences/at-risk/export?format=json']) {
      const [dr, cr] = [await api(duck, path), await api(click, path)];
      expect([path, dr.status, cr.status]).toEqual([path, 200, 200]);
      expect(differences(withoutTime(cr.body), withoutTime(dr.body)), path).toEqual([]);
    }
  });

  it("a campaign's evaluation is the same, and so are the campaign results that then list it (with its per-channel KPIs)", async () => {
    // evaluated and stored (POST; a GET is a read and stores nothing)
    const path = '/api/campaigns/at-risk';
    const init = { method: 'POST', body: JSON.stringify({ from: '2023-10-01', to: '2023-12-31' }) };
    const [d, c] = [await api(duck, path, init), await api(click, path, init)];
    expect([d.status, c.status]).toEqual([201, 201]);
    const withoutTime = (body: Record<string, unknown>) => JSON.parse(JSON.stringify(body, (key, value: unknown) => (key === 'evaluatedAt' ? '(time)' : value))) as unknown;
    expect(differences(withoutTime(c.body), withoutTime(d.body))).toEqual([]);
    const [dr, cr] = [await api(duck, '/api/campaign-results'), await api(click, '/api/campaign-results')];
    expect(dr.status).toBe(200);
    expect((dr.body.campaigns as { campaigns: unknown[] }).campaigns.length).toBe(1);
    expect([cr.status, cr.body.error ?? null]).toEqual([200, null]);
    expect(differences(withoutTime(cr.body), withoutTime(dr.body))).toEqual([]);
  });
});
