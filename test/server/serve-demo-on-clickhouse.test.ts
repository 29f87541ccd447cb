/**
 * Issue 19: `clvkit serve --demo --engine clickhouse --clickhouse-url URL --db STATE`
 * ingests and analyses the bundled demo data on the cluster, creating the
 * state file (and its key), once; a database holding other data is refused
 * with one line and exit code 2, before any state file is created.
 *
 * The demo file is a sample of the bundled one (every line of one customer in
 * twelve, and one in twelve of the lines without a customer id, ~40k of its
 * 542k lines, the whole period): the path under test (the server's demo run
 * ingesting "the demo file" into the cluster and analysing it there, once) is
 * the same, and the run takes seconds instead of minutes. The bundled file
 * itself is ingested and analysed on DuckDB by the lifecycle and pipeline
 * tests (test/lifecycle/demo-lifecycle.test.ts).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openClickHouseWarehouse, type ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { ingestFilesToClickHouse } from '../../src/ingest/ingest-files-to-clickhouse.js';
import { initKeyFile } from '../../src/privacy/keys/key-file.js';
import { startServer, type StartedServer } from '../../src/server/start-server.js';
import { cli } from '../helpers/cli.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL } from '../helpers/clickhouse.js';
import { scratchDir } from '../helpers/warehouse.js';

const demoSample = vi.hoisted(async () => {
  const [{ mkdtempSync, readFileSync, writeFileSync }, { tmpdir }, { join }, { gunzipSync, gzipSync }] = await Promise.all([import('node:fs'), import('node:os'), import('node:path'), import('node:zlib')]);
  const lines = gunzipSync(readFileSync(new URL('../../data/online-retail/online_retail.csv.gz', import.meta.url))).toString('utf8').split('\n');
  // CustomerID is the last field but one (Country holds no comma; a quoted description may)
  const kept = lines.slice(1).filter((line, i) => {
    if (line === '') return false;
    const id = line.split(',').at(-2)!;
    return id === '' ? i % 12 === 0 : Number(id) % 12 === 0;
  });
  const file = join(mkdtempSync(join(tmpdir(), 'clvkit-demo-sample-')), 'online_retail.csv.gz');
  writeFileSync(file, gzipSync(Buffer.from([lines[0], ...kept, ''].join('\n'))));
  return { file, customers: new Set(kept.map((line) => line.split(',').at(-2)).filter((id) => id !== '')).size };
});
// the server's demo run reads the demo file from here (demo-on-clickhouse.ts)
vi.mock('../../src/pipeline/analyze.js', async (importOriginal) => ({ ...(await importOriginal<typeof import('../../src/pipeline/analyze.js')>()), DEMO_DATA_FILE: (await demoSample).file }));

const cluster = process.env.CLVKIT_CLICKHOUSE_CLUSTER;
const DEMO_DATABASE = `clvkit_test_serve_demo_${process.pid}`;
const OTHER_DATABASE = `clvkit_test_serve_demo_other_${process.pid}`;
const PASSWORD = 'demo-on-clickhouse-password';
const open = (database: string) => openClickHouseWarehouse(CLICKHOUSE_URL, { database, ...(cluster ? { cluster } : {}) });
const serveFlags = (database: string) => ['--engine', 'clickhouse', '--clickhouse-url', CLICKHOUSE_URL, '--clickhouse-database', database, ...(cluster ? ['--cluster', cluster] : [])];

describe.skipIf(!CLICKHOUSE_URL)(`clvkit serve --demo --engine clickhouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const dir = scratchDir();
  let demo: ClickHouseWarehouse;
  let other: ClickHouseWarehouse;

  beforeAll(async () => {
    demo = await open(DEMO_DATABASE);
    other = await open(OTHER_DATABASE);
  });
  afterAll(async () => {
    for (const w of [demo, other]) {
      await w?.dropDatabase().catch(() => undefined);
      await w?.close();
    }
  });

  it('refuses a cluster database that holds data other than the demo: one line, exit code 2, no state file created', async () => {
    const key = join(dir, 'other.key');
    const keyring = initKeyFile(key, { key: Buffer.alloc(32, 42) });
    const orders = join(dir, 'orders.csv');
    writeFileSync(orders, 'order_id,customer_id,date,amount\no1,c1,2025-01-02,10\no2,c2,2025-01-03,12\n');
    await ingestFilesToClickHouse(other, [orders], { keyring, dateFormats: ['iso'] });
    const state = join(dir, 'other-state.duckdb');
    const refused = await cli(['serve', '--demo', ...serveFlags(OTHER_DATABASE), '--db', state, '--key-file', key, '--port', '0']);
    expect([refused.code, refused.stderr.trim().split('\n').length]).toEqual([2, 1]);
    expect(refused.stderr).toMatch(new RegExp(`^clvkit: error: the ClickHouse database ${OTHER_DATABASE} already holds data \\(1 ingested file\\(s\\) that are not the demo's\\).*hint: serve that data without --demo`));
    expect(existsSync(state)).toBe(false);
  });

  it('loads and analyses the demo on the cluster, creating the state file and its key; a second start serves that run without loading again', async () => {
    const state = join(dir, 'demo-state.duckdb');
    let server: StartedServer | null = await startServer({ db: state, demo: true, port: 0, host: '127.0.0.1', logLevel: 'silent', clickhouse: { url: CLICKHOUSE_URL, database: DEMO_DATABASE, ...(cluster ? { cluster } : {}) } });
    let runId: string;
    let analysed: number;
    try {
      expect(existsSync(state)).toBe(true);
      expect(existsSync(`${state}.key`)).toBe(true);
      const run = await server.context.latestRun();
      const sample = await demoSample;
      expect(run?.summary.parameters.files).toEqual([sample.file]);
      runId = run!.id;
      // the data is on the cluster: the demo file once, its customers summarised there
      const [ingests] = await demo.query('SELECT count(*) AS n, sum(accepted) AS accepted FROM ingests');
      expect(Number(ingests!.n)).toBe(1);
      expect(Number(ingests!.accepted)).toBe(run!.summary.ingest?.accepted);
      const [customers] = await demo.query('SELECT count(*) AS n FROM customer_summary');
      expect(run!.summary.headline.customers).toBe(Number(customers!.n));
      analysed = Number(customers!.n);
      // the sample's customers (a few hold only cancellations or zero-price lines)
      expect(Number(customers!.n)).toBeGreaterThan(0.9 * sample.customers);
      expect(Number(customers!.n)).toBeLessThanOrEqual(sample.customers);
      const [local] = await server.context.state.query('SELECT count(*) AS n FROM transactions');
      expect(Number(local!.n)).toBe(0); // nothing of the data in the state file
    } finally {
      await server.close();
      server = null;
    }
    process.env.CLVKIT_PASSWORD = PASSWORD;
    try {
      const added = await cli(['users', 'add', 'admin', '--role', 'admin', '--db', state]);
      expect(added.code, added.stderr).toBe(0);
    } finally {
      delete process.env.CLVKIT_PASSWORD;
    }
    server = await startServer({ db: state, demo: true, port: 0, host: '127.0.0.1', logLevel: 'silent', clickhouse: { url: CLICKHOUSE_URL, database: DEMO_DATABASE, ...(cluster ? { cluster } : {}) } });
    try {
      const login = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
      expect(login.status).toBe(200);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const runs = (await (await fetch(`${server.url}/api/runs`, { headers: { cookie } })).json()) as { runs: { id: string }[] };
      expect(runs.runs.map((r) => r.id)).toEqual([runId]);
      const overview = await fetch(`${server.url}/api/overview`, { headers: { cookie } });
      const body = (await overview.json()) as { run: { id: string }; headline: { customers: number } };
      expect([overview.status, body.run.id]).toEqual([200, runId]);
      expect(body.headline.customers).toBe(analysed);
      const [ingests] = await demo.query('SELECT count(*) AS n FROM ingests');
      expect(Number(ingests!.n)).toBe(1);
    } finally {
      await server.close();
    }
  }, 1_800_000);
});
