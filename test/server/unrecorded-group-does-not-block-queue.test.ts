/**
 * Regression (session 37): a group whose load into the warehouse committed but whose recording (its `ingest_batches`
 * rows) kept failing was applied again every 5 s without end — `groupIngestCommitted(…).catch(() => true)`, then the
 * same group again — and every batch acknowledged after it waited behind it for ever (`drain` never resolved, the
 * backlog grew until the server answered 503). Now the recording is tried again a bounded number of times, after
 * growing pauses (`recordRetryDelaysMs`, here 0 so that the test waits on no clock), then the group is left in the
 * write-ahead log, reported (the server log, `GET /api/ingest/status` → `unrecordedGroups`) and the queue goes on;
 * the next start records it from its load (`#recoverCommittedGroups`), not loading it again. On the code before the fix
 * this test does not fail an assertion, it hangs in `drain` until the run's timeout ends it.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import type { Keyring } from '../../src/privacy/keys/keyring.js';
import { IngestQueue } from '../../src/server/ingest/ingest-queue.js';
import { normaliseBatch } from '../../src/server/ingest/normalise-batch.js';
import { writeAheadLogFolder } from '../../src/server/ingest/wal-folder.js';
import { WriteAheadLog } from '../../src/server/ingest/write-ahead-log.js';
import { createServerContext } from '../../src/server/open-server-context.js';
import { scratchDir } from '../helpers/warehouse.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const view = (id: string, minute: number, ts = `2026-10-01T10:${String(minute).padStart(2, '0')}:00Z`) => ({ customer_id: id, ts, type: 'view', product_id: 'P1' });
const actor = 'loader (token)';

/** Appends events batches b000, b001, … to the log as a server acknowledges them (then stops before applying them). */
async function acknowledge(walDir: string, keyring: Keyring, batches: readonly Record<string, unknown>[][]): Promise<void> {
  const { log } = await WriteAheadLog.open(walDir, { keyring });
  for (const [i, records] of batches.entries()) {
    const b = normaliseBatch(records, 'events');
    await log.append({ id: `b00${i}`, kind: 'events', idempotencyKey: null, receivedAt: '2026-10-01T10:30:00.000Z', actor, role: 'analyst', body: b.ndjson, records: b.records, fields: b.fields });
  }
  await log.close();
}

/** The state, whose recording of batch `batchId` fails every time (a row the state's file refuses, a disk error that stays). */
function failingToRecord(state: Warehouse, batchId: string, attempts: { n: number }): Warehouse {
  return new Proxy(state, {
    get(target, property) {
      if (property === 'execute') {
        return (sql: string) => {
          if (sql.startsWith('INSERT INTO ingest_batches') && sql.includes(`'${batchId}'`)) {
            attempts.n++;
            return Promise.reject(new Error('IO Error: could not write the file'));
          }
          return target.execute(sql);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('a group loaded whose recording keeps failing', () => {
  it('is tried again a bounded number of times, reported, left in the log for the next start, and the queue goes on', async () => {
    const dir = scratchDir('clvkit-unrecorded-group-');
    dirs.push(dir);
    const db = join(dir, 'shop.duckdb');
    const { warehouse, keyring } = await openKeyedWarehouse({ db, create: true, requireKey: true });
    const walDir = writeAheadLogFolder(db);
    try {
      // b000 (2 records, line 2's date unreadable) and b001: a group each (at most 2 records a group)
      await acknowledge(walDir, keyring!, [[view('ann', 1), view('amy', 2, 'not a date')], [view('ben', 3)]]);
      const attempts = { n: 0 };
      const errors: { object: unknown; message: string | undefined }[] = [];
      const log = { info: () => undefined, warn: () => undefined, error: (object: object | string, message?: string) => void errors.push({ object, message }) };
      const context = createServerContext({ warehouse, state: failingToRecord(warehouse, 'b000', attempts), dbPath: db, keyring: keyring!, log });
      const { queue } = await IngestQueue.open(context, { walDir, maxGroupRecords: 2, recordRetryDelaysMs: [0, 0, 0] });
      await queue.drain(); // hung here: b000's group tried again every 5 s, b001 waiting behind it
      expect(attempts.n).toBe(4); // the first recording, then one for each of the 3 pauses
      // the queue went on: b001 loaded and recorded
      const recorded = async () => (await warehouse.query('SELECT batch_id, accepted, quarantined FROM ingest_batches ORDER BY batch_id')).map((r) => [r.batch_id, Number(r.accepted), Number(r.quarantined)]);
      expect(await recorded()).toEqual([['b001', 1, 0]]);
      const ingests = async () => (await warehouse.query("SELECT source FROM ingests WHERE source LIKE 'api-%' ORDER BY ingest_id")).map((r) => r.source);
      expect(await ingests()).toEqual(['api-events-b000-b000.ndjson', 'api-events-b001-b001.ndjson']); // b000 loaded once
      // reported: the status and the server log say which group, that its rows are in the warehouse, and how it is settled
      expect(queue.stats).toMatchObject({ pendingBatches: 0, pendingRecords: 0, appliedBatches: 1 }); // b000 left, not applied
      expect(queue.stats.unrecordedGroups).toEqual([
        {
          source: 'api-events-b000-b000.ndjson',
          firstBatch: 'b000',
          lastBatch: 'b000',
          batches: 1,
          records: 2,
          attempts: 4,
          status: expect.stringMatching(/^loaded into the warehouse \(ingest api-events-b000-b000\.ndjson\), its batches not recorded: .*IO Error: could not write the file.*; kept in the write-ahead log, the next start of the server records them from that load/),
        },
      ]);
      expect(errors.filter((e) => e.message === 'ingested batches left in the write-ahead log for the next start')).toHaveLength(1);
      await queue.close();

      // nothing lost: the next start (the state writable again) records b000 from its load, not loading it again
      const again = await IngestQueue.open(createServerContext({ warehouse, dbPath: db, keyring: keyring! }), { walDir });
      expect(again.replayed).toBe(0);
      await again.queue.drain();
      await again.queue.close();
      expect(await recorded()).toEqual([['b000', 1, 1], ['b001', 1, 0]]);
      expect(await ingests()).toEqual(['api-events-b000-b000.ndjson', 'api-events-b001-b001.ndjson']);
      expect(Number((await warehouse.query('SELECT count(*) AS n FROM events'))[0]!.n)).toBe(2);
      expect(again.queue.stats.unrecordedGroups).toEqual([]);
    } finally {
      await warehouse.close();
    }
  }, 60_000);
});
