/**
 * Regression (session 34's review): the ingest write-ahead log kept each batch as sent until it was applied — and its
 * current segment after that, until the next start — in clear: raw customer and visitor ids, search queries with the
 * e-mail addresses and phone numbers typed in them, order descriptions. The project's rule is that personal data at
 * rest is encrypted and queries are stored redacted. A record's body is now encrypted (AES-256-GCM under the warehouse
 * key) before it is written, and decrypted when the log is read again: a batch acknowledged and not applied before a
 * crash is still applied once at the next start.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { createPseudonymiser } from '../../src/privacy/tokens/pseudonymise.js';
import { applyIngestedFile } from '../../src/server/ingest/apply-ingested-file.js';
import { IngestQueue, type ApplyFile } from '../../src/server/ingest/ingest-queue.js';
import { normaliseBatch } from '../../src/server/ingest/normalise-batch.js';
import { readWalRecords } from '../../src/server/ingest/wal-records.js';
import { createServerContext } from '../../src/server/open-server-context.js';
import { openTestServer, type TestServer } from './server-fixture.js';

const EMAIL = 'jane.roe@example.com';
const PHONE = '+44 7700 900123';
const VISITOR = 'visitor-0042-roe';
const ORDER_CUSTOMER = 'CUST-98765-ROE';
/** what no byte of the log may hold: the ids, the contact details, the rest of the query, the order's description */
const FORBIDDEN = [EMAIL, 'jane.roe', '7700', '900123', VISITOR, ORDER_CUSTOMER, 'cake tin', 'birthday present'];

const events = [
  { customer_id: EMAIL, email: EMAIL, anonymous_id: VISITOR, session_id: 's-1', ts: '2026-10-01T10:00:00Z', type: 'search', query: `cake tin ${EMAIL} call ${PHONE}` },
  { customer_id: EMAIL, anonymous_id: VISITOR, session_id: 's-1', ts: '2026-10-01T10:01:00Z', type: 'view', product_id: 'P1' },
];
const orders = [{ order_id: 'o-1', customer_id: ORDER_CUSTOMER, date: '2026-10-01', product_id: 'P1', description: `birthday present for ${EMAIL}`, quantity: 1, unit_price: 20 }];

/** Every file under `dir` (the segments, apply/, failed/), as bytes; with `segments`, the log's segments only. */
function filesUnder(dir: string, segments = false): { path: string; bytes: Buffer }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => !segments || /^segment-\d+\.wal$/.test(name))
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, bytes: readFileSync(path) }));
}
const found = (dir: string, segments = false) => filesUnder(dir, segments).flatMap(({ path, bytes }) => FORBIDDEN.filter((needle) => bytes.includes(needle)).map((needle) => `${needle} in ${path}`));

describe('the ingest write-ahead log holds no readable personal data', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('acknowledged, not applied: no id, e-mail, phone or query text in the bytes; applied once after a restart, the query redacted in the warehouse', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clvkit-wal-pii-'));
    dirs.push(dir);
    const walDir = join(dir, 'shop.duckdb.ingest-wal');
    const { warehouse, keyring } = await openKeyedWarehouse({ db: join(dir, 'shop.duckdb'), create: true, requireKey: true });
    const context = createServerContext({ warehouse, dbPath: join(dir, 'shop.duckdb'), keyring: keyring! });
    try {
      // a server whose apply never gets to run: it stops (a crash) with both batches acknowledged and only in the log
      let crash!: (error: Error) => void;
      let entered!: () => void;
      const applying = new Promise<void>((resolve) => (entered = resolve));
      const stalled: ApplyFile = () => new Promise((_, reject) => ((crash = reject), entered()));
      const first = await IngestQueue.open(context, { walDir, applyFile: stalled });
      for (const [kind, records] of [['events', events], ['orders', orders]] as const) {
        const batch = normaliseBatch(records, kind);
        await first.queue.submit({ kind, ndjson: batch.ndjson, records: batch.records, fields: batch.fields, idempotencyKey: `${kind}-1`, actor: 'loader (token)', role: 'analyst' });
      }
      await applying;
      expect(found(walDir, true)).toEqual([]);
      expect(filesUnder(walDir, true).some(({ bytes }) => bytes.length > 0)).toBe(true); // the batches are there, encrypted
      // the one copy in clear is the group being applied (apply/: the file the ingest reads, as a file given to
      // clvkit ingest), removed once it is loaded or fails
      first.queue.abandon();
      crash(new Error('the server was killed'));
      await first.queue.close();
      expect(found(walDir)).toEqual([]);
      // a kill during the apply leaves that file: the next start removes it (the log holds the batches)
      mkdirSync(join(walDir, 'apply'), { recursive: true });
      writeFileSync(join(walDir, 'apply', 'api-events-b1-b1.ndjson'), `${JSON.stringify(events[0])}\n`);

      // the next start: both batches applied, once
      const second = await IngestQueue.open(context, { walDir });
      expect(existsSync(join(walDir, 'apply', 'api-events-b1-b1.ndjson'))).toBe(false);
      expect(second.replayed).toBe(2);
      await second.queue.drain();
      const tokenOf = createPseudonymiser(keyring!);
      const stored = await warehouse.query(`SELECT query FROM events WHERE customer_id = '${tokenOf(EMAIL)}' ORDER BY ts`);
      expect(stored.map((r) => r.query)).toEqual(['cake tin [email] call [number]', null]);
      expect(Number((await warehouse.query(`SELECT count(*) AS n FROM transactions WHERE customer_id = '${tokenOf(ORDER_CUSTOMER)}'`))[0]!.n)).toBe(1);
      const recorded = await warehouse.query('SELECT kind, idempotency_key, accepted, quarantined FROM ingest_batches ORDER BY kind');
      expect(recorded.map((r) => [r.kind, r.idempotency_key, Number(r.accepted), Number(r.quarantined)])).toEqual([['events', 'events-1', 2, 0], ['orders', 'orders-1', 1, 0]]);
      await second.queue.close();
      // a clean stop leaves no applied record behind
      expect(filesUnder(walDir).filter(({ bytes }) => bytes.length > 0).map(({ path }) => path)).toEqual([]);

      // and once more: nothing to apply again
      const third = await IngestQueue.open(context, { walDir });
      expect(third.replayed).toBe(0);
      await third.queue.close();
      expect(Number((await warehouse.query('SELECT count(*) AS n FROM events'))[0]!.n)).toBe(2);
    } finally {
      await warehouse.close();
    }
  });
});

