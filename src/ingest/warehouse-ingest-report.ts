/**
 * The data quality of what a warehouse holds, for a run that reads no file (`analyze --db X` after `ingest FILE --db
 * X`): its ingests not dropped, each as the report it recorded (`ingests.report`), summed as a run's ingest is
 * (`combineIngestReports`) and marked `fromWarehouse` with their ids — so run.json's `ingest` and the report's data
 * quality section give the rows read, accepted and quarantined by rule of the ingests that built the data analysed,
 * not zeros beside the warehouse's quarantined count.
 */
import { NOT_DROPPED } from '../engine/dropped-ingests.js';
import type { Warehouse } from '../engine/warehouse.js';
import { ingestRecordOf } from './drop-ingest-plan.js';
import { combineIngestReports, emptyRuleCounts, type IngestFileReport, type IngestReport } from './ingest-report.js';

/**
 * The warehouse's ingests (not dropped), oldest first, as one report with `fromWarehouse.ingestIds`; the empty report
 * (no `fromWarehouse`) when it records none.
 *
 * Example: a warehouse of one ingest of orders.csv (1,000 rows, 3 quarantined) → `{ rowsRead: 1000, accepted: 997,
 * quarantined: 3, rules: { missing_customer_id: 2, … }, files: [orders.csv's report], fromWarehouse: { ingestIds: [1] } }`
 */
export async function warehouseIngestReport(warehouse: Warehouse): Promise<IngestReport> {
  const rows = await warehouse.query(`SELECT ingest_id, source, file_sha256, started_at, rows_read, accepted, quarantined, report FROM ingests WHERE ${NOT_DROPPED} ORDER BY ingest_id`);
  if (rows.length === 0) return combineIngestReports([]);
  const files = rows.map((row): IngestFileReport => {
    const ingest = ingestRecordOf(row);
    const r = ingest.report;
    // the row's counts stand (a report unreadable, or of an older version, may lack them)
    return {
      ...r,
      kind: ingest.kind,
      source: r.source ?? ingest.source,
      sha256: ingest.sha256,
      alreadyIngested: false,
      ingestId: ingest.ingestId,
      rowsRead: ingest.rowsRead,
      accepted: ingest.accepted,
      quarantined: ingest.quarantined,
      rules: { ...emptyRuleCounts(), ...r.rules },
      returns: r.returns ?? 0,
      outliersFlagged: r.outliersFlagged ?? 0,
      warnings: r.warnings ?? [],
    } as IngestFileReport;
  });
  return { ...combineIngestReports(files), fromWarehouse: { ingestIds: files.map((f) => f.ingestId!) } };
}
