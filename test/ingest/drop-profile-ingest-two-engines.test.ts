/**
 * Dropping a profile file's ingest (`kind: 'customers'`) on DuckDB and on a
 * cluster, over the same files: the same rows go, the drop says the same, and
 * each customer's current profile and contact data (the latest non-NULL value
 * per column, current-customers.ts) are those the warehouse gave before the
 * file came. Before, DuckDB merged each file into the customer's one
 * `customers` row and the drop could only clear or delete that row: dropping
 * the later of two profile files deleted the profiles the earlier one gave
 * (a prospect known from both files was removed altogether, customer_reid
 * included, though the earlier file's ingest was still held) and cleared a
 * buyer's; dropping the earlier one kept its values in every column the later
 * file left empty and said its rows were "no longer held". The cluster, which
 * appends a row per customer and file, gave the earlier values back. DuckDB
 * now appends them too.
 *
 * Rows written before `customers.write_seq` (schema migration 15) are ordered
 * by their ingest id: the rule holds for them on both engines, also once a
 * drop has cleared a profile's ingest id (it keeps its place as write_seq).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { currentCustomersSql } from '../../src/engine/current-customers.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { dropIngest, type DroppedIngest } from '../../src/ingest/drop-ingest.js';
import { ingestFiles, type IngestOptions } from '../../src/ingest/ingest-files.js';
import { ingestFilesToClickHouse } from '../../src/ingest/ingest-files-to-clickhouse.js';
import { decryptValue } from '../../src/privacy/keys/encryption.js';
import { keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { createPseudonymiser } from '../../src/privacy/tokens/pseudonymise.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

const NOW = new Date('2024-03-01T00:00:00Z');
const keyring = keyringFromKey(Buffer.alloc(32, 77), { source: 'memory' });
const token = createPseudonymiser(keyring);
const name = new Map(['P1', 'P2', 'P3', 'P900'].map((id) => [token(id), id]));

/** Every customer's current profile and e-mail (decrypted), by id: what every reader of `customers` sees. */
async function current(warehouse: Warehouse): Promise<Record<string, unknown>> {
  const rows = await warehouse.query(`SELECT customer_id, signup_ts, acquisition_channel, region, email_enc FROM ${currentCustomersSql(warehouse.dialect, ['signup_ts', 'acquisition_channel', 'region', 'email_enc'])} cc`);
  const held: Record<string, unknown> = {};
  for (const row of rows) {
    const id = String(row.customer_id);
    held[name.get(id) ?? id] = {
      signup: row.signup_ts instanceof Date ? row.signup_ts.toISOString().slice(0, 10) : null,
      channel: row.acquisition_channel ?? null,
      region: row.region ?? null,
      email: row.email_enc === null ? null : decryptValue(String(row.email_enc), keyring, { context: id }),
    };
  }
  return held;
}

/** What a drop says, without the time it was ingested (the engines' clocks) */
const said = (dropped: DroppedIngest) => ({ ingestId: dropped.ingestId, kind: dropped.kind, deleted: dropped.deleted, rows: dropped.rows, customersRemoved: dropped.customersRemoved, profilesCleared: dropped.profilesCleared, notHeld: dropped.notHeld, warnings: dropped.warnings });

