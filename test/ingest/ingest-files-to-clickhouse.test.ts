import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { ingestFilesToClickHouse } from '../../src/ingest/ingest-files-to-clickhouse.js';
import { eraseCustomersOnClickHouse } from '../../src/privacy/warehouse/erase-customers-on-clickhouse.js';
import { stageRows } from '../../src/engine/clickhouse/append-atomically.js';
import { leaveKilledWritersTables, scratchOnShards } from '../helpers/killed-writer.js';
import { verifyWarehouseAudit } from '../../src/privacy/warehouse/warehouse-audit.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase, expectSameRows, useTwoEngines } from '../helpers/clickhouse.js';

const SHOP = `${FIXTURES}shop/tiny-shop.csv`;

describe.skipIf(!CLICKHOUSE_URL)(`ingest into a ClickHouse cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const keyring = keyringFromKey(generateKey());
  const now = new Date('2024-01-01T00:00:00Z');
  const engines = useTwoEngines('ingest', { threads: 1, fill: (duck) => ingestFiles(duck, [SHOP], { keyring, now }), timeout: 60_000 });

  it('holds the rows DuckDB holds for the same file and key, with tokens only', async () => {
    const report = await ingestFilesToClickHouse(engines.clickhouse, [SHOP], { keyring, now });
    expect(report).toMatchObject({ rowsRead: 22, accepted: 14, quarantined: 8 });
    const columns = 'customer_id, ts, order_id, product_id, amount, is_return, row_hash';
    expectSameRows(await engines.duck.query(`SELECT ${columns} FROM transactions`), await engines.clickhouse.query(`SELECT ${columns} FROM transactions`), ['row_hash']);
    const [raw] = await engines.clickhouse.query("SELECT count(*) AS n FROM transactions WHERE customer_id IN ('A', 'B', 'C') OR NOT startsWith(customer_id, 'c_')");
    expect(raw!.n).toBe(0);
    const [quarantine] = await engines.clickhouse.query('SELECT count(*) AS n, min(ingest_id) AS id FROM quarantine');
    expect(quarantine).toEqual({ n: 8, id: 1 });
  });

  it('adds nothing for a file it holds, and numbers the next file’s ingest after the last', async () => {
    const again = await ingestFilesToClickHouse(engines.clickhouse, [SHOP], { keyring, now });
    expect(again.files[0]).toMatchObject({ alreadyIngested: true, ingestId: 1, accepted: 0 });
    // what the cluster's ingest read, and when (its started_at, not the placeholder's time of this run)
    expect(again.files[0]!.firstIngest).toEqual({ ingestId: 1, ingestedAt: '2024-01-01T00:00:00.000Z', rowsRead: 22, accepted: 14, quarantined: 8 });
    const [held] = await engines.clickhouse.query('SELECT count(*) AS n FROM transactions');
    expect(held!.n).toBe(14);
    const file = join(scratchDir(), 'more.csv');
    writeFileSync(file, 'customer_id,date,amount\nA,2023-05-01,10\nZ,2023-05-02,20\nZ,2023-06-02,5\n');
    const other = await ingestFilesToClickHouse(engines.clickhouse, [file], { keyring, now });
    expect(other.accepted).toBe(3);
    expect(other.files[0]!.ingestId).toBe(2);
    const ids = await engines.clickhouse.query('SELECT ingest_id, count(*) AS n FROM transactions GROUP BY ingest_id ORDER BY ingest_id');
    expect(ids.map((r) => r.ingest_id)).toEqual([1, 2]);
    expect(Number(ids[1]!.n)).toBe(other.accepted);
  });

  it('refuses to send ids to the cluster without a key', async () => {
    await expect(ingestFilesToClickHouse(engines.clickhouse, [SHOP], { now })).rejects.toThrow(/needs a key/);
  });

  it('refuses another key than the one the cluster was written with, and adds nothing', async () => {
    const [before] = await engines.clickhouse.query('SELECT (SELECT count(*) FROM transactions) AS t, (SELECT count(*) FROM audit_log) AS a, (SELECT count(*) FROM ingests) AS i');
    const file = join(scratchDir(), 'other-key.csv');
    writeFileSync(file, 'customer_id,date,amount\nQ,2023-05-01,10\n');
    await expect(ingestFilesToClickHouse(engines.clickhouse, [file], { keyring: keyringFromKey(generateKey()), now })).rejects.toThrow(/key/i);
    const [after] = await engines.clickhouse.query('SELECT (SELECT count(*) FROM transactions) AS t, (SELECT count(*) FROM audit_log) AS a, (SELECT count(*) FROM ingests) AS i');
    expect(after).toEqual(before);
  });

  it('erases a customer from every table on every shard, and only that customer', async () => {
    const before = await engines.clickhouse.query('SELECT count(*) AS n FROM transactions');
    const erased = await eraseCustomersOnClickHouse(engines.clickhouse, ['A'], { keyring, role: 'admin' });
    expect(erased.tokens).toHaveLength(1);
    const [inDuckDb] = await engines.duck.query(`SELECT count(*) AS n FROM transactions WHERE customer_id = '${erased.tokens[0]}'`);
    expect(Number(inDuckDb!.n)).toBe(3); // A's three order lines in the fixture
    expect(erased.rowCounts.transactions).toBe(3 + 1); // and one line of more.csv, ingested above
    const [left] = await engines.clickhouse.query(`SELECT count(*) AS n FROM transactions WHERE customer_id = '${erased.tokens[0]}'`);
    expect(left!.n).toBe(0);
    const after = await engines.clickhouse.query('SELECT count(*) AS n FROM transactions');
    expect(Number(after[0]!.n)).toBe(Number(before[0]!.n) - erased.rowCounts.transactions!);
    await expect(eraseCustomersOnClickHouse(engines.clickhouse, ['A'], { keyring, role: 'analyst' })).rejects.toThrow(/erase/);
  });
});

describe.skipIf(!CLICKHOUSE_URL)(`new customers of a ClickHouse ingest${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const keyring = keyringFromKey(generateKey());
  const now = new Date('2024-01-01T00:00:00Z');
  const engines = useTwoEngines('new_customers', { threads: 1, timeout: 60_000 });

  it('counts only customers the cluster did not hold, as DuckDB does, in the report and in the stored ingests.report', async () => {
    const file = join(scratchDir(), 'known-and-new.csv');
    // A and I are customers of tiny-shop.csv (accepted there); Y and Z are not
    writeFileSync(file, 'customer_id,date,amount\nA,2023-05-01,10\nI,2023-05-01,12\nZ,2023-05-02,20\nZ,2023-06-02,5\nY,2023-06-03,7\n');
    const duckFirst = await ingestFiles(engines.duck, [SHOP], { keyring, now });
    const duckSecond = await ingestFiles(engines.duck, [file], { keyring, now });
    const first = await ingestFilesToClickHouse(engines.clickhouse, [SHOP], { keyring, now });
    const second = await ingestFilesToClickHouse(engines.clickhouse, [file], { keyring, now });
    // DuckDB: tiny-shop.csv has 6 customers with an accepted row (A, B, C, D, G, I); the second file adds Y and Z only
    expect(duckFirst.files[0]!.privacy.newCustomers).toBe(6);
    expect(duckSecond.files[0]!.privacy.newCustomers).toBe(2);
    expect(first.files[0]!.privacy.newCustomers).toBe(6);
    expect(second.files[0]!.privacy.newCustomers).toBe(2);
    const stored = await engines.clickhouse.query('SELECT ingest_id, report FROM ingests ORDER BY ingest_id');
    expect(stored.map((row) => (JSON.parse(String(row.report)) as { privacy: { newCustomers: number } }).privacy.newCustomers)).toEqual([6, 2]);
    const [reid] = await engines.clickhouse.query('SELECT count(*) AS n, count(DISTINCT customer_id) AS tokens FROM customer_reid');
    expect(reid).toEqual({ n: 8, tokens: 8 });
    // an event file: Z is held, W is new
    const events = join(scratchDir(), 'events.csv');
    writeFileSync(events, 'session_id,customer_id,ts,type\nS1,Z,2023-07-01T10:00:00,view\nS2,W,2023-07-02T10:00:00,view\n');
    const duckEvents = await ingestFiles(engines.duck, [events], { keyring, now, kind: 'events' });
    const clusterEvents = await ingestFilesToClickHouse(engines.clickhouse, [events], { keyring, now, kind: 'events' });
    expect(duckEvents.files[0]!.privacy.newCustomers).toBe(1);
    expect(clusterEvents.files[0]!.privacy.newCustomers).toBe(1);
    const [reidAfter] = await engines.clickhouse.query('SELECT count(*) AS n, count(DISTINCT customer_id) AS tokens FROM customer_reid');
    expect(reidAfter).toEqual({ n: 9, tokens: 9 });

    // each file's audit entry, in the cluster's own log: the same row counts as DuckDB's (customer_reid 6, 2, 1), chained and verified
    const ingestEntries = async (wh: Warehouse) => (await wh.query("SELECT target, row_counts, details FROM audit_log WHERE action = 'ingest' ORDER BY seq")).map((e) => [e.target, JSON.parse(String(e.row_counts)), JSON.parse(String(e.details))]);
    const onCluster = await ingestEntries(engines.clickhouse);
    expect(onCluster.map(([, counts]) => (counts as { customer_reid: number }).customer_reid)).toEqual([6, 2, 1]);
    expect(onCluster).toEqual(await ingestEntries(engines.duck));
    expect(await verifyWarehouseAudit(engines.clickhouse, keyring, { role: 'admin' })).toMatchObject({ ok: true, count: 3 });
  }, 120_000);
});

