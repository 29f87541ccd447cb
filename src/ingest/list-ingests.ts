/**
 * The warehouse's ingests, one per file read (`clvkit ingests list`): what
 * each brought, how its dates were read, how many of its rows are held now,
 * and whether it was dropped — what a data engineer looks at before
 * dropping one (`dropIngest`).
 */
import type { Warehouse } from '../engine/warehouse.js';
import { DROPPED_INGESTS } from '../engine/dropped-ingests.js';
import { resolveAccess, type AccessOptions } from '../privacy/access/access.js';
import { assertCan } from '../privacy/access/rbac.js';
import { ingestedFileOf, ingestRecordOf, INGEST_ROW_TABLES, type IngestedFile } from './drop-ingest-plan.js';

export interface IngestListing extends IngestedFile {
  readonly rowsRead: number;
  readonly accepted: number;
  readonly quarantined: number;
  /** how its dates were read (`%d/%m/%Y %H:%M`, `iso`…) */
  readonly dateFormats: readonly string[];
  /** its rows held now per table (`transactions`, `events`, `customers`: profiles it last wrote, `quarantine`); none once dropped */
  readonly held: Readonly<Record<string, number>>;
  /** when it was dropped (ISO), or null */
  readonly droppedAt: string | null;
}

/**
 * Every ingest of the warehouse, oldest first, with its rows held now and its drop. Requires `view_aggregates`
 * (counts, file names and paths only).
 *
 * Example: `await listIngests(wh, { role: 'analyst' })` → `[{ ingestId: 1, source: 'orders.csv', path: 'data/orders.csv', kind: 'transactions', accepted: 990, held: { transactions: 990, quarantine: 10 }, droppedAt: null, … }]`
 */
export async function listIngests(warehouse: Warehouse, options: AccessOptions = {}): Promise<IngestListing[]> {
  assertCan(resolveAccess(options).role, 'view_aggregates');
  const rows = await warehouse.query('SELECT ingest_id, source, file_sha256, started_at, rows_read, accepted, quarantined, report FROM ingests ORDER BY ingest_id');
  const held = new Map<number, Record<string, number>>();
  for (const table of INGEST_ROW_TABLES) {
    for (const row of await warehouse.query(`SELECT ingest_id, count(*) AS n FROM ${table} WHERE ingest_id IS NOT NULL GROUP BY ingest_id`)) {
      const id = Number(row.ingest_id);
      held.set(id, { ...held.get(id), [table]: Number(row.n) });
    }
  }
  const dropped = new Map<number, string>();
  for (const row of await warehouse.query(`SELECT ingest_id, dropped_at FROM ${DROPPED_INGESTS} ORDER BY dropped_at`)) {
    const id = Number(row.ingest_id);
    if (!dropped.has(id)) dropped.set(id, row.dropped_at instanceof Date ? row.dropped_at.toISOString() : String(row.dropped_at));
  }
  return rows.map((row) => {
    const ingest = ingestRecordOf(row);
    return {
      ...ingestedFileOf(ingest),
      rowsRead: ingest.rowsRead,
      accepted: ingest.accepted,
      quarantined: ingest.quarantined,
      dateFormats: ingest.report.dateFormats ?? [],
      held: held.get(ingest.ingestId) ?? {},
      droppedAt: dropped.get(ingest.ingestId) ?? null,
    };
  });
}
