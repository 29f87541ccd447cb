/** The ClickHouse ingest reads files in a private DuckDB (ingestFiles): thousands separators and decimal commas reach the cluster read as on DuckDB. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { ingestFilesToClickHouse } from '../../src/ingest/ingest-files-to-clickhouse.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { scratchDir } from '../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';

describe.skipIf(!CLICKHOUSE_URL)(`thousands separators on a ClickHouse cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse;
  beforeAll(async () => {
    cluster = await clickhouseWarehouse('thousands');
  }, 60_000);
  afterAll(() => dropScratchDatabase(cluster));

  it('a US-style and an EU-style file of the same orders are stored alike', async () => {
    const dir = scratchDir();
    const us = join(dir, 'us.csv');
    const eu = join(dir, 'eu.csv');
    writeFileSync(us, ['customer_id,order_id,date,quantity,price', 'c1,o1,2023-01-05,1,"1,234"', 'c2,o2,2023-01-06,2,2.50', 'c3,o3,2023-01-07,1,"1,234.50"', 'c4,o4,2023-01-08,"1,000",1.00'].join('\n') + '\n');
    writeFileSync(eu, ['customer_id;order_id;date;quantity;price', 'c1;e1;2023-01-05;1;1.234', 'c2;e2;2023-01-06;2;2,50', 'c3;e3;2023-01-07;1;1.234,50', 'c4;e4;2023-01-08;1.000;1,00'].join('\n') + '\n');
    const report = await ingestFilesToClickHouse(cluster, [us, eu], { keyring: keyringFromKey(generateKey()), now: new Date('2025-01-01T00:00:00Z') });
    expect(report.files.map((f) => [f.decimalSeparator, f.accepted, f.quarantined])).toEqual([['.', 4, 0], [',', 4, 0]]);
    const rows = await cluster.query('SELECT order_id, quantity, unit_price, amount FROM transactions ORDER BY order_id');
    expect(rows.map((r) => [r.order_id, r.quantity, r.unit_price, r.amount])).toEqual([
      ['e1', 1, 1234, 1234], ['e2', 2, 2.5, 5], ['e3', 1, 1234.5, 1234.5], ['e4', 1000, 1, 1000],
      ['o1', 1, 1234, 1234], ['o2', 2, 2.5, 5], ['o3', 1, 1234.5, 1234.5], ['o4', 1000, 1, 1000],
    ]);
  });
});
