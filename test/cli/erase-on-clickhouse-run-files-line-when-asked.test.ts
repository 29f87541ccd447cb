/**
 * What `clvkit erase --engine clickhouse` says of a server's files beside its --db.
 *
 * The run files: it printed "server run files: no ./clvkit.duckdb.runs (a server started with serve --engine
 * clickhouse --db ./clvkit.duckdb keeps its runs there; …)" for every user, also one who never ran serve and gave no
 * --db (a QA pass moving a shop to a cluster). The line is printed when --db was given or the runs folder exists.
 *
 * The write-ahead log (session 36's review): it looks for the ingest write-ahead log of a server on the cluster beside
 * its --db (`<db>.ingest-wal`, where serve --engine clickhouse --db keeps it), and without --db beside ./clvkit.duckdb
 * — and when there was none it said nothing: a user whose server runs elsewhere was not told that its log, which holds
 * the batches sent to the API until they are applied, had not been searched. It now says where it looked: with --db, a
 * line naming the folder it did not find and what to pass; without, the closing "not reached" line names the run files
 * and write-ahead log of a server on the cluster as not reached, none being beside the default --db.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseFlags, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

const SHOP = `${FIXTURES}shop/tiny-shop.csv`;

describe.skipIf(!CLICKHOUSE_URL)(`erase --engine clickhouse names the server run files and write-ahead log where it looked${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse | undefined;
  let flags: string[];
  let dir: string;
  beforeAll(async () => {
    dir = scratchDir();
    const keyFile = join(dir, 'shop.key');
    expect((await cli(['keys', 'init', '--key-file', keyFile])).code).toBe(0);
    cluster = await clickhouseWarehouse('erase_run_files_line');
    flags = [...clickhouseFlags(cluster.database), '--key-file', keyFile];
    const ingested = await cli(['ingest', SHOP, ...flags]);
    expect(ingested.code, ingested.stderr).toBe(0);
  }, 180_000);
  afterAll(() => dropScratchDatabase(cluster));

  it('names the server run files only when --db was given or its runs folder exists', async () => {
    expect(existsSync('./clvkit.duckdb.runs')).toBe(false); // the default --db's folder, in the test's working folder
    const plain = await cli(['erase', 'C', ...flags, '--role', 'admin']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).not.toContain('server run files');
    const state = join(dir, 'state.duckdb');
    const given = await cli(['erase', 'D', ...flags, '--db', state, '--role', 'admin']);
    expect(given.code, given.stderr).toBe(0);
    expect(given.stdout).toContain(`server run files: no ${state}.runs (a server started with serve --engine clickhouse --db ${state} keeps its runs there; pass the --db of the server on this cluster)\n`);
  }, 180_000);

  it('with --db: names the log folder it did not find; without: says the server files were looked for beside the default --db only', async () => {
    const state = join(dir, 'state.duckdb');
    const given = await cli(['erase', 'E', ...flags, '--db', state, '--role', 'admin']);
    expect(given.code, given.stderr).toBe(0);
    expect(given.stdout).toContain(`server write-ahead log: no ${state}.ingest-wal (a server started with serve --engine clickhouse --db ${state} keeps its log there; pass the --db of the server on this cluster)\n`);

    expect(existsSync('./clvkit.duckdb.ingest-wal') || existsSync('./clvkit.duckdb.runs')).toBe(false); // the default --db's, in the test's working folder
    const plain = await cli(['erase', 'F', ...flags, '--role', 'admin']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).not.toContain('server write-ahead log');
    expect(plain.stdout).toContain(`not reached: the run files and ingest write-ahead log of a server on this cluster — none beside ${resolve('clvkit.duckdb')} (the default --db): pass the --db the server was started with\n`);
  }, 180_000);
});
