import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { cli, useFixedKey } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseFlags, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';

/**
 * `clvkit ingests drop` on a ClickHouse cluster does what it does on a warehouse file: the same rows go (a mutation on
 * every shard's local table, waited for), the same customers' records and derived rows, the totals are those before
 * the ingest, the rows are gone on every shard, the drop is audited in the cluster's log, the derived tables are
 * marked stale, and the file can be read again.
 */
describe.skipIf(!CLICKHOUSE_URL)(`clvkit ingests drop on ClickHouse gives DuckDB's answers${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let dir: string;
  let db: string;
  let clickhouse: ClickHouseWarehouse;
  let on: string[];
  useFixedKey(21); // the same tokens on both engines

  beforeAll(async () => {
    dir = scratchDir();
    db = join(dir, 'shop.duckdb');
    const base = ['order_id,customer_id,date,amount'];
    for (let c = 1; c <= 60; c++) for (let k = 0; k <= c % 3; k++) base.push(`O${c}-${k},C${c},2023-${String(1 + ((c + k) % 12)).padStart(2, '0')}-${String(1 + ((c * 7 + k) % 28)).padStart(2, '0')},${10 + c + k}.25`);
    writeFileSync(join(dir, 'base.csv'), base.join('\n') + '\n');
    // day-first dates: read month-first, days over 12 are quarantined and the rest land on swapped days
    const dayFirst = ['order_id,customer_id,date,amount'];
    for (let c = 40; c <= 90; c++) for (let k = 0; k <= c % 2; k++) dayFirst.push(`W${c}-${k},C${c},${String(1 + ((c * 5 + k) % 28)).padStart(2, '0')}/0${1 + (k % 2)}/2024,${20 + c}.5`);
    writeFileSync(join(dir, 'wrong.csv'), dayFirst.join('\n') + '\n');
    clickhouse = await clickhouseWarehouse('ingest_drop');
    on = clickhouseFlags(clickhouse.database);
  }, 60_000);
  afterAll(() => dropScratchDatabase(clickhouse));

  /** `clvkit <args>` on the file and on the cluster: both succeed; their stdout. */
  const both = async (args: string[]) => {
    const duck = await cli([...args, '--db', db]);
    expect(duck.code, duck.stderr).toBe(0);
    const cluster = await cli([...args, ...on]);
    expect(cluster.code, cluster.stderr).toBe(0);
    return [duck.stdout, cluster.stdout] as const;
  };

  const totalsOf = async (warehouse: Warehouse) => {
    const [row] = await warehouse.query(`SELECT
      (SELECT count(*) FROM transactions) AS transactions,
      (SELECT round(sum(amount), 2) FROM transactions) AS revenue,
      (SELECT count(DISTINCT customer_id) FROM transactions) AS buyers,
      (SELECT count(*) FROM quarantine) AS quarantine,
      (SELECT count(*) FROM customer_reid) AS customer_reid,
      (SELECT count(*) FROM customer_summary) AS summarised`);
    return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
  };
  const totals = async () => {
    const duck = await openDuckDbWarehouse(db);
    try {
      return [await totalsOf(duck), await totalsOf(clickhouse)];
    } finally {
      await duck.close();
    }
  };
  /** a derived per-customer table, as an analysis leaves one, on both engines */
  const summarise = async () => {
    const sql = 'CREATE OR REPLACE TABLE customer_summary AS SELECT customer_id, count(*) AS lines FROM transactions GROUP BY customer_id';
    const duck = await openDuckDbWarehouse(db);
    await duck.execute(sql).finally(() => duck.close());
    await clickhouse.execute(sql);
  };

  it('removes the same rows on both, checked gone on every shard, and the file reads again', async () => {
    await both(['ingest', join(dir, 'base.csv')]);
    await summarise();
    const [before, clusterBefore] = await totals();
    expect(clusterBefore).toEqual(before);
    expect(before).toMatchObject({ transactions: 120, buyers: 60, customer_reid: 60, summarised: 60 });
    await both(['ingest', join(dir, 'wrong.csv'), '--date-format', '%m/%d/%Y']);
    await summarise();
    const [misread, clusterMisread] = await totals();
    expect(clusterMisread).toEqual(misread);
    expect(misread.quarantine).toBeGreaterThan(20);
    const added = misread.customer_reid! - 60;
    expect(added).toBeGreaterThan(5);

    const [duckList, clusterList] = (await both(['ingests', 'list', '--json'])).map((out) => JSON.parse(out) as Record<string, unknown>[]);
    const comparable = (list: Record<string, unknown>[]) => list.map(({ ingestedAt: _at, ...rest }) => rest);
    expect(comparable(clusterList!)).toEqual(comparable(duckList!));
    expect(duckList![1]).toMatchObject({ ingestId: 2, source: 'wrong.csv', dateFormats: ['%m/%d/%Y'], held: { transactions: misread.transactions! - 120, quarantine: misread.quarantine } });

    // an analyst is refused on the cluster too, nothing deleted
    const refused = await cli(['ingests', 'drop', '2', ...on]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^clvkit: error: role analyst may not drop_ingest/);

    const [duckDrop, clusterDrop] = (await both(['ingests', 'drop', '2', '--role', 'admin', '--json'])).map((out) => JSON.parse(out) as Record<string, unknown>);
    const result = ({ ingestedAt: _at, ...rest }: Record<string, unknown>) => rest;
    expect(result(clusterDrop!)).toEqual(result(duckDrop!));
    expect(duckDrop).toMatchObject({ ingestId: 2, customersRemoved: added, derivedStale: true, deleted: { transactions: misread.transactions! - 120, quarantine: misread.quarantine, customer_reid: added, customer_summary: added } });
    const [after, clusterAfter] = await totals();
    expect(after).toEqual(before);
    expect(clusterAfter).toEqual(before);
    // gone on every shard's local tables, not only through the Distributed view
    for (const table of ['transactions', 'quarantine']) {
      const perShard = await clickhouse.queryOnEachShard(`SELECT count() FROM ${clickhouse.database}.${table}_local WHERE ingest_id = 2`);
      expect(perShard.length).toBeGreaterThanOrEqual(2);
      expect(perShard.map(Number)).toEqual(perShard.map(() => 0));
    }
    const [entry] = await clickhouse.query("SELECT role, target, row_counts, details FROM audit_log WHERE action = 'drop_ingest'");
    expect(entry).toMatchObject({ role: 'admin', target: 'ingest:2' });
    expect(JSON.parse(String(entry!.row_counts))).toEqual(duckDrop!.deleted);
    expect(JSON.parse(String(entry!.details))).toMatchObject({ checked: 'rows gone on every shard', customers_removed: added });
    expect(await clickhouse.query("SELECT value FROM warehouse_meta WHERE name = 'derived.stale'")).toHaveLength(1);

    // dropped already, on the cluster as on the file
    const twice = await cli(['ingests', 'drop', '2', '--role', 'admin', ...on]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/^clvkit: error: ingest 2 \(wrong\.csv\) was dropped on \d{4}-\d\d-\d\d already/);

    // the same file, read right: ingested anew on both, every row accepted
    const [duckAgain, clusterAgain] = (await both(['ingest', join(dir, 'wrong.csv'), '--date-format', '%d/%m/%Y', '--json'])).map((out) => JSON.parse(out));
    expect(duckAgain.files[0]).toMatchObject({ alreadyIngested: false, ingestId: 3, quarantined: 0 });
    expect(clusterAgain.files[0]).toMatchObject({ alreadyIngested: false, ingestId: 3, quarantined: 0, accepted: duckAgain.files[0].accepted });
    const [reread, clusterReread] = await totals();
    expect(clusterReread).toEqual(reread);
    expect(reread.transactions).toBe(120 + duckAgain.files[0].accepted);

    // an overlapping export read alike: its copies of ingest 3's rows refuse the drop of 3 on both engines, in the same words
    const lines = readFileSync(join(dir, 'wrong.csv'), 'utf8').trim().split('\n');
    writeFileSync(join(dir, 'overlap.csv'), [...lines.slice(0, 11), 'W999-0,C999,01/02/2024,9.5'].join('\n') + '\n');
    await both(['ingest', join(dir, 'overlap.csv'), '--date-format', '%d/%m/%Y']);
    const refusals = [await cli(['ingests', 'drop', '3', '--role', 'admin', '--db', db]), await cli(['ingests', 'drop', '3', '--role', 'admin', ...on])];
    for (const refusal of refusals) {
      expect(refusal.code).toBe(2);
      expect(refusal.stderr).toMatch(/^clvkit: error: ingest 3 \(wrong\.csv\) is not dropped: later ingest 4 \(overlap\.csv: 10 rows\) left out rows as copies of rows the warehouse held/);
    }
  }, 300_000);
});
