/**
 * Bookkeeping every kind of ingested file shares: the file's SHA-256 (an
 * ingest is idempotent per content), the next ingest id, and the engine's
 * insertion-order setting around the staging step.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Warehouse } from '../engine/warehouse.js';

/** The steps of one file's ingest, in order, as told to `onStep`. */
export type IngestStep = 'inspect' | 'stage' | 'map' | 'clean' | 'pseudonymise' | 'load-transactions' | 'load-events' | 'load-customers' | 'load-quarantine' | 'record';

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function nextIngestId(warehouse: Warehouse): Promise<number> {
  const [row] = await warehouse.query('SELECT COALESCE(max(ingest_id), 0) + 1 AS id FROM ingests');
  return Number(row!.id);
}

/** DuckDB keeps the rows of a query in insertion order unless told not to; staging and the judging pass rely on it (row position = line). */
export async function setInsertionOrder(warehouse: Warehouse, preserve: boolean): Promise<void> {
  if (warehouse.dialect.name === 'duckdb') await warehouse.execute(`SET preserve_insertion_order = ${preserve}`);
}
