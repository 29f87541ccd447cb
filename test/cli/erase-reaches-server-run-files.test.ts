/**
 * `clvkit erase` reaches the files of the server's runs beside the warehouse
 * (`<db>.runs/<run>/customers.csv`, `recommendations.csv`): a user trial found
 * an erased customer's token still in them after the erasure. Other lines and
 * files are left as they were; copies elsewhere are named as not reached.
 * `erase --engine clickhouse --db STATE` reaches those a server on the
 * cluster wrote beside its state file (`serve --engine clickhouse --db
 * STATE`): it used to leave them, and said nothing of them.
 */
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseFlags, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { startServer } from '../../src/server/start-server.js';
import { createApiToken } from '../../src/server/auth/token-store.js';
import { readKeyFile } from '../../src/privacy/keys/key-file.js';
import { createPseudonymiser } from '../../src/privacy/tokens/pseudonymise.js';
import { scratchDir } from '../helpers/warehouse.js';
import { PII_MAP_FLAGS, rawId, writePiiOrders } from '../privacy/privacy-fixture.js';

describe('erase and the server run files', () => {
  it('removes the erased tokens’ lines from every run’s customers.csv and recommendations.csv, nothing else', async () => {
    const dir = scratchDir();
    const db = join(dir, 'wh.duckdb');
    expect((await cli(['ingest', writePiiOrders(dir), '--db', db, ...PII_MAP_FLAGS])).code).toBe(0);
    // two runs as the server writes them (analyze into <db>.runs/<run id>/); the second a copy of the first (erase reads
    // the folder's run files by name, whoever wrote them; a second analysis asserted nothing more, as on the cluster below)
    const runs = [join(`${db}.runs`, 'run-1'), join(`${db}.runs`, 'run-2')];
    expect((await cli(['analyze', '--db', db, '--out', runs[0]!, '--quiet', '--skip-models', '--skip-report'])).code).toBe(0);
    cpSync(runs[0]!, runs[1]!, { recursive: true });
    const token = createPseudonymiser(readKeyFile(`${db}.key`))(rawId(7));
    const before = Object.fromEntries(runs.flatMap((out) => ['customers.csv', 'recommendations.csv'].map((name) => [join(out, name), readFileSync(join(out, name), 'utf8')])));
    const held = Object.values(before).reduce((n, text) => n + text.split('\n').filter((line) => line.startsWith(`${token},`)).length, 0);
    expect(held).toBeGreaterThan(2); // a customers.csv line per run and recommendations
    writeFileSync(join(`${db}.runs`, 'run-2', 'notes.txt'), `${token}\n`); // not a run file clvkit writes: left alone

    const erase = await cli(['erase', rawId(7), '--db', db, '--role', 'admin', '--json']);
    expect(erase.code, erase.stderr).toBe(0);
    expect(JSON.parse(erase.stdout).runFiles).toEqual({ folder: `${db}.runs`, filesSearched: 4, filesRewritten: 4, lines: held });
    for (const [file, text] of Object.entries(before)) {
      const after = readFileSync(file, 'utf8');
      expect(after).not.toContain(token);
      expect(after).toBe(text.split('\n').filter((line) => !line.startsWith(`${token},`)).join('\n'));
      expect(statSync(file).mode & 0o777).toBe(0o644);
    }
    expect(readFileSync(join(`${db}.runs`, 'run-2', 'notes.txt'), 'utf8')).toBe(`${token}\n`);
  });

  it('says what it reached and what it cannot', async () => {
    const dir = scratchDir();
    const db = join(dir, 'wh.duckdb');
    expect((await cli(['ingest', writePiiOrders(dir), '--db', db, ...PII_MAP_FLAGS])).code).toBe(0);
    const plain = await cli(['erase', rawId(3), '--db', db, '--role', 'admin']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).not.toContain('server run files');
    expect(plain.stdout).toContain('not reached: copies outside the warehouse and its runs folder (--out folders, exported audience files, backups) — erase those by process\n');
    expect((await cli(['analyze', '--db', db, '--out', join(`${db}.runs`, 'r'), '--quiet', '--skip-models', '--skip-report'])).code).toBe(0);
    const withRuns = await cli(['erase', rawId(4), '--db', db, '--role', 'admin']);
    expect(withRuns.stdout).toMatch(new RegExp(`^server run files: [1-9]\\d* lines removed from 2 of 2 files under ${db.replaceAll('.', '\\.')}\\.runs$`, 'm'));
    expect(withRuns.stdout).not.toContain('not reached: the --out folder'); // the run under <db>.runs is reached, not named
  });

  it('names the --out folders of the analyses recorded in the warehouse, which it does not reach', async () => {
    const dir = scratchDir();
    const db = join(dir, 'wh.duckdb');
    expect((await cli(['ingest', writePiiOrders(dir), '--db', db, ...PII_MAP_FLAGS])).code).toBe(0);
    // two --out folders of the user's, one since removed (a server run's is not named: the test before)
    const [kept, removed] = [join(dir, 'out-kept'), join(dir, 'out-removed')];
    for (const out of [kept, removed]) expect((await cli(['analyze', '--db', db, '--out', out, '--quiet', '--skip-models', '--skip-report'])).code).toBe(0);
    rmSync(removed, { recursive: true });
    const token = createPseudonymiser(readKeyFile(`${db}.key`))(rawId(5));
    expect(readFileSync(join(kept, 'customers.csv'), 'utf8')).toContain(`${token},`);
    const erase = await cli(['erase', rawId(5), '--db', db, '--role', 'admin']);
    expect(erase.code, erase.stderr).toBe(0);
    expect(erase.stdout).toContain(
      `not reached: the --out folder of an analysis recorded here, on this machine (their customers.csv and recommendations.csv may hold these customers): ${kept}\nnot reached: copies outside the warehouse and its runs folder (--out folders, exported audience files, backups) — erase those by process\n`,
    );
    expect(readFileSync(join(kept, 'customers.csv'), 'utf8')).toContain(`${token},`); // the user's copy: named, left as it was
    const json = await cli(['erase', rawId(6), '--db', db, '--role', 'admin', '--json']);
    expect(JSON.parse(json.stdout).outFoldersNotReached).toEqual([kept]);
  });
});

