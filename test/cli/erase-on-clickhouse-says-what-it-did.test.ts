/**
 * What `clvkit erase --engine clickhouse` says of what it leaves on disk, found by a QA pass moving a shop to a cluster:
 * the erased rows are gone from every query, but a mutation leaves the old data parts holding them on disk until the
 * server deletes them (`old_parts_lifetime`, 480 s by default): the erase said "checked gone on every shard" alone,
 * where DuckDB's erase promises no freed page keeps them.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseFlags, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

const SHOP = `${FIXTURES}shop/tiny-shop.csv`;

describe.skipIf(!CLICKHOUSE_URL)(`erase --engine clickhouse says what it did${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse | undefined;
  let flags: string[];
  beforeAll(async () => {
    const dir = scratchDir();
    const keyFile = join(dir, 'shop.key');
    expect((await cli(['keys', 'init', '--key-file', keyFile])).code).toBe(0);
    cluster = await clickhouseWarehouse('erase_says_what');
    flags = [...clickhouseFlags(cluster.database), '--key-file', keyFile];
    const ingested = await cli(['ingest', SHOP, ...flags]);
    expect(ingested.code, ingested.stderr).toBe(0);
  }, 180_000);
  afterAll(() => dropScratchDatabase(cluster));

  it('says the old data parts holding the rows stay on disk until the server cleanup deletes them once old_parts_lifetime has passed (read from the server)', async () => {
    const lifetimes = (await cluster!.queryOnEachShard("SELECT value FROM system.merge_tree_settings WHERE name = 'old_parts_lifetime'")).map(Number);
    const lifetime = Math.max(...lifetimes);
    expect(lifetime).toBeGreaterThan(0);
    const erased = await cli(['erase', 'A', ...flags, '--role', 'admin']);
    expect(erased.code, erased.stderr).toBe(0);
    // what the sentence is about: right after the erase, inactive parts of transactions still hold rows
    const inactive = (await cluster!.queryOnEachShard(`SELECT sum(rows) FROM system.parts WHERE database = '${cluster!.database}' AND table = 'transactions_local' AND NOT active`)).map(Number);
    expect(inactive.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(erased.stdout).toContain(
      `on disk: the rows are gone from every query; the data parts that held them stay on the shards' disks, inactive, until the server's cleanup deletes them once old_parts_lifetime (${lifetime} s here) has passed since the erase\n`,
    );
    const json = await cli(['erase', 'B', ...flags, '--role', 'admin', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).oldPartsLifetimeSeconds).toBe(lifetime);
  }, 180_000);
});
