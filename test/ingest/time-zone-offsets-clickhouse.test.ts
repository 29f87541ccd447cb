/** The ClickHouse ingest reads files in a private DuckDB (ingestFiles): dates with UTC offsets reach the cluster in one shop time, as on DuckDB. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { ingestFilesToClickHouse } from '../../src/ingest/ingest-files-to-clickhouse.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { scratchDir } from '../helpers/warehouse.js';
import { NEW_YORK_ORDERS, NEW_YORK_WALL_TIMES } from '../helpers/new-york-orders.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';

describe.skipIf(!CLICKHOUSE_URL)(`dates with UTC offsets on a ClickHouse cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse;
  const keyring = keyringFromKey(generateKey());
  beforeAll(async () => {
    cluster = await clickhouseWarehouse('tzoffsets');
  }, 60_000);
  afterAll(() => dropScratchDatabase(cluster));

  it('a file mixing offsets is stored in its commonest offset, ordered and dated as on DuckDB', async () => {
    const path = join(scratchDir(), 'mixed.csv');
    writeFileSync(path, ['order_id,customer_id,date,amount', 'o1,A,2011-01-04T09:00:00-05:00,10', 'o2,A,2011-01-05T04:30:00Z,11', 'o3,B,2011-01-04T22:00:00-05:00,12', 'o4,B,2011-01-05T01:00:00Z,13', 'o5,C,2011-01-05T00:15:00-05:00,14'].join('\n') + '\n');
    const report = await ingestFilesToClickHouse(cluster, [path], { keyring, now: new Date('2025-01-01T00:00:00Z') });
    expect(report.files[0]!.timezone).toBe('-05:00');
    const rows = await cluster.query("SELECT order_id, substring(toString(ts), 1, 19) AS t FROM transactions ORDER BY ts, order_id");
    expect(rows.map((r) => `${r.order_id} ${r.t}`)).toEqual(['o1 2011-01-04 09:00:00', 'o4 2011-01-04 20:00:00', 'o3 2011-01-04 22:00:00', 'o2 2011-01-04 23:30:00', 'o5 2011-01-05 00:15:00']);
  });

  it('a daylight-saving file (-05:00 and -04:00) keeps its wall times by default and is converted by --timezone America/New_York, as on DuckDB', async () => {
    const dir = scratchDir();
    const now = new Date('2025-01-01T00:00:00Z');
    const path = join(dir, 'orders.csv');
    writeFileSync(path, NEW_YORK_ORDERS.join('\n') + '\n');
    const held = async (source: string) =>
      (await cluster.query(`SELECT order_id, substring(toString(ts), 1, 19) AS t FROM transactions WHERE source = '${source}' ORDER BY ts, order_id`)).map((r) => `${r.order_id} ${r.t}`);
    const kept = await ingestFilesToClickHouse(cluster, [path], { keyring, now });
    expect(kept.files[0]!.timezone).toBe('keep');
    expect(await held('orders.csv')).toEqual(NEW_YORK_WALL_TIMES);
    // The same orders written in UTC (as Stripe does), converted to New York time: the shop's clock again, summer and winter.
    const utc = join(dir, 'orders-utc.csv');
    writeFileSync(utc, ['order_id,customer_id,created_at,total', '#2001,A,2023-01-05T04:30:00Z,10', '#2004,C,2023-07-04T04:30:00Z,13'].join('\n') + '\n');
    const named = await ingestFilesToClickHouse(cluster, [utc], { keyring, now, timezone: 'America/New_York' });
    expect(named.files[0]!.timezone).toBe('America/New_York');
    expect(await held('orders-utc.csv')).toEqual(['#2001 2023-01-04 23:30:00', '#2004 2023-07-04 00:30:00']);
  });
});
