/**
 * The ingest that holds a group's lines when the ingest of the group's file answered "already ingested" (nothing
 * added): its batches are counted from that ingest's quarantine, as for a group loaded now. First the ingest named
 * after the group (`api-<kind>-<first>-<last>.ndjson`): the group's own load, committed before its file was applied
 * again — on a cluster, a retry after the answer to a committed copy was lost. Else the ingest holding the same
 * content (SHA-256 of the file: the bodies concatenated, as the queue writes them): a group whose file is, byte for
 * byte, one loaded before (a batch sent again without an Idempotency-Key); its lines were not added again and count
 * as that ingest counted its own. Ingests dropped since (`dropped_ingests`) hold nothing. `groupIngestCommitted` tells
 * the queue, after a group failed, whether its load had committed (then only its recording is to be done again).
 */
import { createHash } from 'node:crypto';
import { heldIngestOf, NOT_DROPPED } from '../../engine/dropped-ingests.js';
import type { Warehouse } from '../../engine/warehouse.js';
import type { WalBatch } from './wal-records.js';

/** Whether an ingest named `source` (a group's file name) committed and was not dropped: the group's lines are loaded. */
export async function groupIngestCommitted(warehouse: Warehouse, source: string): Promise<boolean> {
  return (await warehouse.query(`SELECT ingest_id FROM ingests WHERE source = ${warehouse.dialect.literal(source)} AND ${NOT_DROPPED} LIMIT 1`)).length > 0;
}

/** The ingest of `source` (the group's file name) or, failing that, of the group's content, and the lines it read. */
export async function heldGroupIngest(warehouse: Warehouse, source: string, group: readonly Pick<WalBatch, 'body'>[]): Promise<{ ingestId: number; rowsRead: number }> {
  const [named] = await warehouse.query(`SELECT ingest_id, rows_read FROM ingests WHERE source = ${warehouse.dialect.literal(source)} AND ${NOT_DROPPED} ORDER BY ingest_id LIMIT 1`);
  if (named) return { ingestId: Number(named.ingest_id), rowsRead: Number(named.rows_read) };
  const sha256 = createHash('sha256').update(group.map((b) => b.body).join('')).digest('hex');
  const ingestId = await heldIngestOf(warehouse, sha256);
  if (ingestId === null) throw new Error(`${source} was ingested already, but no ingest holds it by its name or its content`);
  // the same content: it read as many lines as the group holds now
  return { ingestId, rowsRead: Number.NaN };
}
