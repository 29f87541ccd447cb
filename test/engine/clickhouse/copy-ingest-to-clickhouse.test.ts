/**
 * The copy of an ingest's rows to the cluster (copy-ingest-to-clickhouse.ts):
 * the clean-up of interrupted copies has one owner (the ingest, before it
 * reads what the cluster holds; the copy used to discard again), and a
 * customer already on the cluster gets no second `customer_reid` row (one
 * row per token, as on DuckDB: an erasure's count of them used to be one per
 * file the customer was in).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouseWarehouse, type ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { ingestFiles } from '../../../src/ingest/ingest-files.js';
import { ingestFilesToClickHouse } from '../../../src/ingest/ingest-files-to-clickhouse.js';
import { keyringFromKey } from '../../../src/privacy/keys/keyring.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL } from '../../helpers/clickhouse.js';
import { memoryWarehouse, scratchDir } from '../../helpers/warehouse.js';

const keyring = keyringFromKey(Buffer.alloc(32, 7), { source: 'memory' });
const now = new Date('2024-01-01T00:00:00Z');

describe.skipIf(!CLICKHOUSE_URL)(`copying an ingest to ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse;
  const statements: string[] = [];
  const dir = scratchDir();
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  // A in both files, B in the first only, C in the second only
  const first = file('first.csv', 'customer_id,date,amount\nA,2023-01-05,10\nA,2023-02-05,12\nB,2023-01-20,5\n');
  const second = file('second.csv', 'customer_id,date,amount\nA,2023-05-01,10\nC,2023-05-02,20\n');

  beforeAll(async () => {
    cluster = await openClickHouseWarehouse(CLICKHOUSE_URL, {
      database: `clvkit_test_copy_ingest_${process.pid}`,
      ...(process.env.CLVKIT_CLICKHOUSE_CLUSTER ? { cluster: process.env.CLVKIT_CLICKHOUSE_CLUSTER } : {}),
      onStatement: (entry) => statements.push(entry.sql),
    });
  });
  afterAll(async () => {
    await cluster?.dropDatabase();
    await cluster?.close();
  });

  it('asks for interrupted copies once per file: the ingest discards them, the copy does not discard again', async () => {
    statements.length = 0;
    await ingestFilesToClickHouse(cluster, [first, second], { keyring, now });
    const asked = statements.filter((sql) => /FROM ingest_copies\b[\s\S]*GROUP BY ingest_id/.test(sql));
    expect(asked).toHaveLength(2);
  }, 120_000);

  it('holds one customer_reid row per customer, as DuckDB does, however many files the customer was in', async () => {
    const duck = await memoryWarehouse();
    try {
      await ingestFiles(duck, [first, second], { keyring, now });
      const perToken = 'SELECT customer_id, count(*) AS n FROM customer_reid GROUP BY customer_id ORDER BY customer_id';
      const onDuck = await duck.query(perToken);
      expect(onDuck.map((row) => Number(row.n))).toEqual([1, 1, 1]);
      expect((await cluster.query(perToken)).map((row) => [row.customer_id, Number(row.n)])).toEqual(onDuck.map((row) => [row.customer_id, Number(row.n)]));
    } finally {
      await duck.close();
    }
  }, 120_000);
});