describe.skipIf(!CLICKHOUSE_URL)(`dropping a profile file's ingest on DuckDB and on a cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const dir = scratchDir();
  const write = (file: string, text: string) => {
    const path = join(dir, file);
    writeFileSync(path, text);
    return path;
  };
  // orders with e-mails of P1 and P2 (P3 has none); a profile file of the three and a prospect, P900; a later profile
  // file with other values for P1, P900 and, without a channel, P3
  const orders = write('orders.csv', 'order_id,customer_id,date,amount,email\nO1,P1,2023-01-05,10,p1@example.com\nO2,P2,2023-02-05,20,p2@example.com\nO3,P3,2023-03-05,30,\n');
  const early = write('early.csv', 'customer_id,signup_date,acquisition_channel,region\nP1,2022-05-01,search,north\nP2,2022-06-01,social,south\nP3,2022-07-01,ads,east\nP900,2024-01-01,search,west\n');
  const later = write('later.csv', 'customer_id,signup_date,acquisition_channel\nP1,2022-05-02,email\nP3,2022-07-02,\nP900,2024-01-02,referral\n');
  // a profile file that brings contact data: P3's first e-mail
  const withEmail = write('with-email.csv', 'customer_id,signup_date,acquisition_channel,email\nP3,2022-07-03,partner,p3@example.com\n');
  let duck: Warehouse;
  let cluster: ClickHouseWarehouse;
  const engines = () => [duck, cluster] as const;
  const ingest = async (path: string, options: IngestOptions = {}) => {
    const ids: number[] = [];
    const all = { keyring, now: NOW, ...options };
    ids.push((await ingestFiles(duck, [path], all)).files[0]!.ingestId!);
    ids.push((await ingestFilesToClickHouse(cluster, [path], all)).files[0]!.ingestId!);
    expect(ids[1], 'the same ingest id on both').toBe(ids[0]);
    return ids[0]!;
  };
  /** Drops `id` on both engines: what each said, and each one's customers after. */
  const dropOnBoth = async (id: number) => {
    const dropped = [];
    for (const w of engines()) dropped.push(said(await dropIngest(w, id, { keyring, role: 'admin', now: NOW })));
    return { dropped, customers: [await current(duck), await current(cluster)] };
  };
  let beforeLater: Record<string, unknown>;

  beforeAll(async () => {
    duck = await memoryWarehouse(1);
    cluster = await clickhouseWarehouse('drop_profile_ingest');
    await ingest(orders, { map: { email: 'email' } });
    await ingest(early, { kind: 'customers' });
    beforeLater = await current(duck);
    expect(await current(cluster)).toEqual(beforeLater);
  }, 180_000);
  afterAll(async () => {
    await dropScratchDatabase(cluster);
    await duck?.close();
  });

  it('the later file dropped: the same rows go on both, and every customer is as before it came (the prospect known from both files stays)', async () => {
    const id = await ingest(later, { kind: 'customers' });
    const both = await current(duck);
    expect(await current(cluster)).toEqual(both);
    expect(both).toMatchObject({ P1: { signup: '2022-05-02', channel: 'email', region: 'north', email: 'p1@example.com' }, P3: { signup: '2022-07-02', channel: 'ads' } });
    const { dropped, customers } = await dropOnBoth(id);
    expect(dropped[0]).toEqual({ ingestId: id, kind: 'customers', deleted: { customers: 3 }, rows: 3, customersRemoved: 0, profilesCleared: 0, notHeld: {}, warnings: [] });
    expect(dropped[1]).toEqual(dropped[0]);
    expect(customers[0]).toEqual(beforeLater);
    expect(customers[1]).toEqual(beforeLater);
  }, 180_000);

  it('the earlier file dropped: the same on both, and the later file’s values alone stand (none of the earlier file’s is left)', async () => {
    const again = await ingest(later, { kind: 'customers' }); // read again after its drop
    const earlyId = again - 2;
    const { dropped, customers } = await dropOnBoth(earlyId);
    expect(dropped[0]).toEqual({ ingestId: earlyId, kind: 'customers', deleted: { customers: 4 }, rows: 4, customersRemoved: 0, profilesCleared: 0, notHeld: {}, warnings: [] });
    expect(dropped[1]).toEqual(dropped[0]);
    const expected = {
      P1: { signup: '2022-05-02', channel: 'email', region: null, email: 'p1@example.com' },
      P2: { signup: null, channel: null, region: null, email: 'p2@example.com' },
      P3: { signup: '2022-07-02', channel: null, region: null, email: null },
      P900: { signup: '2024-01-02', channel: 'referral', region: null, email: null },
    };
    expect(customers[0]).toEqual(expected);
    expect(customers[1]).toEqual(expected);
  }, 180_000);

  it('a profile file that brought contact data: its profile values go, the contact data stays, the same on both', async () => {
    const id = await ingest(withEmail, { kind: 'customers', map: { email: 'email' } });
    const { dropped, customers } = await dropOnBoth(id);
    expect(dropped[0]).toMatchObject({ deleted: {}, rows: 0, customersRemoved: 0, profilesCleared: 1, notHeld: {} });
    expect(dropped[0]!.warnings).toHaveLength(1);
    expect(dropped[1]).toEqual(dropped[0]);
    expect(customers[0]).toMatchObject({ P3: { signup: '2022-07-02', channel: null, region: null, email: 'p3@example.com' } });
    expect(customers[1]).toEqual(customers[0]);
  }, 180_000);
});

describe.skipIf(!CLICKHOUSE_URL)(`customers rows written before write_seq, on DuckDB and on a cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const dir = scratchDir();
  const write = (file: string, text: string) => {
    const path = join(dir, file);
    writeFileSync(path, text);
    return path;
  };
  let duck: Warehouse;
  let cluster: ClickHouseWarehouse;

  beforeAll(async () => {
    duck = await memoryWarehouse(1);
    cluster = await clickhouseWarehouse('customers_before_write_seq');
    // P1's e-mail from its orders, then a profile file with a newer e-mail and a channel, then a second one with a
    // region only; all written before write_seq: it is NULL in every row, and the rows are ordered by ingest id
    const files: [string, IngestOptions][] = [
      [write('orders.csv', 'order_id,customer_id,date,amount,email\nO1,P1,2023-01-05,10,old@example.com\n'), { map: { email: 'email' } }],
      [write('profiles-1.csv', 'customer_id,signup_date,acquisition_channel,email\nP1,2022-05-01,search,new@example.com\n'), { kind: 'customers', map: { email: 'email' } }],
      [write('profiles-2.csv', 'customer_id,acquisition_channel,region\nP1,,north\n'), { kind: 'customers' }],
    ];
    for (const [path, options] of files) {
      const all = { keyring, now: NOW, ...options };
      await ingestFiles(duck, [path], all);
      await ingestFilesToClickHouse(cluster, [path], all);
    }
    await duck.execute('UPDATE customers SET write_seq = NULL');
    await cluster.waitForMutations([await cluster.alterWhereHeld('customers', 'UPDATE write_seq = NULL WHERE 1 = 1')]);
    for (const w of [duck, cluster]) expect(Number((await w.query('SELECT count(*) AS n FROM customers WHERE write_seq IS NOT NULL'))[0]!.n), w.dialect.name).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await dropScratchDatabase(cluster);
    await duck?.close();
  });

  it('the latest non-NULL value per column by ingest id: the later profile file’s e-mail and channel, the region of the last', async () => {
    for (const w of [duck, cluster]) expect(await current(w), w.dialect.name).toEqual({ P1: { signup: '2022-05-01', channel: 'search', region: 'north', email: 'new@example.com' } });
  });

  it('a drop that clears a profile keeps its contact data the latest (its ingest id becomes its write_seq), and a file ingested after them is later', async () => {
    for (const w of [duck, cluster]) {
      const dropped = await dropIngest(w, 2, { keyring, role: 'admin', now: NOW });
      expect(dropped.profilesCleared, w.dialect.name).toBe(1);
      // before, the cleared row fell to 0 beside the orders' contact data and either e-mail could be read
      expect(await current(w), w.dialect.name).toEqual({ P1: { signup: null, channel: null, region: 'north', email: 'new@example.com' } });
    }
    const path = write('profiles-3.csv', 'customer_id,signup_date,acquisition_channel,email\nP1,2022-05-03,email,\n');
    for (const w of [duck, cluster]) {
      const all = { keyring, now: NOW, map: { email: 'email' }, kind: 'customers' as const };
      await (w === duck ? ingestFiles(w, [path], all) : ingestFilesToClickHouse(cluster, [path], all));
      expect(await current(w), w.dialect.name).toEqual({ P1: { signup: '2022-05-03', channel: 'email', region: 'north', email: 'new@example.com' } });
    }
  }, 180_000);
});
