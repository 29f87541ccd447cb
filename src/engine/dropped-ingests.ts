/**
 * The record of dropped ingests (`dropped_ingests`, schema migration 13): one
 * row per ingest whose rows `dropIngest` removed, on either engine. The
 * ingest's `ingests` row stays — ingest ids are never reused, and the audit
 * log names them — but an `ingests` row whose id is recorded here no longer
 * marks its file as held: the same content can be ingested again (with other
 * reading options) and gets a new id.
 */
import type { Warehouse } from './warehouse.js';

export const DROPPED_INGESTS = 'dropped_ingests';

/** The condition (on `ingests`) of the ingests not dropped: their files are held. */
export const NOT_DROPPED = `ingest_id NOT IN (SELECT ingest_id FROM ${DROPPED_INGESTS})`;

/** Records `ingestId` as dropped at `at` (once its rows are gone). */
export async function recordDroppedIngest(warehouse: Warehouse, ingestId: number, at: Date): Promise<void> {
  await warehouse.append(DROPPED_INGESTS, { ingest_id: [ingestId], dropped_at: [at] });
}

/** When `ingestId` was dropped, or null when it was not. */
export async function droppedAt(warehouse: Warehouse, ingestId: number): Promise<Date | null> {
  const [row] = await warehouse.query(`SELECT dropped_at FROM ${DROPPED_INGESTS} WHERE ingest_id = ${Math.trunc(ingestId)} ORDER BY dropped_at LIMIT 1`);
  return row?.dropped_at instanceof Date ? row.dropped_at : null;
}

/** The `ingests` row of the ingest that holds a file of this content (its SHA-256): the first not dropped, by id. */
function heldIngestSql(warehouse: Warehouse, sha256: string, columns: string): string {
  return `SELECT ${columns} FROM ingests WHERE file_sha256 = ${warehouse.dialect.literal(sha256)} AND ${NOT_DROPPED} ORDER BY ingest_id LIMIT 1`;
}

/** The ingest that holds a file of this content (its SHA-256) and was not dropped — the first, by id — or null. */
export async function heldIngestOf(warehouse: Warehouse, sha256: string): Promise<number | null> {
  const [row] = await warehouse.query(heldIngestSql(warehouse, sha256, 'ingest_id'));
  return row ? Number(row.ingest_id) : null;
}

/** The same ingest (`heldIngestOf`) with its report as it recorded it (the JSON text of the file's report) and when it started (ISO, UTC), or null. */
export async function heldIngestRecordOf(warehouse: Warehouse, sha256: string): Promise<{ readonly ingestId: number; readonly report: string; readonly startedAt: string } | null> {
  const [row] = await warehouse.query(heldIngestSql(warehouse, sha256, 'ingest_id, report, started_at'));
  if (!row) return null;
  const startedAt = row.started_at instanceof Date ? row.started_at.toISOString() : String(row.started_at);
  return { ingestId: Number(row.ingest_id), report: String(row.report), startedAt };
}