describe.skipIf(!CLICKHOUSE_URL)(`staging tables left on a ClickHouse cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const keyring = keyringFromKey(generateKey());
  const now = new Date('2024-01-01T00:00:00Z');
  let cluster: ClickHouseWarehouse;
  beforeAll(async () => {
    cluster = await clickhouseWarehouse('stale_staging');
  }, 60_000);
  afterAll(() => dropScratchDatabase(cluster));

  const rowCounts = async () => cluster.query('SELECT (SELECT count(*) FROM transactions) AS transactions, (SELECT count(*) FROM quarantine) AS quarantine, (SELECT count(*) FROM customer_reid) AS reid, (SELECT count(*) FROM ingests) AS ingests');

  it('drops at the next ingest the staging tables a killed ingest left (its lease lapsed), not a running writer\'s (its lease renewed, however old), and changes no row count', async () => {
    await ingestFilesToClickHouse(cluster, [SHOP], { keyring, now });
    const rows = { customer_id: ['c_crashed'], ts: [new Date('2023-05-01T00:00:00Z')], amount: [1.25], ingest_id: [99] };
    const columns = (await cluster.queryColumns('SELECT * FROM transactions LIMIT 1')).columns;
    const oneRow = Object.fromEntries(Object.entries(columns).map(([name, values]) => [name, name in rows ? rows[name as keyof typeof rows] : values])) as never;
    // killed 2 minutes ago, its name a second old: the age of a name was the rule, and this one was kept for an hour
    const crashed = await leaveKilledWritersTables(cluster, 'transactions', oneRow, 120);
    // a writer running now (another connection, its lease renewed), its table named two hours back: the age rule dropped it
    const writer = await clickhouseWarehouse('stale_staging');
    const running = `transactions__staging_${Date.now() - 2 * 3600_000}_00c0ffee`;
    try {
      expect(await stageRows(writer, 'transactions', running, oneRow)).toBe(1);
      const [withStaging] = await cluster.query(`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = '${crashed}' OR position(table_name, '__exact_') > 0`);
      expect(withStaging!.n).toBe(0); // never data: hidden from information_schema as the shards' _local tables are
      const before = await rowCounts();
      const again = await ingestFilesToClickHouse(cluster, [SHOP], { keyring, now });
      expect(again.files[0]!.alreadyIngested).toBe(true);
      expect(await rowCounts()).toEqual(before);
      expect(await scratchOnShards(cluster)).toEqual(cluster.shardUrls.map((_, shard) => [...(shard === 0 ? [running] : []), `${running}_local`]));
    } finally {
      await writer.dropShardedTable(running);
      await writer.close();
    }
  }, 120_000);
});

describe.skipIf(!CLICKHOUSE_URL)(`a file overlapping what a ClickHouse cluster holds${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const keyring = keyringFromKey(generateKey());
  const now = new Date('2024-01-01T00:00:00Z');
  const engines = useTwoEngines('overlap', { threads: 1, timeout: 60_000 });

  it('quarantines as duplicates the rows the cluster holds already, as DuckDB does, and adds only the new ones', async () => {
    // tiny-shop.csv again with two new lines (another file: its hash differs), one of them twice
    const overlap = join(scratchDir(), 'tiny-shop-and-more.csv');
    writeFileSync(overlap, `${readFileSync(SHOP, 'utf8').trimEnd()}\n2001,A,2023-09-01 10:00:00,P9,1,40.00,UK\n2002,Q,2023-09-02 10:00:00,P9,2,40.00,FR\n2002,Q,2023-09-02 10:00:00,P9,2,40.00,FR\n`);
    const duckReports = [await ingestFiles(engines.duck, [SHOP], { keyring, now }), await ingestFiles(engines.duck, [overlap], { keyring, now })];
    const clusterReports = [await ingestFilesToClickHouse(engines.clickhouse, [SHOP], { keyring, now }), await ingestFilesToClickHouse(engines.clickhouse, [overlap], { keyring, now })];
    // DuckDB: the 14 rows tiny-shop.csv added are duplicates now, beside its 8 quarantined rows and the new line's copy
    expect(duckReports[1]).toMatchObject({ rowsRead: 25, accepted: 2, quarantined: 23 });
    expect(duckReports[1]!.rules.duplicate).toBe(14 + 1 + (duckReports[0]!.rules.duplicate ?? 0));
    for (const field of ['rowsRead', 'accepted', 'quarantined', 'rules'] as const) expect(clusterReports[1]![field]).toEqual(duckReports[1]![field]);
    const [held] = await engines.clickhouse.query('SELECT count(*) AS n FROM transactions');
    expect(held!.n).toBe(16);
    const detail = async (wh: Warehouse) => (await wh.query("SELECT line, detail IS NULL AS bare FROM quarantine WHERE reason = 'duplicate' AND ingest_id = 2 ORDER BY line")).map((r) => [Number(r.line), Boolean(r.bare)]);
    expect(await detail(engines.clickhouse)).toEqual(await detail(engines.duck));

    // lines of orders the cluster holds, written otherwise (another column order: new text, not duplicates): accepted,
    // and the repeated order ids named, as on DuckDB
    const reordered = join(scratchDir(), 'tiny-shop-reordered.csv');
    writeFileSync(reordered, 'customer_id,order_id,order_date,product_id,quantity,unit_price,country\nA,1001,2023-01-05 10:00:00,P1,2,10.00,UK\nA,1002,2023-02-10 11:00:00,P2,1,25.50,UK\nQ,3001,2023-10-01 10:00:00,P9,1,40.00,FR\n');
    const duckAgain = await ingestFiles(engines.duck, [reordered], { keyring, now });
    const clusterAgain = await ingestFilesToClickHouse(engines.clickhouse, [reordered], { keyring, now });
    expect(duckAgain.accepted).toBe(3);
    const repeated = (report: typeof duckAgain) => report.files[0]!.warnings?.find((w) => w.includes('repeat order ids'));
    expect(repeated(duckAgain)).toMatch(/^2 accepted lines \(2 orders\) repeat order ids the warehouse already holds/);
    expect(repeated(clusterAgain)).toBe(repeated(duckAgain));
  }, 120_000);

  it('quarantines as duplicates the events the cluster holds already, as DuckDB does', async () => {
    const lines = ['session_id,customer_id,ts,type,product_id'];
    for (let i = 0; i < 40; i++) lines.push(`S${i % 7},${i % 3 === 0 ? '' : `C${i % 11}`},2023-0${1 + (i % 9)}-1${i % 10}T10:${String(i).padStart(2, '0')}:00,${i % 4 === 0 ? 'add_to_cart' : 'view'},P${i % 5}`);
    const first = join(scratchDir(), 'events-a.csv');
    const overlap = join(scratchDir(), 'events-b.csv');
    writeFileSync(first, `${lines.join('\n')}\n`);
    writeFileSync(overlap, `${[...lines, 'S99,C1,2023-10-01T09:00:00,view,P1', 'S99,C1,2023-10-01T09:05:00,view,P2'].join('\n')}\n`);
    const options = { keyring, now, kind: 'events' as const };
    const duckReports = [await ingestFiles(engines.duck, [first], options), await ingestFiles(engines.duck, [overlap], options)];
    const clusterReports = [await ingestFilesToClickHouse(engines.clickhouse, [first], options), await ingestFilesToClickHouse(engines.clickhouse, [overlap], options)];
    expect(duckReports[1]).toMatchObject({ rowsRead: 42, accepted: 2 });
    for (const field of ['rowsRead', 'accepted', 'quarantined', 'rules'] as const) expect(clusterReports[1]![field]).toEqual(duckReports[1]![field]);
    const [held] = await engines.clickhouse.query('SELECT count(*) AS n FROM events');
    const [heldDuck] = await engines.duck.query('SELECT count(*) AS n FROM events');
    expect(Number(held!.n)).toBe(Number(heldDuck!.n));
  }, 120_000);
});
