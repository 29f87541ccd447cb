/**
 * Regression (session 37): erasing a customer deleted their quarantined rows, but the ingest that quarantined them still
 * counted them — `ingests.quarantined`, and for a batch sent to the API `ingest_batches.quarantined` (split among a
 * group's batches by line) — so the counts no longer agreed with the quarantine table: an ingest of 20 rows said
 * 5 quarantined where the table held 1. Now each of those rows is replaced, at its place (ingest, source, line), by a
 * row with reason `erased_customer` and nothing of it (no text, detail, token or date) — what a line of an erased
 * customer sent after the erasure leaves — so that rows read = accepted + quarantined still holds and the quarantine
 * table accounts for every quarantined line, on both engines; an erase run again adds none twice.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { ensureClusterSchema } from '../../../src/engine/clickhouse/ensure-cluster-schema.js';
import type { Warehouse } from '../../../src/engine/warehouse.js';
import { ingestFiles } from '../../../src/ingest/ingest-files.js';
import { ingestFilesToClickHouse } from '../../../src/ingest/ingest-files-to-clickhouse.js';
import { keyringFromKey } from '../../../src/privacy/keys/keyring.js';
import { openKeyedWarehouse } from '../../../src/privacy/keys/open-keyed-warehouse.js';
import { createPseudonymiser } from '../../../src/privacy/tokens/pseudonymise.js';
import { eraseCustomers } from '../../../src/privacy/warehouse/erase-customers.js';
import { eraseCustomersOnClickHouse } from '../../../src/privacy/warehouse/erase-customers-on-clickhouse.js';
import { IngestQueue } from '../../../src/server/ingest/ingest-queue.js';
import { normaliseBatch } from '../../../src/server/ingest/normalise-batch.js';
import { writeAheadLogFolder } from '../../../src/server/ingest/wal-folder.js';
import { WriteAheadLog } from '../../../src/server/ingest/write-ahead-log.js';
import { createServerContext } from '../../../src/server/open-server-context.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';
import { FIXTURES, memoryWarehouse, scratchDir } from '../../helpers/warehouse.js';

const keyring = keyringFromKey(Buffer.alloc(32, 37), { source: 'memory' });
const now = new Date('2024-01-01T00:00:00Z');

/** Per ingest: [quarantined as counted, quarantine rows held]. */
const countsAndRows = async (wh: Warehouse) => {
  const held = new Map((await wh.query('SELECT ingest_id, count(*) AS n FROM quarantine GROUP BY ingest_id')).map((r) => [Number(r.ingest_id), Number(r.n)]));
  return (await wh.query('SELECT ingest_id, rows_read, accepted, quarantined FROM ingests ORDER BY ingest_id')).map((r) => ({
    rowsRead: Number(r.rows_read),
    accepted: Number(r.accepted),
    quarantined: Number(r.quarantined),
    held: held.get(Number(r.ingest_id)) ?? 0,
  }));
};

const erasedPlaces = async (wh: Warehouse) =>
  (await wh.query("SELECT source, line, raw, detail, customer_id, ts FROM quarantine WHERE reason = 'erased_customer' ORDER BY line")).map((r) => ({ ...r, line: Number(r.line) }));

const engines = [
  { engine: 'duckdb', skip: false },
  { engine: 'clickhouse', skip: !CLICKHOUSE_URL },
] as const;

