import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseWarehouse, openClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { readAuditEntries } from '../../src/privacy/warehouse/warehouse-audit.js';
import { startServer, type StartedServer } from '../../src/server/start-server.js';
import { cli } from '../helpers/cli.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, dropScratchDatabase } from '../helpers/clickhouse.js';
import { scratchDir } from '../helpers/warehouse.js';

const PASSWORD = 'clickhouse-admin-password';
const DATABASE = `clvkit_test_serve_${process.pid}`;
const cluster = process.env.CLVKIT_CLICKHOUSE_CLUSTER;

describe.skipIf(!CLICKHOUSE_URL)(`clvkit serve --engine clickhouse: the data on the cluster, accounts and bookkeeping in the local state file${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let server: StartedServer;
  let db: string;
  let cookie: string;
  let csrf: string;
  let direct: ClickHouseWarehouse;
  const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { ...init, headers: { cookie, 'x-csrf-token': csrf, ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) } });
  /**
   * Starts a run without patterns, report and regularity check, polls it until it is no longer running (2 minutes at
   * most); its id and last state. The orders below are regular enough that the value model's fit settles on the boundary
   * of steady buyers, and the check's MBG/CNBD-k tournament was 18 of a run's 26 s on the cluster (most of this file's
   * cluster work) for a result no test here reads (MBG/CNBD-k on both engines: validate-two-engines.test.ts).
   */
  const runToEnd = async () => {
    const run = (await (await api('/api/runs', { method: 'POST', body: JSON.stringify({ skipPatterns: true, skipReport: true, regularityCheck: false }) })).json()) as { id: string };
    let state: { status: string; error: string | null } = { status: 'running', error: null };
    for (let i = 0; i < 240 && state.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      state = (await (await api(`/api/runs/${run.id}`)).json()) as typeof state;
    }
    return { run, state };
  };

  beforeAll(async () => {
    db = join(scratchDir(), 'state.duckdb');
    process.env.CLVKIT_PASSWORD = PASSWORD;
    try {
      const added = await cli(['users', 'add', 'admin', '--role', 'admin', '--db', db]);
      expect(added.code, added.stderr).toBe(0);
    } finally {
      delete process.env.CLVKIT_PASSWORD;
    }
    server = await startServer({ db, port: 0, host: '127.0.0.1', logLevel: 'silent', clickhouse: { url: CLICKHOUSE_URL, database: DATABASE, ...(cluster ? { cluster } : {}) } });
    const login = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
    expect(login.status).toBe(200);
    cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    direct = await openClickHouseWarehouse(CLICKHOUSE_URL, { database: DATABASE, ...(cluster ? { cluster } : {}) });
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    // on every shard: a DROP on the entry node left the database on the other shard
    await dropScratchDatabase(direct);
  });

  it('logs in against the state file and answers health; the data warehouse is the cluster, the state the DuckDB file', async () => {
    expect(server.context.engine).toBe('clickhouse');
    expect(server.context.state.dialect.name).toBe('duckdb');
    expect(server.context.warehouse.dialect.name).toBe('clickhouse');
    const health = await api('/api/health');
    expect(health.status).toBe(200);
    const me = (await (await api('/api/me')).json()) as { name: string; role: string };
    expect([me.name, me.role]).toEqual(['admin', 'admin']);
  });

  it('orders sent to the API are analysed on the cluster (POST /api/runs) and listed; the report-data and customer routes answer 200 for that run', async () => {
    const orders: string[] = [];
    for (let c = 0; c < 60; c++) for (let k = 0; k <= c % 4; k++) orders.push(JSON.stringify({ order_id: `o${c}-${k}`, customer_id: `shop-${c}`, date: `2025-${String(1 + ((c + k * 5) % 12)).padStart(2, '0')}-${String(1 + (c % 28)).padStart(2, '0')}T10:00:00Z`, amount: 10 + (c % 40) }));
    const sent = await api('/api/orders', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: orders.join('\n') });
    expect(sent.status).toBe(202);
    expect((await api('/api/events/count?prefix=zz')).status).toBe(200); // waits for the backlog
    const [held] = await direct.query('SELECT count(DISTINCT customer_id) AS n FROM transactions');
    expect(Number(held!.n)).toBe(60);
    const { run, state } = await runToEnd();
    expect(state, JSON.stringify(state)).toMatchObject({ status: 'finished' });
    expect(((await (await api('/api/runs')).json()) as { runs: { id: string; status: string }[] }).runs[0]).toMatchObject({ id: run.id, status: 'finished' });
    // the report-data pages are built by buildReportData on the cluster; every one answers for this run (same answers as DuckDB: serve-on-clickhouse-same-answers.test.ts)
    const overview = (await (await api('/api/overview')).json()) as { run: { id: string }; headline: { customers: number } };
    expect([overview.run.id, overview.headline.customers]).toEqual([run.id, 60]);
    for (const path of ['/api/value', '/api/segments', '/api/lifecycle', '/api/cohorts', '/api/customers', '/api/audiences', '/api/privacy']) {
      const response = await api(path);
      expect([path, response.status], JSON.stringify(await response.clone().json())).toEqual([path, 200]);
    }
  }, 240_000);
  it('POST /api/events with a token made through the API lands on the cluster exactly once; GET /api/events/count counts it; the bookkeeping is in the state file', async () => {
    const created = (await (await api('/api/tokens', { method: 'POST', body: JSON.stringify({ name: 'shop', role: 'analyst', expiresDays: 1 }) })).json()) as { token: string };
    const lines = Array.from({ length: 40 }, (_, i) => JSON.stringify({ customer_id: `ch-${i % 8}`, ts: `2026-01-0${1 + (i % 9)}T10:00:${String(i).padStart(2, '0')}Z`, type: 'view', product_id: `P${i}` }));
    const send = (key: string) => fetch(`${server.url}/api/events`, { method: 'POST', headers: { authorization: `Bearer ${created.token}`, 'content-type': 'application/x-ndjson', 'idempotency-key': key }, body: lines.join('\n') });
    const first = await send('ch-batch-1');
    expect(first.status).toBe(202);
    const again = await send('ch-batch-1');
    expect([again.status, again.headers.get('idempotent-replay')]).toEqual([202, 'true']);
    const count = (await (await api('/api/events/count?prefix=ch-')).json()) as { count: number };
    expect(count).toEqual({ count: 40 });
    const [onCluster] = await direct.query('SELECT count(*) AS n FROM events');
    expect(Number(onCluster!.n)).toBe(40);
    const [batches] = await server.context.state.query('SELECT count(*) AS n, sum(accepted) AS accepted FROM ingest_batches WHERE kind = \'events\'');
    expect([Number(batches!.n), Number(batches!.accepted)]).toEqual([1, 40]);
    // audited in the state file (the cluster's ingest audits into a scratch DuckDB of its own)
    const ingests = (await readAuditEntries(server.context.state, { actor: 't', role: 'admin' })).filter((e) => e.action === 'ingest' && e.target === 'table:events');
    expect(ingests.map((e) => [e.actor, e.rowCounts.accepted, e.details.engine])).toEqual([['shop (token)', 40, 'clickhouse']]);
  }, 120_000);


  it('a run over the cluster now holding events finishes (the events stage on ClickHouse), and the events page shows them', async () => {
    const { run, state } = await runToEnd();
    expect(state, JSON.stringify(state)).toMatchObject({ status: 'finished' });
    const events = await api('/api/events-summary');
    const body = (await events.json()) as { run: { id: string }; events: unknown };
    expect([events.status, body.run.id]).toEqual([200, run.id]);
    expect(body.events).not.toBeNull();
  }, 240_000);

  it('a group whose copy finds the cluster not answering is copied again and lands once; any other failure sets the batch aside at once', async () => {
    const proto = ClickHouseWarehouse.prototype as unknown as { append: (...args: unknown[]) => Promise<number> };
    const append = proto.append;
    const failNextAppend = (error: Error) => {
      proto.append = async function (this: unknown, ...args: unknown[]) {
        proto.append = append;
        throw error;
      };
    };
    const orders = (prefix: string) => Array.from({ length: 30 }, (_, i) => JSON.stringify({ order_id: `${prefix}-${i}`, customer_id: `${prefix}-c${i % 10}`, date: `2025-03-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`, amount: 20 + i })).join('\n');
    const held = async () => Number((await direct.query('SELECT count(*) AS n FROM transactions'))[0]!.n);
    const before = await held();
    try {
      failNextAppend(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      expect((await api('/api/orders', { method: 'POST', headers: { 'content-type': 'application/x-ndjson', 'idempotency-key': 'retry-1' }, body: orders('rt') })).status).toBe(202);
      expect((await api('/api/events/count?prefix=zz')).status).toBe(200); // waits for the backlog
      expect(proto.append).toBe(append); // the injected failure happened
      expect(await held()).toBe(before + 30);
      const [batch] = await server.context.state.query("SELECT accepted FROM ingest_batches WHERE idempotency_key = 'retry-1'");
      expect(Number(batch!.accepted)).toBe(30);
      failNextAppend(new Error('injected: not a connection failure'));
      expect((await api('/api/orders', { method: 'POST', headers: { 'content-type': 'application/x-ndjson', 'idempotency-key': 'retry-2' }, body: orders('bug') })).status).toBe(202);
      expect((await api('/api/events/count?prefix=zz')).status).toBe(200);
      expect(await held()).toBe(before + 30);
      const [aside] = await server.context.state.query("SELECT accepted FROM ingest_batches WHERE idempotency_key = 'retry-2'");
      expect(Number(aside!.accepted)).toBe(0); // set aside (kept in the write-ahead log's failed/ folder), as on DuckDB
    } finally {
      proto.append = append;
    }
  }, 120_000);
});

describe('clvkit serve --engine clickhouse, flags', () => {
  it('needs --clickhouse-url, a cluster that answers (--demo creates no state file without one) and a state file, with exit code 2', async () => {
    const noUrl = await cli(['serve', '--engine', 'clickhouse', '--db', 'x.duckdb']);
    expect([noUrl.code, noUrl.stderr]).toEqual([2, expect.stringMatching(/^clvkit: error: --engine clickhouse needs --clickhouse-url/)]);
    const state = join(scratchDir(), 'demo-state.duckdb');
    const demo = await cli(['serve', '--engine', 'clickhouse', '--clickhouse-url', 'http://127.0.0.1:1', '--demo', '--db', state]);
    expect([demo.code, demo.stderr.trim().split('\n').length, demo.stderr]).toEqual([2, 1, expect.stringMatching(/^clvkit: error: no ClickHouse server answers at http:\/\/127\.0\.0\.1:1/)]);
    expect(existsSync(state)).toBe(false);
    const missing = await cli(['serve', '--engine', 'clickhouse', '--clickhouse-url', 'http://127.0.0.1:1', '--db', join(scratchDir(), 'none.duckdb')]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/no state file .*clvkit users add NAME --role admin/)]);
  });
});
