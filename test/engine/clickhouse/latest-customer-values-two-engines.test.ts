/**
 * A customer's profile and contact data after several files, on DuckDB and
 * a cluster (a value a file has replaces the older one, a value it lacks —
 * an empty cell — keeps it). The cluster appends a row per customer and file
 * and never merges them (DuckDB merged them into one row then; it appends
 * them too now: drop-profile-ingest-two-engines.test.ts), and
 * `readCustomerPii` took whichever row came last: after a transaction file
 * gave customer 100001 a new e-mail, the server showed the old one. Every
 * reader now goes through `currentCustomersSql` (the latest non-NULL value
 * per column, in the order of `write_seq`), and the cluster answers what
 * DuckDB answers.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { currentCustomersSql } from '../../../src/engine/current-customers.js';
import type { Warehouse } from '../../../src/engine/warehouse.js';
import { computeKpis } from '../../../src/features/kpis.js';
import { ingestFiles, type IngestOptions } from '../../../src/ingest/ingest-files.js';
import { ingestFilesToClickHouse } from '../../../src/ingest/ingest-files-to-clickhouse.js';
import { EXPORT_IDENTITY_TABLE, prepareCustomerExport } from '../../../src/privacy/access/customer-export.js';
import { generateKey, keyringFromKey } from '../../../src/privacy/keys/keyring.js';
import { createPseudonymiser } from '../../../src/privacy/tokens/pseudonymise.js';
import { readCustomerPii } from '../../../src/server/routes/read-customer-pii.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse } from '../../helpers/clickhouse.js';
import { memoryWarehouse, scratchDir } from '../../helpers/warehouse.js';

const NOW = new Date('2024-01-01T00:00:00Z');

describe.skipIf(!CLICKHOUSE_URL)(`a customer's latest profile and contact data after several files, on DuckDB and ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const keyring = keyringFromKey(generateKey());
  const token = createPseudonymiser(keyring);
  const [a, b] = [token('100001'), token('100002')];
  const dir = scratchDir();
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  // a profile file; a transaction file with a new e-mail for 100001 (none for 100002); a later profile file changing
  // 100001's channel, its e-mail cell empty, without a sign-up date
  const steps: [string, IngestOptions][] = [
    [write('profiles-1.csv', 'customer_id,signup_date,acquisition_channel,email\n100001,2023-01-05,search,old@example.com\n100002,2023-02-01,social,b@example.com\n'), { kind: 'customers' }],
    [write('orders.csv', 'customer_id,date,amount,email\n100001,2023-03-01,10,new@example.com\n100002,2023-03-02,20,\n'), {}],
    [write('profiles-2.csv', 'customer_id,acquisition_channel,email\n100001,email,\n'), { kind: 'customers' }],
  ];
  let duck: Warehouse;
  let cluster: ClickHouseWarehouse;
  beforeAll(async () => {
    duck = await memoryWarehouse();
    cluster = await clickhouseWarehouse('latest_customer_values');
    for (const [path, options] of steps) {
      const ingest = { keyring, now: NOW, map: { email: 'email' }, ...options };
      await ingestFiles(duck, [path], ingest);
      await ingestFilesToClickHouse(cluster, [path], ingest);
    }
  }, 180_000);
  afterAll(async () => {
    await cluster?.dropDatabase();
    await cluster?.close();
    await duck?.close();
  });

  it('both engines hold a row per customer and file', async () => {
    const rows = async (w: Warehouse) => Number((await w.query('SELECT count(*) AS n FROM customers'))[0]!.n);
    expect(await rows(duck)).toBe(4); // both profile files' rows of 100001, its e-mail from the orders, 100002's profile
    expect(await rows(cluster)).toBe(4);
  });

  it('readCustomerPii shows the latest e-mail, an empty cell keeping the older one, as DuckDB', async () => {
    for (const w of [duck, cluster]) {
      const pii = await readCustomerPii(w, keyring, 'admin', [a, b], true);
      expect(pii.values.get(a), w.dialect.name).toMatchObject({ email: 'new@example.com', phone: null });
      expect(pii.values.get(b), w.dialect.name).toMatchObject({ email: 'b@example.com', phone: null });
    }
  });

  it('the current profile: the later channel, the sign-up date the later file lacks kept', async () => {
    for (const w of [duck, cluster]) {
      const rows = await w.query(`SELECT customer_id, CAST(signup_ts AS VARCHAR) AS signup, acquisition_channel FROM ${currentCustomersSql(w.dialect, ['signup_ts', 'acquisition_channel'])} cc ORDER BY customer_id`);
      const expected = [{ customer_id: a, signup: '2023-01-05 00:00:00', acquisition_channel: 'email' }, { customer_id: b, signup: '2023-02-01 00:00:00', acquisition_channel: 'social' }].sort((x, y) => (x.customer_id < y.customer_id ? -1 : 1));
      expect(rows, w.dialect.name).toEqual(expected);
    }
  });

  it("customers.csv's contact data column (prepareCustomerExport) gives one line per customer with the latest e-mail", async () => {
    for (const w of [duck, cluster]) {
      const exported = await prepareCustomerExport(w, { keyring, access: { actor: 'test', role: 'admin' }, customerTable: 'customer_reid' });
      expect(exported.pii, w.dialect.name).toEqual({ email: 'raw' });
      const rows = await w.query(`SELECT customer_id, email FROM ${EXPORT_IDENTITY_TABLE} ORDER BY customer_id`);
      expect(rows, w.dialect.name).toEqual([{ customer_id: a, email: 'new@example.com' }, { customer_id: b, email: 'b@example.com' }].sort((x, y) => (x.customer_id < y.customer_id ? -1 : 1)));
      await w.execute(`DROP TABLE IF EXISTS ${EXPORT_IDENTITY_TABLE}`);
    }
  });

  it('KPIs by acquisition channel count each buyer once, in their latest channel', async () => {
    for (const w of [duck, cluster]) {
      const kpis = await computeKpis(w, { asOf: '2023-03-31', periodDays: 30, groupBy: { table: 'customers', column: 'acquisition_channel' } });
      expect(kpis.map((row) => [row.group, row.customers]), w.dialect.name).toEqual([['email', 1], ['social', 1]]);
    }
  });
});
