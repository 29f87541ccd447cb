/**
 * `clvkit erase --engine clickhouse` printed "server run files: no ./clvkit.duckdb.runs (a server started with serve
 * --engine clickhouse --db ./clvkit.duckdb keeps its runs there; …)" for every user, also one who never ran serve and
 * gave no --db (a QA pass moving a shop to a cluster). The line is printed when --db was given or the runs folder exists.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseFlags, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

const SHOP = `${FIXTURES}shop/tiny-shop.csv`;

describe.skipIf(!CLICKHOUSE_URL)(`erase --engine clickhouse names the server run files when asked${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
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
});
