/**
 * What one retention and one erase on a cluster cost in requests (docs/scaling.md, session 25): each request is a
 * round trip (~2 ms of Node CPU here, network latency on a real cluster), so the per-table counts are one UNION ALL
 * query, the retention's `warehouse_meta` records one write, and a customer record table's tokens and rows one query.
 * The results are checked too: fewer requests, the same rows gone and counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import type { StatementLogEntry } from '../../../src/engine/clickhouse/statement-log.js';
import { ingestFilesToClickHouse } from '../../../src/ingest/ingest-files-to-clickhouse.js';
import { keyringFromKey } from '../../../src/privacy/keys/keyring.js';
import { applyRetentionOnClickHouse } from '../../../src/privacy/warehouse/apply-retention-on-clickhouse.js';
import { eraseCustomersOnClickHouse } from '../../../src/privacy/warehouse/erase-customers-on-clickhouse.js';
import { verifyWarehouseAudit } from '../../../src/privacy/warehouse/warehouse-audit.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';
import { scratchDir } from '../../helpers/warehouse.js';

/** Requests of a retention of transactions (2 of 4 lines past it, 1 customer left with nothing): 47 measured (63 before session 25); each mutation seen running at its first look costs 1-2 more. */
const RETENTION_CEILING = 53;
/** Requests of an erase of one customer with rows in 2 tables: 38 measured (59 before session 25); the same slack. */
const ERASE_CEILING = 44;

describe.skipIf(!CLICKHOUSE_URL)(`the requests of a retention and an erase on a cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const keyring = keyringFromKey(Buffer.alloc(32, 7), { source: 'memory' });
  const now = new Date('2024-01-01T00:00:00Z');
  const sent: StatementLogEntry[] = [];
  let cluster: ClickHouseWarehouse | undefined;
  const count = async (sql: string) => Number((await cluster!.query(sql))[0]!.n);

  beforeAll(async () => {
    cluster = await clickhouseWarehouse('privacy_requests', { onStatement: (entry) => sent.push(entry) });
    const path = join(scratchDir(), 'lines.csv');
    writeFileSync(path, 'customer_id,date,amount\nA,2020-06-01,10\nA,2023-06-01,12\nB,2020-07-01,5\nC,2023-01-01,3\n');
    await ingestFilesToClickHouse(cluster, [path], { keyring, now });
  }, 60_000);
  afterAll(() => dropScratchDatabase(cluster));

  it('a retention sends no more than the ceiling of requests, and deletes and records what it did before', async () => {
    sent.length = 0;
    const result = await applyRetentionOnClickHouse(cluster!, { keyring, role: 'admin', periods: { transactions: '2y' }, now, copyWaitSeconds: 60 });
    const requests = sent.length;
    expect(result.deleted).toEqual({ transactions: 2, quarantine: 0, audience_members: 0, customer_reid: 1, customers: 0 });
    expect(await count('SELECT count(*) AS n FROM transactions')).toBe(2);
    expect(await count('SELECT count(*) AS n FROM customer_reid')).toBe(2); // A and C; B had nothing left
    const meta = await cluster!.query("SELECT name, value FROM warehouse_meta WHERE name LIKE 'retention%' ORDER BY name");
    expect(meta).toEqual([
      { name: 'retention.quarantine', value: '2y' },
      { name: 'retention.transactions', value: '2y' },
      { name: 'retention_inherited.quarantine', value: 'transactions' },
    ]);
    expect(requests).toBeLessThanOrEqual(RETENTION_CEILING);
  }, 60_000);

  it('an erase sends no more than the ceiling of requests, and deletes, counts and audits what it did before', async () => {
    sent.length = 0;
    const result = await eraseCustomersOnClickHouse(cluster!, ['A'], { keyring, role: 'admin' });
    const requests = sent.length;
    expect(result.rowCounts).toEqual({ customer_reid: 1, transactions: 1 });
    expect(result.rows).toBe(2);
    expect(result.tablesChecked).toBeGreaterThanOrEqual(5); // every table with a customer_id, counted on every shard
    expect(await count(`SELECT count(*) AS n FROM transactions WHERE customer_id = '${result.tokens[0]}'`)).toBe(0);
    expect(await count('SELECT count(*) AS n FROM transactions')).toBe(1);
    expect(await verifyWarehouseAudit(cluster!, keyring, { role: 'admin' })).toMatchObject({ ok: true, count: 3 }); // the ingest's, the retention's, the erase's;
    expect(requests).toBeLessThanOrEqual(ERASE_CEILING);
  }, 60_000);
});
