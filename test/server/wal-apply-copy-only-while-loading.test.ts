/**
 * The one clear copy of acknowledged batches the ingest write-ahead log makes: the group being applied, written to
 * `apply/` because the ingest reads a file (DuckDB's reader, the file's hash). Regression (session 36's review): it was
 * removed only after the group's batches were recorded applied — a statement on the warehouse after the load, which can
 * wait on the warehouse (and a kill there left it). It is now removed as soon as the load returns or fails, before
 * anything else. Guarded beside it: a copy a kill left is removed by `clvkit erase` (the next start's removal is
 * guarded by write-ahead-log-holds-no-readable-pii).
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { eraseFromWriteAheadLog } from '../../src/server/ingest/erase-from-write-ahead-log.js';
import { IngestQueue, type ApplyFile } from '../../src/server/ingest/ingest-queue.js';
import { normaliseBatch } from '../../src/server/ingest/normalise-batch.js';
import { createServerContext } from '../../src/server/open-server-context.js';
import { scratchDir } from '../helpers/warehouse.js';

const views = normaliseBatch([{ customer_id: 'jane.roe@example.com', ts: '2026-10-01T10:00:00Z', type: 'view', product_id: 'P1' }], 'events');

describe("the apply/ copy of a group is kept only while it loads", () => {
  it('is gone before the group is recorded applied', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    const walDir = `${db}.ingest-wal`;
    const { warehouse, keyring } = await openKeyedWarehouse({ db, create: true, requireKey: true });
    try {
      const loaded: string[][] = [];
      const recorded: string[][] = [];
      const applyDir = join(walDir, 'apply');
      const execute = warehouse.execute.bind(warehouse);
      warehouse.execute = (async (sql: string, ...rest: unknown[]) => {
        if (sql.includes('INSERT INTO ingest_batches')) recorded.push(readdirSync(applyDir));
        return (execute as (...a: unknown[]) => Promise<unknown>)(sql, ...rest);
      }) as typeof warehouse.execute;
      const applyFile: ApplyFile = async (file) => {
        loaded.push(readdirSync(applyDir).filter((name) => join(applyDir, name) === file));
        return { ingestId: null };
      };
      const context = createServerContext({ warehouse, dbPath: db, keyring: keyring! });
      const { queue } = await IngestQueue.open(context, { walDir, applyFile });
      await queue.submit({ kind: 'events', ndjson: views.ndjson, records: views.records, fields: views.fields, idempotencyKey: null, actor: 'loader (token)', role: 'analyst' });
      await queue.drain();
      await queue.close();
      expect(loaded.map((names) => names.length)).toEqual([1]); // there while it loads
      expect(recorded).toEqual([[]]); // gone once it is loaded, before the batches are recorded
    } finally {
      await warehouse.close();
    }
  });

  it('a copy a kill left is removed by erase', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    const walDir = `${db}.ingest-wal`;
    mkdirSync(join(walDir, 'apply'), { recursive: true });
    writeFileSync(join(walDir, 'apply', 'api-events-b1-b1.ndjson'), views.ndjson);
    const keyring = keyringFromKey(generateKey());
    await eraseFromWriteAheadLog(db, [], keyring);
    expect(existsSync(join(walDir, 'apply'))).toBe(false);
  });
});
