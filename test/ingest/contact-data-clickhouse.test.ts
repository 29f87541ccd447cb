/**
 * A transaction file's contact data (`--map email=…` and the other personal
 * roles) on a ClickHouse cluster: the local ingest stores it in `customers`
 * as envelopes, in rows without an ingest id (a transaction file's contact
 * data belongs to no profile ingest), and the copy used to count the rows it
 * added by ingest id only — 0 found, 'customers holds 0 rows of ingest 1
 * after the attach, expected 59', the copy discarded, and the envelope rows
 * left on the cluster all the same (the discard deletes by ingest id too).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { ensureClusterSchema } from '../../src/engine/clickhouse/ensure-cluster-schema.js';
import { createTableIfMissing } from '../../src/engine/clickhouse/copy-table-to-clickhouse.js';
import { COPY_MARKERS, copyIngestToClickHouse } from '../../src/engine/clickhouse/copy-ingest-to-clickhouse.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { ingestFilesToClickHouse } from '../../src/ingest/ingest-files-to-clickhouse.js';
import { decryptValue, isEnvelope } from '../../src/privacy/keys/encryption.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { createPseudonymiser } from '../../src/privacy/tokens/pseudonymise.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse } from '../helpers/clickhouse.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';
import { CUSTOMERS, email, FORBIDDEN, fullName, PII_MAP, rawId, writePiiOrders } from '../privacy/privacy-fixture.js';

const NOW = new Date('2024-01-01T00:00:00Z');
const PII = ['email_enc', 'phone_enc', 'name_enc', 'address_enc', 'note_enc'];
const TABLES = ['transactions', 'quarantine', 'customers', 'customer_reid', 'events', 'ingests'];

/** Per token, its contact data decrypted (null where none), and the row's ingest id. */
async function contactData(warehouse: Warehouse, keyring: ReturnType<typeof keyringFromKey>): Promise<Map<string, unknown[]>> {
  const rows = await warehouse.query(`SELECT customer_id, ingest_id, ${PII.join(', ')} FROM customers`);
  return new Map(
    rows.map((row) => {
      const token = String(row.customer_id);
      return [token, [row.ingest_id, ...PII.map((column) => (row[column] === null ? null : decryptValue(String(row[column]), keyring, { context: token })))]];
    }),
  );
}

describe.skipIf(!CLICKHOUSE_URL)(`contact data of a transaction file ingested into ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const keyring = keyringFromKey(generateKey());
  const dir = scratchDir();
  const orders = writePiiOrders(dir);
  let cluster: ClickHouseWarehouse;
  let failing: ClickHouseWarehouse;
  let duck: Warehouse;
  beforeAll(async () => {
    cluster = await clickhouseWarehouse('contact_data');
    failing = await clickhouseWarehouse('contact_data_failed');
    duck = await memoryWarehouse(1);
  }, 60_000);
  afterAll(async () => {
    for (const wh of [cluster, failing]) {
      await wh?.dropDatabase();
      await wh?.close();
    }
    await duck?.close();
  });

  it('arrives as envelopes, one customers row per customer, the rows DuckDB holds for the same file and key', async () => {
    const local = await ingestFiles(duck, [orders], { keyring, now: NOW, map: PII_MAP });
    const report = await ingestFilesToClickHouse(cluster, [orders], { keyring, now: NOW, map: PII_MAP });
    expect(report).toMatchObject({ rowsRead: local.rowsRead, accepted: local.accepted, quarantined: 3 });
    expect(report.files[0]!.privacy).toMatchObject({ piiStored: ['email', 'phone', 'name', 'address', 'note'], newCustomers: CUSTOMERS });
    const [held] = await cluster.query(`SELECT count(*) AS n, count(DISTINCT customer_id) AS tokens, count(email_enc) AS emails FROM customers`);
    expect(held).toEqual({ n: CUSTOMERS, tokens: CUSTOMERS, emails: CUSTOMERS });
    const onCluster = await contactData(cluster, keyring);
    expect(onCluster).toEqual(await contactData(duck, keyring));
    const token7 = createPseudonymiser(keyring)(rawId(7));
    expect(onCluster.get(token7)).toEqual([null, email(7), expect.any(String), fullName(7), expect.any(String), expect.any(String)]);
    const [envelope] = await cluster.query(`SELECT email_enc FROM customers WHERE customer_id = '${token7}'`);
    expect(isEnvelope(envelope!.email_enc)).toBe(true);
    // nothing of the personal data in clear on the cluster
    for (const table of TABLES) {
      const text = (await cluster.query(`SELECT * FROM ${table}`)).map((row) => Object.values(row).map(String).join('\t')).join('\n');
      for (const needle of FORBIDDEN) expect(text.includes(needle), `${table}: ${needle}`).toBe(false);
    }
  }, 120_000);

  it('leaves no contact data behind when the copy fails after the attach', async () => {
    const local = await memoryWarehouse(1);
    try {
      await ingestFiles(local, [orders], { keyring, now: NOW, map: PII_MAP });
      await ensureClusterSchema(failing);
      for (const table of [...TABLES, COPY_MARKERS]) await createTableIfMissing(local, failing, table);
      const stop = async () => {
        throw new Error('stopped before the copy is marked copied');
      };
      await expect(copyIngestToClickHouse(local, failing, TABLES, stop)).rejects.toThrow(/stopped before/);
      const [left] = await failing.query('SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM transactions) AS transactions, (SELECT count(*) FROM ingests) AS ingests');
      expect(left).toEqual({ customers: 0, transactions: 0, ingests: 0 });
    } finally {
      await local.close();
    }
  }, 120_000);
});
