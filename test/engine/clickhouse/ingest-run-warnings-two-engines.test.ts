/**
 * The ingest's warnings of a run on both engines, for the same files and flags. On the cluster (files ingested one at
 * a time, each into a local DuckDB) the ingest-level warnings were lost: analyze --engine clickhouse named each file's
 * warnings but not an unused --map flag, and a header-only file beside files with rows was refused (each file alone is
 * "the only file": NoDataRowsError) — in `clvkit ingest a.csv empty.csv` and as a header-only --events file of analyze —
 * where DuckDB warns "… has a header but no data rows: nothing was ingested from it" and goes on.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { cli, useFixedKey } from '../../helpers/cli.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseFlags } from '../../helpers/clickhouse.js';
import { FIXTURES, scratchDir, writeLines } from '../../helpers/warehouse.js';

const SHOP = `${FIXTURES}shop/tiny-shop.csv`;
const ORDERS_HEADER = 'order_id,customer_id,order_date,product_id,quantity,unit_price,country';
const EVENTS_HEADER = 'session_id,customer_id,anonymous_id,ts,type,product_id,category,query';
const QUICK = ['--skip-models', '--skip-patterns', '--skip-report', '--json', '--quiet'];

describe.skipIf(!CLICKHOUSE_URL)(`ingest warnings of a run, on DuckDB and on a ClickHouse cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  useFixedKey(23);
  const databases: string[] = [];
  const database = (name: string) => {
    const db = `clvkit_test_chwarn_${name}_${process.pid}`;
    databases.push(db);
    return db;
  };
  afterAll(async () => {
    for (const db of databases) {
      const cluster = await openClickHouseWarehouse(CLICKHOUSE_URL, { database: db });
      await cluster.dropDatabase();
      await cluster.close();
    }
  });

  /** `analyze ARGS` on DuckDB (in memory) and on a fresh cluster database: the run's warnings of each. */
  async function analyzeOnBoth(name: string, args: readonly string[]): Promise<{ duck: string[]; cluster: string[] }> {
    const dir = scratchDir();
    const duck = await cli(['analyze', ...args, '--out', join(dir, 'duck'), ...QUICK]);
    expect(duck.code, duck.stderr).toBe(0);
    const cluster = await cli(['analyze', ...args, ...clickhouseFlags(database(name)), '--out', join(dir, 'cluster'), ...QUICK]);
    expect(cluster.code, cluster.stderr).toBe(0);
    return { duck: JSON.parse(duck.stdout).warnings, cluster: JSON.parse(cluster.stdout).warnings };
  }

  it('analyze with a --map flag no file reads: the same warnings, the unused flag among them', async () => {
    const { duck, cluster } = await analyzeOnBoth('map', [SHOP, '--map', 'session_id=sess']);
    expect(duck).toContain('--map session_id=sess was not used: no event file in this ingest (session_id is a role of event files)');
    expect(cluster).toEqual(duck);
  }, 300_000);

  it('analyze with a header-only --events file beside orders: the same warnings, the run goes on', async () => {
    const events = writeLines(scratchDir(), 'events.csv', [EVENTS_HEADER]);
    const { duck, cluster } = await analyzeOnBoth('events', [SHOP, '--events', events]);
    expect(duck).toContain(`${events} has a header but no data rows: nothing was ingested from it`);
    expect(cluster).toEqual(duck);
  }, 300_000);

  it('ingest a.csv empty.csv: the header-only file is a warning and a.csv is ingested, as on DuckDB', async () => {
    const dir = scratchDir();
    const empty = writeLines(dir, 'empty.csv', [ORDERS_HEADER]);
    const duck = await cli(['ingest', SHOP, empty, '--db', join(dir, 'shop.duckdb'), '--json']);
    expect(duck.code, duck.stderr).toBe(0);
    const cluster = await cli(['ingest', SHOP, empty, ...clickhouseFlags(database('ingest')), '--json']);
    expect(cluster.code, cluster.stderr).toBe(0);
    const [d, c] = [JSON.parse(duck.stdout), JSON.parse(cluster.stdout)];
    expect(d.warnings).toContain(`${empty} has a header but no data rows: nothing was ingested from it`);
    expect(c.warnings).toEqual(d.warnings);
    expect(c.files.map((file: { source: string }) => file.source)).toEqual([SHOP]);
    expect(c.accepted).toBe(d.accepted);
  }, 300_000);

  it('ingest of header-only files only is still refused on the cluster, as on DuckDB', async () => {
    const dir = scratchDir();
    const empty = writeLines(dir, 'empty.csv', [ORDERS_HEADER]);
    const other = writeLines(dir, 'other.csv', [ORDERS_HEADER]);
    const duck = await cli(['ingest', empty, other, '--db', join(dir, 'shop.duckdb')]);
    const cluster = await cli(['ingest', empty, other, ...clickhouseFlags(database('none'))]);
    expect(duck.code).toBe(2);
    expect(cluster.code).toBe(2);
    expect(duck.stderr).toMatch(/none of the 2 files has data rows/);
    expect(cluster.stderr.split('\n').filter((line) => line.startsWith('clvkit: error'))).toEqual(duck.stderr.split('\n').filter((line) => line.startsWith('clvkit: error')));
  }, 300_000);
});
