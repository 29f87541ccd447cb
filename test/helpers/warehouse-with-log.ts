/**
 * A warehouse file with customers (the privacy fixture's orders, ingested by the CLI) and, beside it, an ingest
 * write-ahead log holding batches a server acknowledged and stopped before applying: what `clvkit erase` must reach.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import { readKeyFile } from '../../src/privacy/keys/key-file.js';
import { normaliseBatch } from '../../src/server/ingest/normalise-batch.js';
import { WriteAheadLog } from '../../src/server/ingest/write-ahead-log.js';
import { PII_MAP_FLAGS, writePiiOrders } from '../privacy/privacy-fixture.js';
import { cli } from './cli.js';
import { scratchDir } from './warehouse.js';

/** A product view by customer `id` at 10:`minute` on 2026-10-01, as POST /api/events takes it. */
export const view = (id: string, minute: number) => ({ customer_id: id, ts: `2026-10-01T10:${String(minute).padStart(2, '0')}:00Z`, type: 'view', product_id: 'P1' });

/** A warehouse with customers, and a log holding `batches` (b000, b001, …) acknowledged by a server that stopped before applying them. */
export async function warehouseWithLog(batches: readonly { kind: 'events' | 'orders'; records: Record<string, unknown>[] }[]) {
  const dir = scratchDir();
  const db = join(dir, 'wh.duckdb');
  expect((await cli(['ingest', writePiiOrders(dir), '--db', db, ...PII_MAP_FLAGS])).code).toBe(0);
  const keyring = readKeyFile(`${db}.key`);
  const walDir = `${db}.ingest-wal`;
  const { log } = await WriteAheadLog.open(walDir, { keyring });
  for (const [i, { kind, records }] of batches.entries()) {
    const b = normaliseBatch(records, kind);
    await log.append({ id: `b00${i}`, kind, idempotencyKey: `key-${i}`, receivedAt: '2026-10-01T10:30:00.000Z', actor: 'loader (token)', role: 'analyst', body: b.ndjson, records: b.records, fields: b.fields });
  }
  await log.close();
  return { dir, db, keyring, walDir };
}