describe.skipIf(!CLICKHOUSE_URL)(`erase --engine clickhouse and the run files of a server on the cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse | undefined;
  afterAll(() => dropScratchDatabase(cluster));

  it('removes the erased tokens’ lines from the runs a server on the cluster wrote beside its state file (--db), nothing else', async () => {
    const dir = scratchDir();
    const state = join(dir, 'state.duckdb');
    const keyFile = `${state}.key`;
    cluster = await clickhouseWarehouse('erase_run_files');
    const flags = [...clickhouseFlags(cluster.database), '--key-file', keyFile];
    // the state file and its key, the orders on the cluster under that key
    process.env.CLVKIT_PASSWORD = 'erase-run-files-password';
    try {
      const added = await cli(['users', 'add', 'admin', '--role', 'admin', '--db', state]);
      expect(added.code, added.stderr).toBe(0);
    } finally {
      delete process.env.CLVKIT_PASSWORD;
    }
    const ingested = await cli(['ingest', writePiiOrders(dir), ...flags, ...PII_MAP_FLAGS]);
    expect(ingested.code, ingested.stderr).toBe(0);
    // a run of clvkit serve --engine clickhouse --db STATE: its files go to STATE.runs/<run id>/
    const server = await startServer({ db: state, port: 0, host: '127.0.0.1', logLevel: 'silent', clickhouse: { url: CLICKHOUSE_URL, database: cluster.database, ...(process.env.CLVKIT_CLICKHOUSE_CLUSTER ? { cluster: process.env.CLVKIT_CLICKHOUSE_CLUSTER } : {}) } });
    try {
      const headers = { authorization: `Bearer ${(await createApiToken(server.context.state, { name: 'runner', role: 'analyst', expiresDays: 1 })).token}` };
      // no regularity check: these 60 customers look like steady buyers to the value model's fit, and its MBG/CNBD-k
      // tournament on the cluster was work for a result this test never reads (the run's files are what erase reaches)
      const started = await server.app.inject({ method: 'POST', url: '/api/runs', payload: { skipReport: true, regularityCheck: false }, headers });
      expect(started.statusCode, started.body).toBe(202);
      const id = (started.json() as { id: string }).id;
      let status = 'running';
      while (status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 200));
        status = ((await server.app.inject({ method: 'GET', url: `/api/runs/${id}`, headers })).json() as { status: string }).status;
      }
      expect(status).toBe('finished');
    } finally {
      await server.close();
    }
    // a second run folder beside it: a copy of the first (erase reads the folder's run files by name, whoever wrote
    // them; a second analysis on the cluster cost a third of this file's time and asserted nothing more)
    const [first] = readdirSync(`${state}.runs`);
    cpSync(join(`${state}.runs`, first!), join(`${state}.runs`, `${first}-again`), { recursive: true });
    const runs = readdirSync(`${state}.runs`).map((run) => join(`${state}.runs`, run));
    expect(runs).toHaveLength(2);
    const token = createPseudonymiser(readKeyFile(keyFile))(rawId(7));
    const files = runs.flatMap((run) => ['customers.csv', 'recommendations.csv'].map((name) => join(run, name)));
    const before = Object.fromEntries(files.map((file) => [file, readFileSync(file, 'utf8')]));
    const held = Object.values(before).reduce((n, text) => n + text.split('\n').filter((line) => line.startsWith(`${token},`)).length, 0);
    expect(held).toBeGreaterThan(2); // a customers.csv line per run and recommendations

    const erase = await cli(['erase', rawId(7), ...flags, '--db', state, '--role', 'admin', '--json']);
    expect(erase.code, erase.stderr).toBe(0);
    expect(JSON.parse(erase.stdout)).toMatchObject({ tokens: [token], runFiles: { folder: `${state}.runs`, filesSearched: 4, filesRewritten: 4, lines: held } });
    for (const [file, text] of Object.entries(before)) {
      const after = readFileSync(file, 'utf8');
      expect(after).not.toContain(token);
      expect(after).toBe(text.split('\n').filter((line) => !line.startsWith(`${token},`)).join('\n'));
    }

    // the text says what it reached, and where it looked when there is nothing
    const plain = await cli(['erase', rawId(8), ...flags, '--db', state, '--role', 'admin']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(new RegExp(`^server run files: [1-9]\\d* lines removed from [1-4] of 4 files under ${state.replaceAll('.', '\\.')}\\.runs$`, 'm'));
    const elsewhere = await cli(['erase', rawId(9), ...flags, '--db', join(dir, 'other.duckdb'), '--role', 'admin']);
    expect(elsewhere.code, elsewhere.stderr).toBe(0);
    expect(elsewhere.stdout).toContain(`server run files: no ${join(dir, 'other.duckdb')}.runs (a server started with serve --engine clickhouse --db ${join(dir, 'other.duckdb')} keeps its runs there; pass the --db of the server on this cluster)\n`);
  }, 600_000);
});
