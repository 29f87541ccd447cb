/**
 * Regression (session 37): a copy of a batch in the write-ahead log's failed/ folder that was never recorded set aside —
 * the copy a crash left mid-replacement (`failed/<batch>.wal.tmp-<hex>`, put back as `failed/<batch>.wal` when the log
 * is opened: without the warehouse the log cannot tell whether it was recorded set aside, wal-files.ts), or the copy
 * written before the recording of a setting aside failed — stayed in failed/ after its batch, which a segment also
 * held, was applied: a "set aside" batch whose lines are in the warehouse (sent again by hand, they would count twice)
 * and a copy of customer lines kept for nothing. The queue, which asks the warehouse, now removes such a copy once its
 * batch is applied; a copy of a batch recorded set aside is its only record and stays.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import type { Keyring } from '../../src/privacy/keys/keyring.js';
import { IngestQueue, type ApplyFile } from '../../src/server/ingest/ingest-queue.js';
import { normaliseBatch } from '../../src/server/ingest/normalise-batch.js';
import { writeAheadLogFolder } from '../../src/server/ingest/wal-folder.js';
import { encodeWalRecord, type WalBatch } from '../../src/server/ingest/wal-records.js';
import { WriteAheadLog } from '../../src/server/ingest/write-ahead-log.js';
import { createServerContext } from '../../src/server/open-server-context.js';
import { scratchDir } from '../helpers/warehouse.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const view = (id: string, minute: number) => ({ customer_id: id, ts: `2026-10-01T10:${String(minute).padStart(2, '0')}:00Z`, type: 'view', product_id: 'P1' });

function batch(id: string, customers: readonly string[]): WalBatch {
  const b = normaliseBatch(customers.map((c, i) => view(c, i)), 'events');
  return { id, kind: 'events', idempotencyKey: null, receivedAt: '2026-10-01T10:30:00.000Z', actor: 'loader (token)', role: 'analyst', body: b.ndjson, records: b.records, fields: b.fields };
}

async function acknowledge(walDir: string, keyring: Keyring, batches: readonly WalBatch[]): Promise<void> {
  const { log } = await WriteAheadLog.open(walDir, { keyring });
  for (const b of batches) await log.append(b);
  await log.close();
}

const failedFiles = (walDir: string) => (existsSync(join(walDir, 'failed')) ? readdirSync(join(walDir, 'failed')).sort() : []);

async function opened() {
  const dir = scratchDir('clvkit-set-aside-copy-');
  dirs.push(dir);
  const db = join(dir, 'shop.duckdb');
  const { warehouse, keyring } = await openKeyedWarehouse({ db, create: true, requireKey: true });
  return { db, warehouse, keyring: keyring!, walDir: writeAheadLogFolder(db) };
}

const recorded = async (warehouse: Warehouse) => (await warehouse.query('SELECT batch_id, accepted, quarantined FROM ingest_batches ORDER BY batch_id')).map((r) => [r.batch_id, Number(r.accepted), Number(r.quarantined)]);

describe('a copy in failed/ of a batch never recorded set aside', () => {
  it('put back from a crash mid-replacement: removed once its batch (which a segment holds) is applied; one recorded set aside stays', async () => {
    const { db, warehouse, keyring, walDir } = await opened();
    try {
      // b001 was recorded set aside by an earlier start (its segment released since): its failed/ copy is its record
      const { queue: first } = await IngestQueue.open(createServerContext({ warehouse, dbPath: db, keyring }), { walDir, applyFile: () => Promise.reject(new Error('a bug in the ingest')) });
      await first.submit({ ...normaliseBatch([view('zoe', 1)], 'events'), kind: 'events', idempotencyKey: null, actor: 'loader (token)', role: 'analyst' });
      await first.drain();
      await first.close();
      const [setAside] = failedFiles(walDir);
      expect(setAside).toMatch(/^b[0-9a-z]+\.wal$/);

      // b000 acknowledged; a crash while setting it aside left its scratch copy, never renamed, never recorded
      const b000 = batch('b000', ['ann', 'amy']);
      await acknowledge(walDir, keyring, [b000]);
      mkdirSync(join(walDir, 'failed'), { recursive: true });
      writeFileSync(join(walDir, 'failed', 'b000.wal.tmp-0a1b2c'), encodeWalRecord(b000, keyring));

      const { queue, replayed } = await IngestQueue.open(createServerContext({ warehouse, dbPath: db, keyring }), { walDir });
      expect(replayed).toBe(1);
      await queue.drain();
      await queue.close();
      expect((await recorded(warehouse)).filter(([id]) => id === 'b000')).toEqual([['b000', 2, 0]]); // applied
      // was [b000.wal, <b001>.wal]: b000's copy put back at the open, kept after b000 was applied
      expect(failedFiles(walDir)).toEqual([setAside]);
    } finally {
      await warehouse.close();
    }
  });

  it('written before the recording of its setting aside failed: removed once the batch is applied at the next start', async () => {
    const { db, warehouse, keyring, walDir } = await opened();
    try {
      await acknowledge(walDir, keyring, [batch('b000', ['ben'])]);
      // the load fails (a bug fixed since), and the state refuses the set-aside row: left in the log, its copy written
      const refusing = new Proxy(warehouse, {
        get(target, property) {
          if (property === 'execute') return (sql: string) => (sql.startsWith('INSERT INTO ingest_batches') ? Promise.reject(new Error('IO Error: could not write the file')) : target.execute(sql));
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      });
      const failing: ApplyFile = () => Promise.reject(new Error('a bug in the ingest'));
      const { queue: first } = await IngestQueue.open(createServerContext({ warehouse, state: refusing, dbPath: db, keyring }), { walDir, applyFile: failing, recordRetryDelaysMs: [] });
      await first.drain();
      await first.close();
      expect(first.stats.unrecordedGroups.map((g) => g.status)).toEqual([expect.stringMatching(/^not applied \(a bug in the ingest\) and setting it aside failed: IO Error.*the next start of the server applies it again$/)]);
      expect(failedFiles(walDir)).toEqual(['b000.wal']);

      const { queue, replayed } = await IngestQueue.open(createServerContext({ warehouse, dbPath: db, keyring }), { walDir });
      expect(replayed).toBe(1);
      await queue.drain();
      await queue.close();
      expect(await recorded(warehouse)).toEqual([['b000', 1, 0]]);
      expect(failedFiles(walDir)).toEqual([]); // was ['b000.wal']
    } finally {
      await warehouse.close();
    }
  });
});
