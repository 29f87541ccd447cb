/**
 * The ingest into a cluster holds a bounded part of a file at a time, so the
 * client's memory does not grow with the file's lines (docs/scaling.md, "The
 * cluster ingest's memory"): the copy reads the local DuckDB's tables in batches of row
 * ids (`COPY_BATCH_ROWS`; it used to read each table whole into JavaScript —
 * 2.5 GiB of RSS for 1M lines, 4.0 GiB for 2M), under the ingest's engine
 * memory cap (it used to run under DuckDB's own limit, 80% of the machine),
 * and the duplicate question's rows are sent to the cluster batch by batch
 * as they are read (they used to be gathered whole first). Structural
 * assertions only: no timing. (That the batches reach the shards as one
 * INSERT, not one part per batch: test/engine/clickhouse/append-atomically.)
 */
import { writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { COPY_BATCH_ROWS } from '../../src/engine/clickhouse/copy-ingest-to-clickhouse.js';
import { forEachTableBatch } from '../../src/engine/read-chunks.js';
import { ingestFilesToClickHouse, rowsHeldOnCluster } from '../../src/ingest/ingest-files-to-clickhouse.js';
import { ingestMemoryLimitBytes, parseEngineBytes } from '../../src/ingest/ingest-memory.js';
import { keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

/** Every local DuckDB the cluster ingest opens, with what its reads asked and returned. */
const opened: { sql: string; rows: number; memoryLimit: number }[] = [];
vi.mock('../../src/engine/duckdb-warehouse.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/engine/duckdb-warehouse.js')>();
  return {
    ...original,
    openDuckDbWarehouse: async (...args: Parameters<typeof original.openDuckDbWarehouse>) => {
      const warehouse = await original.openDuckDbWarehouse(...args);
      const queryColumns = warehouse.queryColumns.bind(warehouse);
      warehouse.queryColumns = async (sql: string) => {
        const result = await queryColumns(sql);
        const [limit] = await warehouse.query("SELECT current_setting('memory_limit') AS m");
        opened.push({ sql, rows: result.rowCount, memoryLimit: parseEngineBytes(String(limit!.m)) });
        return result;
      };
      return warehouse;
    },
  };
});

describe('reading a table in batches (forEachTableBatch)', () => {
  it('hands every row once, in batches of at most the size asked, also across the gaps deletes leave', async () => {
    const duck: Warehouse = await memoryWarehouse();
    try {
      await duck.execute('CREATE TABLE t AS SELECT range AS v, CAST(range AS VARCHAR) AS s FROM range(2500)');
      await duck.execute('DELETE FROM t WHERE v >= 1000 AND v < 1700');
      const sizes: number[] = [];
      const seen: number[] = [];
      const rows = await forEachTableBatch(duck, 't', async (batch) => {
        sizes.push(batch.rowCount);
        expect(Object.keys(batch.columns)).toEqual(['v', 's']); // the table's columns, nothing added
        for (let i = 0; i < batch.rowCount; i++) seen.push(Number((batch.columns.v as ArrayLike<unknown>)[i]));
      }, 1000);
      expect(rows).toBe(1800);
      // the gap skipped: the second batch starts at the first row id after it
      expect(sizes).toEqual([1000, 800]);
      expect(new Set(seen).size).toBe(1800);
      expect(Math.max(...seen)).toBe(2499);
    } finally {
      await duck.close();
    }
  });

  it('reads rows written inside an open transaction (row ids near 2^62) without stepping through the gap', async () => {
    const duck: Warehouse = await memoryWarehouse();
    try {
      await duck.execute('CREATE TABLE t AS SELECT range AS v FROM range(1500)');
      await duck.execute('BEGIN TRANSACTION');
      await duck.execute('INSERT INTO t SELECT 10000 + range FROM range(700)');
      const sizes: number[] = [];
      let sum = 0;
      const rows = await forEachTableBatch(duck, 't', async (batch) => {
        sizes.push(batch.rowCount);
        for (let i = 0; i < batch.rowCount; i++) sum += Number((batch.columns.v as ArrayLike<unknown>)[i]);
      }, 1000);
      await duck.execute('ROLLBACK');
      expect(rows).toBe(2200);
      expect(sizes).toEqual([1000, 500, 700]);
      expect(sum).toBe((1499 * 1500) / 2 + 700 * 10000 + (699 * 700) / 2);
    } finally {
      await duck.close();
    }
  }, 20_000);
});