describe.each(engines)('an erase after the ingest ($engine)', ({ engine, skip }) => {
  let cluster: ClickHouseWarehouse | undefined;
  let duck: Warehouse | undefined;
  afterAll(async () => {
    await dropScratchDatabase(cluster);
    await duck?.close();
  });
  const note = skip ? ` (skipped: ${CLICKHOUSE_SKIP_REASON})` : '';

  it.skipIf(skip)(`leaves a row with nothing of it at each quarantined row it deletes: the ingest's counts still agree with the quarantine table${note}`, async () => {
    let wh: Warehouse;
    let erase: (ids: string[]) => Promise<unknown>;
    const file = `${FIXTURES}shop/tiny-shop.csv`;
    if (engine === 'clickhouse') {
      cluster = await clickhouseWarehouse('erase_keeps_quarantine_counts');
      await ensureClusterSchema(cluster);
      await ingestFilesToClickHouse(cluster, [file], { keyring, now });
      wh = cluster;
      erase = (ids) => eraseCustomersOnClickHouse(cluster!, ids, { keyring, role: 'admin' });
    } else {
      duck = await memoryWarehouse(1);
      await ingestFiles(duck, [file], { keyring, now });
      wh = duck;
      erase = (ids) => eraseCustomers(duck!, ids, { keyring, role: 'admin' });
    }
    const before = await countsAndRows(wh);
    expect(before).toHaveLength(1);
    expect(before[0]!.held).toBe(before[0]!.quarantined);
    const token = createPseudonymiser(keyring)('E');
    const linesOfE = (await wh.query(`SELECT line FROM quarantine WHERE customer_id = '${token}' ORDER BY line`)).map((r) => Number(r.line));
    expect(linesOfE.length).toBeGreaterThan(1); // E's rows: a bad date, a bad number, a price of 0

    await erase(['E']);
    // was held = quarantined - 3: the counts named rows the table no longer held
    expect(await countsAndRows(wh)).toEqual(before);
    expect(before[0]!.accepted + before[0]!.quarantined).toBe(before[0]!.rowsRead);
    expect(await erasedPlaces(wh)).toEqual(linesOfE.map((line) => ({ source: 'tiny-shop.csv', line, raw: null, detail: null, customer_id: null, ts: null })));
    expect(Number((await wh.query(`SELECT count(*) AS n FROM quarantine WHERE customer_id = '${token}'`))[0]!.n)).toBe(0);

    await erase(['E']); // again: nothing more to delete, no row added twice
    expect(await countsAndRows(wh)).toEqual(before);
  }, 300_000);
});

describe('an erase after a batch sent to the API was recorded', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("the batch's quarantined count still agrees with the quarantine rows in its lines", async () => {
    const dir = scratchDir('clvkit-erase-batch-counts-');
    dirs.push(dir);
    const db = join(dir, 'shop.duckdb');
    const opened = await openKeyedWarehouse({ db, create: true, requireKey: true });
    const warehouse = opened.warehouse;
    try {
      const context = createServerContext({ warehouse, dbPath: db, keyring: opened.keyring! });
      const view = (id: string, ts: string) => ({ customer_id: id, ts, type: 'view', product_id: 'P1' });
      // one group of two batches, acknowledged before the queue starts: b1 lines 1-2 (ann's date unreadable:
      // quarantined), b2 lines 3-4 (ann's again)
      const walDir = writeAheadLogFolder(db);
      const { log } = await WriteAheadLog.open(walDir, { keyring: opened.keyring! });
      const [b1, b2] = ['b1', 'b2'];
      for (const [id, records] of [[b1, [view('ann', 'not a date'), view('amy', '2026-10-01T10:00:00Z')]], [b2, [view('bob', '2026-10-01T10:01:00Z'), view('ann', 'never')]]] as const) {
        const b = normaliseBatch([...records], 'events');
        await log.append({ id, kind: 'events', idempotencyKey: null, receivedAt: '2026-10-01T10:30:00.000Z', actor: 'loader (token)', role: 'analyst', body: b.ndjson, records: b.records, fields: b.fields });
      }
      await log.close();
      const { queue } = await IngestQueue.open(context, { walDir });
      await queue.drain();
      await queue.close();
      const batches = async () => (await warehouse.query('SELECT batch_id, accepted, quarantined FROM ingest_batches ORDER BY batch_id')).map((r) => [r.batch_id, Number(r.accepted), Number(r.quarantined)]);
      expect(await batches()).toEqual([[b1, 1, 1], [b2, 1, 1]]);

      await eraseCustomers(warehouse, ['ann'], { keyring: opened.keyring!, role: 'admin' });
      expect(await batches()).toEqual([[b1, 1, 1], [b2, 1, 1]]);
      // the quarantine rows in each batch's lines (b1: 1-2, b2: 3-4): one each, as counted (was none)
      const lines = (await warehouse.query("SELECT source, line, reason, raw, customer_id FROM quarantine ORDER BY line")).map((r) => [r.source, Number(r.line), r.reason, r.raw, r.customer_id]);
      expect(lines).toEqual([['api-events-b1-b2.ndjson', 1, 'erased_customer', null, null], ['api-events-b1-b2.ndjson', 4, 'erased_customer', null, null]]);
      expect((await countsAndRows(warehouse)).map((c) => c.held - c.quarantined)).toEqual([0]);
    } finally {
      await warehouse.close();
    }
  });
});
