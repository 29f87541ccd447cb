/**
 * Regression (found while testing the write-ahead log's encryption, session 35): when the warehouse went away
 * (`abandon`: its thread died) with more than one group waiting — events and orders, say — the applier's `finally`
 * started it again for the groups still waiting, it stopped at once (abandoned), and started again: a loop of promise
 * callbacks that never yielded to the event loop. `close` never ended, and the server, which was to exit with code 1
 * for a supervisor to start it again, hung at full CPU. On the code before the fix this test does not fail, it hangs
 * (no timer can fire): the run's own timeout ends it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { IngestQueue, type ApplyFile } from '../../src/server/ingest/ingest-queue.js';
import { normaliseBatch } from '../../src/server/ingest/normalise-batch.js';
import { createServerContext } from '../../src/server/open-server-context.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the ingest queue abandoned with groups waiting', () => {
  it('closes, and the next start applies every acknowledged batch once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clvkit-abandon-'));
    dirs.push(dir);
    const walDir = join(dir, 'wal');
    const { warehouse, keyring } = await openKeyedWarehouse({ db: join(dir, 'shop.duckdb'), create: true, requireKey: true });
    const context = createServerContext({ warehouse, dbPath: join(dir, 'shop.duckdb'), keyring: keyring! });
    try {
      let fail!: (error: Error) => void;
      let entered!: () => void;
      const applying = new Promise<void>((resolve) => (entered = resolve));
      const stalled: ApplyFile = () => new Promise((_, reject) => ((fail = reject), entered()));
      const first = await IngestQueue.open(context, { walDir, applyFile: stalled });
      // two groups: a kind each
      const events = normaliseBatch([{ customer_id: 'c1', ts: '2026-10-01T10:00:00Z', type: 'view', product_id: 'P1' }], 'events');
      const orders = normaliseBatch([{ order_id: 'o1', customer_id: 'c1', date: '2026-10-01', product_id: 'P1', quantity: 1, unit_price: 3 }], 'orders');
      await first.queue.submit({ ...events, kind: 'events', idempotencyKey: null, actor: 'loader (token)', role: 'analyst' });
      await first.queue.submit({ ...orders, kind: 'orders', idempotencyKey: null, actor: 'loader (token)', role: 'analyst' });
      await applying;
      first.queue.abandon(); // the warehouse thread died
      fail(new Error('the warehouse thread stopped'));
      await first.queue.close();
      expect(first.queue.stats).toMatchObject({ pendingBatches: 2, appliedBatches: 0, failedGroups: 0 }); // nothing set aside

      const second = await IngestQueue.open(context, { walDir });
      expect(second.replayed).toBe(2);
      await second.queue.drain();
      await second.queue.close();
      const rows = async (table: string) => Number((await warehouse.query(`SELECT count(*) AS n FROM ${table}`))[0]!.n);
      expect([await rows('events'), await rows('transactions'), await rows('ingest_batches')]).toEqual([1, 1, 2]);
    } finally {
      await warehouse.close();
    }
  });
});