describe('a batch the ingest cannot take, set aside in failed/', () => {
  it('is kept as an encrypted record of the log, readable with the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clvkit-wal-pii-failed-'));
    const walDir = join(dir, 'wal');
    const { warehouse, keyring } = await openKeyedWarehouse({ db: join(dir, 'shop.duckdb'), create: true, requireKey: true });
    try {
      const context = createServerContext({ warehouse, dbPath: join(dir, 'shop.duckdb'), keyring: keyring! });
      const broken: ApplyFile = () => Promise.reject(new Error('a bug in the ingest'));
      const { queue } = await IngestQueue.open(context, { walDir, applyFile: broken });
      const batch = normaliseBatch(events, 'events');
      const { receipt } = await queue.submit({ kind: 'events', ndjson: batch.ndjson, records: batch.records, fields: batch.fields, idempotencyKey: null, actor: 'loader (token)', role: 'analyst' });
      await queue.drain();
      await queue.close();
      expect(queue.stats.failedGroups).toBe(1);
      expect(readdirSync(join(walDir, 'failed'))).toEqual([`${receipt.batchId}.wal`]);
      expect(found(walDir)).toEqual([]);
      const aside = readWalRecords(readFileSync(join(walDir, 'failed', `${receipt.batchId}.wal`)), keyring!, 'failed');
      expect(aside.batches.map((b) => [b.id, b.records, b.body])).toEqual([[receipt.batchId, 2, batch.ndjson]]);
    } finally {
      await warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('POST /api/events: the write-ahead log of an acknowledged batch', () => {
  let server: TestServer;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const walDir = join(mkdtempSync(join(tmpdir(), 'clvkit-wal-pii-api-')), 'wal');
  beforeAll(async () => {
    // applied only once the test has read the log
    server = await openTestServer({
      walDir,
      applyFile: async (file, options) => {
        await gate;
        return applyIngestedFile((paths, o) => ingestFiles(server.context.warehouse, paths, o), file, options, server.context.keyring);
      },
    });
  });
  afterAll(async () => {
    open();
    await server?.close();
    rmSync(join(walDir, '..'), { recursive: true, force: true });
  });

  it('holds neither the e-mail address nor the phone number typed in the search, nor the ids; the batch is applied after', async () => {
    const token = await server.token('analyst');
    const response = await server.app.inject({ method: 'POST', url: '/api/events', payload: events, headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode, response.body).toBe(202);
    // the segments (the group being applied waits in apply/, in clear, as a file given to clvkit ingest: the test above)
    expect(filesUnder(walDir, true)).toHaveLength(1);
    expect(found(walDir, true)).toEqual([]);
    open();
    const admin = await server.login('admin');
    // the count waits until every batch acknowledged before it is applied
    expect((await server.app.inject({ method: 'GET', url: '/api/events/count?prefix=x', headers: { cookie: admin.cookie } })).statusCode).toBe(200);
    const stored = await server.context.warehouse.query("SELECT query FROM events WHERE type = 'search'");
    expect(stored).toEqual([{ query: 'cake tin [email] call [number]' }]);
  });
});
