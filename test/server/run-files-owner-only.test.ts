/**
 * A served run's files are the server owner's only: a review found `<db>.runs/` and each run's folder 0755 and
 * customers.csv, recommendations.csv, report.html and run.json 0644 — customer tokens, scores and the report readable
 * by every account of the machine. The runs folder and each run's folder are now 0700, the files 0600, also when the
 * runs folder was made 0755 by an earlier server.
 */
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { runFilesFolder } from '../../src/privacy/warehouse/erase-from-run-files.js';
import { RunJobs } from '../../src/server/runs/run-jobs.js';
import { openTestServer, runToEnd, type TestServer } from './server-fixture.js';

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe("a served run's files are readable by the server's owner only", () => {
  let server: TestServer;
  let runs = '';
  let runId = '';

  beforeAll(async () => {
    server = await openTestServer({ runFilesBesideWarehouse: true });
    runs = runFilesFolder(join(server.dir, 'shop.duckdb'));
    mkdirSync(runs, { recursive: true });
    chmodSync(runs, 0o755); // as an earlier server made it
    await generateShop({ outDir: server.dir, customers: 120, seed: 9, products: 20, events: false });
    await ingestFiles(server.context.warehouse, [join(server.dir, 'transactions.csv')], { keyring: server.context.keyring });
    const analyst = await server.login('analyst');
    const started = await runToEnd(server, analyst, { regularityCheck: false, churn: false });
    expect(started.view.status, started.view.error ?? '').toBe('finished');
    runId = readdirSync(runs).find((name) => !name.startsWith('.'))!;
  }, 240_000);
  afterAll(async () => server?.close());

  it('the runs folder and the run folder are 0700, every file in it 0600', () => {
    const files = readdirSync(join(runs, runId)).sort();
    expect(files).toEqual(expect.arrayContaining(['customers.csv', 'recommendations.csv', 'report.html', 'run.json']));
    expect({ runs: mode(runs), run: mode(join(runs, runId)) }).toEqual({ runs: '700', run: '700' });
    expect(Object.fromEntries(files.map((f) => [f, mode(join(runs, runId, f))]))).toEqual(Object.fromEntries(files.map((f) => [f, '600'])));
  });

  // review (session 41, low): an earlier server's runs stayed 0755/0644 until the next run started; the server's start
  // (RunJobs.recover, which start-server calls) makes them the owner's only
  it("the runs an earlier server left are the owner's only once the server starts", async () => {
    const earlier = join(server.dir, 'earlier.runs');
    mkdirSync(join(earlier, 'r1'), { recursive: true, mode: 0o755 });
    chmodSync(earlier, 0o755);
    chmodSync(join(earlier, 'r1'), 0o755);
    writeFileSync(join(earlier, 'r1', 'customers.csv'), 'customer_id\nc_1\n', { mode: 0o644 });
    await new RunJobs(server.context, earlier).recover();
    expect([mode(earlier), mode(join(earlier, 'r1')), mode(join(earlier, 'r1', 'customers.csv'))]).toEqual(['700', '700', '600']);
  });
});
