/**
 * The privacy report's last line, "audit log: N entries (verify with `clvkit audit verify --role admin`)", left out
 * the flags of the warehouse the report was run on: followed as written after a report on a cluster (or on a --db
 * other than the default) it checked ./clvkit.duckdb (a QA pass moving a shop to a cluster). It now names the
 * warehouse as the report was run (--db PATH, or the --engine clickhouse flags) and the --key-file given, and the
 * command it names verifies that log.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseFlags, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

const SHOP = `${FIXTURES}shop/tiny-shop.csv`;

/** The command in the report's "verify with `…`", as arguments. */
async function verifyHint(flags: readonly string[]): Promise<string[]> {
  const report = await cli(['privacy', 'report', ...flags, '--role', 'admin']);
  expect(report.code, report.stderr).toBe(0);
  const hint = /verify with `clvkit ([^`]+)`/.exec(report.stdout)?.[1];
  expect(hint, report.stdout).toBeDefined();
  return hint!.split(' ');
}

describe('privacy report: the audit verify hint names the warehouse it reported on', () => {
  it('on a DuckDB file: --db PATH and --key-file, and the command verifies that log', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    const keyFile = join(dir, 'shop.key');
    expect((await cli(['keys', 'init', '--key-file', keyFile])).code).toBe(0);
    expect((await cli(['ingest', SHOP, '--db', db, '--key-file', keyFile])).code).toBe(0);
    const hint = await verifyHint(['--db', db, '--key-file', keyFile]);
    expect(hint).toEqual(['audit', 'verify', '--db', db, '--key-file', keyFile, '--role', 'admin']);
    const verified = await cli(hint);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^audit log verified: [1-9]\d* entries/);
  }, 120_000);
});

describe.skipIf(!CLICKHOUSE_URL)(`privacy report --engine clickhouse: the verify hint${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse | undefined;
  afterAll(() => dropScratchDatabase(cluster));

  it('names the cluster flags, and the command verifies the cluster\'s log', async () => {
    const keyFile = join(scratchDir(), 'shop.key');
    expect((await cli(['keys', 'init', '--key-file', keyFile])).code).toBe(0);
    cluster = await clickhouseWarehouse('privacy_verify_hint');
    const flags = [...clickhouseFlags(cluster.database), '--key-file', keyFile];
    const ingested = await cli(['ingest', SHOP, ...flags]);
    expect(ingested.code, ingested.stderr).toBe(0);
    const hint = await verifyHint(flags);
    expect(hint).toEqual(['audit', 'verify', ...flags, '--role', 'admin']);
    const verified = await cli(hint);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^audit log verified: [1-9]\d* entries/);
  }, 180_000);
});
