/**
 * `clvkit erase --json` and its text have one shape on both engines: a script moved from DuckDB to a cluster reads the
 * same keys for what both have (per customer: token, rows per table, rows, nothing held; in all: tokens, tables, rows
 * per table, rows, the run files, the server's write-ahead log, the --out folders not reached), and each engine's extras under their own optional
 * keys (DuckDB: `file`; ClickHouse: `stagingDropped`, `tablesChecked`, `oldPartsLifetimeSeconds`). The text has a line
 * per customer on both. A QA pass found ClickHouse adding `tokens` and `rowCounts` that DuckDB lacked, and one combined
 * "erased a, b: 64 rows" line where DuckDB printed a line per customer ("X: no rows held (nothing to erase; recorded)"
 * against "erased X: 0 rows, checked gone…").
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseFlags, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

const SHOP = `${FIXTURES}shop/tiny-shop.csv`;
const COMMON = ['audienceFilesNotReached', 'customers', 'engine', 'outFoldersNotReached', 'rowCounts', 'rows', 'runFiles', 'tables', 'tokens', 'writeAheadLog'];

describe.skipIf(!CLICKHOUSE_URL)(`erase: one JSON shape and the same lines per customer on both engines${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse | undefined;
  let duck: string[];
  let onCluster: string[];
  beforeAll(async () => {
    const dir = scratchDir();
    const keyFile = join(dir, 'shop.key');
    expect((await cli(['keys', 'init', '--key-file', keyFile])).code).toBe(0);
    cluster = await clickhouseWarehouse('erase_one_shape');
    duck = ['--db', join(dir, 'shop.duckdb'), '--key-file', keyFile];
    onCluster = [...clickhouseFlags(cluster.database), '--key-file', keyFile];
    for (const flags of [duck, onCluster]) {
      const ingested = await cli(['ingest', SHOP, ...flags]);
      expect(ingested.code, ingested.stderr).toBe(0);
    }
  }, 180_000);
  afterAll(() => dropScratchDatabase(cluster));

  it('--json: the same keys for what both have, the same customers with their rows and "nothing held"; the extras are the engine\'s own', async () => {
    const [d, c] = await Promise.all([duck, onCluster].map(async (flags) => {
      const erased = await cli(['erase', 'A', 'nobody-here', ...flags, '--role', 'admin', '--json']);
      expect(erased.code, erased.stderr).toBe(0);
      return JSON.parse(erased.stdout) as Record<string, unknown>;
    }));
    expect(Object.keys(d!).sort()).toEqual([...COMMON, 'file'].sort());
    expect(Object.keys(c!).sort()).toEqual([...COMMON, 'oldPartsLifetimeSeconds', 'stagingDropped', 'tablesChecked'].sort());
    expect([d!.engine, c!.engine]).toEqual(['duckdb', 'clickhouse']);
    expect(c!.customers).toEqual(d!.customers);
    expect(d!.customers).toEqual([
      { token: (d!.tokens as string[])[0], rowCounts: { customer_reid: 1, transactions: 3 }, rows: 4, nothingHeld: false },
      { token: (d!.tokens as string[])[1], rowCounts: {}, rows: 0, nothingHeld: true },
    ]);
    expect(c!.tokens).toEqual(d!.tokens);
    expect(d!.rowCounts).toEqual({ customer_reid: 1, transactions: 3 });
    expect(c!.rowCounts).toEqual(d!.rowCounts);
    expect([d!.rows, c!.rows]).toEqual([4, 4]);
    expect(c!.runFiles).toEqual(d!.runFiles);
    expect(c!.writeAheadLog).toEqual(d!.writeAheadLog);
  }, 180_000);

  it('text: a line per customer, the same on both ("erased c_…: N rows (…)", "c_…: no rows held (nothing to erase; recorded)")', async () => {
    const [d, c] = await Promise.all([duck, onCluster].map(async (flags) => {
      const erased = await cli(['erase', 'B', 'nobody-else', ...flags, '--role', 'admin']);
      expect(erased.code, erased.stderr).toBe(0);
      return erased.stdout.split('\n');
    }));
    const perCustomer = (lines: string[]) => lines.filter((line) => /^(erased )?c_[a-z0-9]+: /.test(line));
    expect(perCustomer(d!)).toHaveLength(2);
    expect(perCustomer(c!)).toEqual(perCustomer(d!));
    expect(perCustomer(d!)[0]).toMatch(/^erased c_[a-z0-9]+: 2 rows \(customer_reid 1, transactions 1\)$/);
    expect(perCustomer(d!)[1]).toMatch(/^c_[a-z0-9]+: no rows held \(nothing to erase; recorded\)$/);
  }, 180_000);
});
