/**
 * The lines `clvkit erase` took out of a batch while it waited in the ingest write-ahead log (wal-records.ts `erased`;
 * erase-from-write-ahead-log.ts). The batch was acknowledged with them, so its `ingest_batches` row counts them as
 * quarantined (received = accepted + quarantined); each is also a `quarantine` row, so that the table accounts for the
 * count as it does for every other quarantined line: reason `erased_customer` (as a line of an erased customer sent
 * after the erasure), source `api-<kind>-<batch>.erased-before-load`, line the n-th line taken out of that batch, the
 * ingest of the group the batch was applied in (0 when nothing of the group was loaded: every line taken out, or the
 * batch set aside) — and nothing of the line: no text, detail, token or date (the log no longer holds them, and an
 * erased customer's data must not come back). Without a date or a real ingest to age by, a row of ingest 0 is not
 * purged by retention; it holds nothing personal.
 */
import type { Warehouse } from '../../engine/warehouse.js';
import type { WalBatch } from './wal-records.js';
import { appendErasedPlaces } from '../../privacy/warehouse/erased-quarantine-places.js';

const SUFFIX = '.erased-before-load';

/** The `quarantine.source` of the lines taken out of `batch` before it was loaded. */
export function erasedBeforeLoadSource(batch: Pick<WalBatch, 'kind' | 'id'>): string {
  return `api-${batch.kind}-${batch.id}${SUFFIX}`;
}

/** SQL condition: a quarantine row that is not one of these (the rows an ingest itself quarantined). */
export const NOT_ERASED_BEFORE_LOAD = `source NOT LIKE '%${SUFFIX}'`;

/**
 * Writes a quarantine row for each of `lines[i]` lines taken out of `batches[i]` before its load (see the file
 * header), under `ingestId`; a batch that has such rows already (a crash after they were written, before the batch was
 * recorded: the next start records it again) gets none again.
 */
export async function quarantineErasedBeforeLoad(warehouse: Warehouse, batches: readonly WalBatch[], lines: readonly number[], ingestId: number | null): Promise<void> {
  const wanted = batches.map((batch, i) => ({ source: erasedBeforeLoadSource(batch), n: lines[i] ?? 0 })).filter((w) => w.n > 0);
  if (wanted.length === 0) return;
  const d = warehouse.dialect;
  const held = new Set((await warehouse.query(`SELECT DISTINCT source FROM quarantine WHERE source IN (${wanted.map((w) => d.literal(w.source)).join(', ')})`)).map((r) => String(r.source)));
  await appendErasedPlaces(warehouse, wanted.filter((w) => !held.has(w.source)).flatMap((w) => Array.from({ length: w.n }, (_, k) => ({ ingestId: ingestId ?? 0, source: w.source, line: k + 1 }))));
}

/**
 * The lines each batch of a group had when the group was loaded, from the `rows_read` of its ingest: a group recorded
 * at start-up after a crash (its load committed, its batches not yet recorded) may have lost lines to an erase since —
 * they were loaded, then erased from the warehouse with the rest of the customer's rows. `rows_read` minus the lines
 * the log still holds is how many of the `erased` lines were loaded; the others were taken out before the load. When
 * a group has both (an erase before the load and another after it, a crash between), which batch lost which is not
 * known: the loaded ones are given to the first batches that can have them (each batch's total stays right).
 */
export function linesLoaded(group: readonly WalBatch[], rowsRead: number): number[] {
  const held = group.reduce((sum, b) => sum + b.records, 0);
  let erasedSinceLoad = Number.isFinite(rowsRead) ? Math.max(0, rowsRead - held) : 0;
  return group.map((b) => {
    const since = Math.min(b.erased ?? 0, erasedSinceLoad);
    erasedSinceLoad -= since;
    return b.records + since;
  });
}
