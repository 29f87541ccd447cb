/**
 * A file of customer ids and dates beside files with order values: the ingest says the warehouse now mixes them, with
 * numbers, and the file's own warning no longer claims that spend and CLV are not computed (a user trial: untrue in a
 * mixed warehouse, and the only word the user got).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { ingestFilesToClickHouse } from '../../src/ingest/ingest-files-to-clickhouse.js';
import { ingestFilesReplacing } from '../../src/ingest/replace-ingest.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

const now = new Date('2024-01-01T00:00:00Z');
const MIXED =
  'the warehouse mixes files with and without order values: 3 purchase lines (visits.csv) have no amount, beside 4 with one; a purchase day without an amount counts as a purchase, not as a spend of 0: monetary value, the spend model and the average order take the days with a known amount, and revenue and historic CLV count the known amounts only';
const FILE_WARNING =
  'no order value (amount, or quantity and unit_price): its amounts stay empty, and its purchases count as purchases (purchase counts, P(alive), expected purchases, stages), not as spends; a warehouse of such files only (a frequency-only log) has no spend and no CLV';

function files(): { orders: string; visits: string; more: string } {
  const dir = scratchDir();
  const orders = join(dir, 'orders.csv');
  const visits = join(dir, 'visits.csv');
  const more = join(dir, 'more.csv');
  writeFileSync(orders, 'customer_id,date,order_id,amount\nA,2023-05-01,o1,10\nA,2023-05-08,o2,20\nB,2023-05-02,o3,5\nB,2023-06-02,o4,7\n');
  writeFileSync(visits, 'customer_id,date\nA,2023-05-15\nB,2023-05-20\nC,2023-05-21\n');
  writeFileSync(more, 'customer_id,date,order_id,amount\nD,2023-07-01,o5,30\n');
  return { orders, visits, more };
}

describe('ingest of files with and without order values into one warehouse', () => {
  it('says the warehouse mixes them, whichever comes first, and not for a warehouse of one kind', async () => {
    const { orders, visits, more } = files();
    const warehouse = await memoryWarehouse(1);
    try {
      const first = await ingestFiles(warehouse, [orders], { now });
      expect(first.warnings ?? []).toEqual([]);
      const second = await ingestFiles(warehouse, [visits], { now });
      expect(second.files[0]!.warnings).toContain(FILE_WARNING);
      expect(second.warnings).toEqual([MIXED]);
      // a later order file: the warehouse still mixes them (5 lines with an amount now)
      const third = await ingestFiles(warehouse, [more], { now });
      expect(third.warnings).toEqual([MIXED.replace('beside 4 with one', 'beside 5 with one')]);
    } finally {
      await warehouse.close();
    }
    const reversed = await memoryWarehouse(1);
    try {
      expect((await ingestFiles(reversed, [visits], { now })).warnings ?? []).toEqual([]);
      expect((await ingestFiles(reversed, [orders], { now })).warnings).toEqual([MIXED]);
    } finally {
      await reversed.close();
    }
  });
});

// clvkit ingest --replace said nothing of it where a plain ingest of the same files did: it keeps the files' reports,
// and each file's ingest left the warehouse-wide warning out (computed, then dropped unread; later not computed).
describe('ingest --replace of files without order values beside files with them', () => {
  it('says the warehouse mixes them, once for all the files replaced, as the plain ingest does', async () => {
    const { orders, visits } = files();
    const dir = scratchDir();
    const later = join(dir, 'later.csv');
    writeFileSync(later, 'customer_id,date\nE,2023-05-25\n');
    const keyring = keyringFromKey(generateKey());
    const warehouse = await memoryWarehouse(1);
    try {
      await ingestFiles(warehouse, [orders], { now, keyring });
      const plain = await ingestFiles(warehouse, [visits, later], { now, keyring });
      const mixed = MIXED.replace('3 purchase lines (visits.csv) have', '4 purchase lines (visits.csv, later.csv) have');
      expect(plain.warnings).toEqual([mixed]);
      const { report, replaced } = await ingestFilesReplacing(warehouse, [visits, later], { now, keyring, role: 'admin' });
      expect(replaced.map((r) => r.source)).toEqual(['visits.csv', 'later.csv']);
      expect(report.files.map((f) => f.warnings)).toEqual([expect.arrayContaining([FILE_WARNING]), expect.arrayContaining([FILE_WARNING])]);
      expect(report.warnings).toEqual([mixed]);
      // the order file replaced: the warehouse still mixes them, and says so
      expect((await ingestFilesReplacing(warehouse, [orders], { now, keyring, role: 'admin' })).report.warnings).toEqual([mixed]);
    } finally {
      await warehouse.close();
    }
  });

  it('says nothing when the warehouse holds one kind (the replaced file was its only one)', async () => {
    const { visits } = files();
    const keyring = keyringFromKey(generateKey());
    const warehouse = await memoryWarehouse(1);
    try {
      await ingestFiles(warehouse, [visits], { now, keyring });
      expect((await ingestFilesReplacing(warehouse, [visits], { now, keyring, role: 'admin' })).report.warnings ?? []).toEqual([]);
    } finally {
      await warehouse.close();
    }
  });
});

describe.skipIf(!CLICKHOUSE_URL)(`ingest of files with and without order values into a ClickHouse cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const keyring = keyringFromKey(generateKey());
  let cluster: ClickHouseWarehouse;
  beforeAll(async () => {
    cluster = await clickhouseWarehouse('mixed_values_ingest');
  }, 60_000);
  afterAll(() => dropScratchDatabase(cluster));

  it("says the cluster's warehouse mixes them, counted on the cluster (the local ingest sees one file)", async () => {
    const { orders, visits } = files();
    expect((await ingestFilesToClickHouse(cluster, [orders], { keyring, now })).warnings ?? []).toEqual([]);
    const report = await ingestFilesToClickHouse(cluster, [visits], { keyring, now });
    expect(report.files[0]!.warnings).toContain(FILE_WARNING);
    expect(report.warnings).toEqual([MIXED]);
  });
});