describe.skipIf(!CLICKHOUSE_URL)(`the cluster ingest's memory${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const keyring = keyringFromKey(Buffer.alloc(32, 9), { source: 'memory' });
  const now = new Date('2024-01-01T00:00:00Z');
  let cluster: ClickHouseWarehouse;
  const dir = scratchDir();
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const first = file('first.csv', 'customer_id,date,amount,order_id\nA,2023-01-05,10,o1\nA,2023-02-05,12,o2\nB,2023-01-20,5,o3\n,2023-01-21,5,o4\n');
  // one row the cluster holds (A's first), one line of an order it holds (B's o3), two new rows
  const second = file('second.csv', 'customer_id,date,amount,order_id\nA,2023-01-05,10,o1\nB,2023-03-20,7,o3\nC,2023-05-02,20,o5\nA,2023-06-01,3,o6\n');

  beforeAll(async () => {
    cluster = await clickhouseWarehouse('ingest_memory_bounded');
  }, 60_000);
  afterAll(() => dropScratchDatabase(cluster));

  it('copies each table in row-id batches of COPY_BATCH_ROWS under the ingest memory cap: no read of a whole table into JavaScript', async () => {
    opened.length = 0;
    const report = await ingestFilesToClickHouse(cluster, [first], { keyring, now });
    expect(report.files[0]).toMatchObject({ rowsRead: 4, accepted: 3, quarantined: 1 });
    const tableReads = opened.filter(({ sql }) => /^SELECT \* FROM (transactions|quarantine|customers|customer_reid|events|ingests)\b(?! LIMIT 0$)/.test(sql));
    // transactions, quarantine, customer_reid and ingests hold rows of this file (customers: no contact data; events: none)
    expect(tableReads.map(({ sql }) => /^SELECT \* FROM (\w+)/.exec(sql)![1])).toEqual(['transactions', 'quarantine', 'customer_reid', 'ingests']);
    for (const { sql, rows, memoryLimit } of tableReads) {
      const bounds = /WHERE rowid >= (\d+) AND rowid < (\d+) \+ (\d+)$/.exec(sql);
      expect(bounds, sql).not.toBeNull();
      expect(bounds![2]).toBe(bounds![1]);
      expect(Number(bounds![3])).toBe(COPY_BATCH_ROWS);
      expect(rows).toBeLessThanOrEqual(COPY_BATCH_ROWS);
      // the local engine still capped while the copy reads (it used to be back at DuckDB's own limit)
      expect(memoryLimit).toBeLessThanOrEqual(ingestMemoryLimitBytes(statSync(first).size));
    }
    const [counts] = await cluster.query('SELECT (SELECT count(*) FROM transactions) AS t, (SELECT count(*) FROM quarantine) AS q, (SELECT count(*) FROM customer_reid) AS r');
    expect(counts).toEqual({ t: 3, q: 1, r: 2 });
  }, 120_000);

  it('stages the duplicate question batch by batch as the rows are read, and answers as before: the held row is a duplicate, the held order named', async () => {
    const appended: number[] = [];
    const sent: number[] = [];
    const append = cluster.append.bind(cluster);
    cluster.append = async (table, columns) => {
      if (table.startsWith('rows_asked')) appended.push(sent.length);
      return append(table, columns);
    };
    const [heldRow] = await cluster.query("SELECT row_hash FROM transactions WHERE order_id = 'o1'");
    try {
      const pseudonymised = ['A', 'B', 'C'];
      // three batches: A's held row, B's new line of a held order, C's new row
      const held = await rowsHeldOnCluster(cluster, keyring, async (each) => {
        for (const [i, id] of pseudonymised.entries()) {
          const row = { A: ['2023-01-05', '10', 'o1'], B: ['2023-03-20', '7', 'o3'], C: ['2023-05-02', '20', 'o5'] }[id]!;
          sent.push(i);
          await each({ customerIds: [id], rowHashes: [id === 'A' ? String(heldRow!.row_hash) : `new-${id}-${row[0]}`], orderIds: [row[2]!] });
        }
        return pseudonymised.length;
      });
      // each batch went to the cluster before the next one was read
      expect(appended).toEqual([1, 2, 3]);
      expect([...held.rowHashes]).toEqual([String(heldRow!.row_hash)]);
      expect([...held.orderIds].sort()).toEqual(['o1', 'o3']);
    } finally {
      cluster.append = append;
    }
    // the same through the whole ingest: A's held row is a duplicate, the rest added
    const report = await ingestFilesToClickHouse(cluster, [second], { keyring, now });
    expect(report.files[0]).toMatchObject({ rowsRead: 4, accepted: 3, quarantined: 1 });
    expect(report.files[0]!.rules).toMatchObject({ duplicate: 1 });
    const [counts] = await cluster.query('SELECT count(*) AS t FROM transactions');
    expect(counts).toEqual({ t: 6 });
  }, 120_000);
});
