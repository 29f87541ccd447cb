/**
 * Ingest into a ClickHouse cluster. Each file is read, mapped, cleaned and
 * protected exactly as for DuckDB — by `ingestFiles`, in a private in-memory
 * DuckDB on this machine — so customer ids are HMAC tokens and personal data
 * AES-GCM envelopes **before any row reaches the cluster**. The file's rows
 * are then copied to the cluster's sharded tables as one group
 * (`copyIngestToClickHouse`: every table staged and count-checked, then the
 * partitions attached, `ingests` last, which marks the file as held; the
 * copy is marked in `ingest_copies` while it runs, and the rows of a copy
 * that stopped half-way are discarded before the next file): a file already
 * held (same SHA-256) adds nothing. A file's ingest id is above every id the
 * cluster's tables hold, also ids of rows loaded by other means (which are
 * kept as they are).
 *
 * Not the same as DuckDB: duplicates are found within the file only (not
 * against rows the cluster already holds), and the audit log stays with the
 * run (the cluster gets no audit entries yet).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { openDuckDbWarehouse } from '../engine/duckdb-warehouse.js';
import type { ClickHouseWarehouse } from '../engine/clickhouse/clickhouse-warehouse.js';
import { createTableIfMissing } from '../engine/clickhouse/copy-table-to-clickhouse.js';
import { COPY_MARKERS, copyIngestToClickHouse, discardInterruptedCopies } from '../engine/clickhouse/copy-ingest-to-clickhouse.js';
import { UserError } from '../core/errors/user-error.js';
import { ingestFiles, type IngestOptions } from './ingest-files.js';
import { combineIngestReports, type IngestFileReport, type IngestReport } from './ingest-report.js';

/** The tables an ingest fills, in the order they are copied (`ingests` last: it marks the file as held). */
const INGESTED_TABLES = ['transactions', 'quarantine', 'customers', 'customer_reid', 'events', 'ingests'] as const;
/** The tables whose rows carry the ingest id that loaded them. */
const INGEST_ID_TABLES = INGESTED_TABLES.filter((table) => table !== 'customer_reid');

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Ingest files into the cluster, one file at a time; the report is the one `ingestFiles` gives. */
export async function ingestFilesToClickHouse(cluster: ClickHouseWarehouse, paths: readonly string[], options: IngestOptions = {}): Promise<IngestReport> {
  if (!options.keyring) {
    throw new UserError('ingest into ClickHouse needs a key: customer ids are tokenised before the data leaves this machine', 'pass --key-file <path> or set CLVKIT_KEY (clvkit keys init --key-file <path> creates one)');
  }
  const files: IngestFileReport[] = [];
  for (const path of paths) {
    const local = await openDuckDbWarehouse(':memory:', { threads: 2 });
    try {
      for (const table of [...INGESTED_TABLES, COPY_MARKERS]) await createTableIfMissing(local, cluster, table);
      // a copy that stopped half-way is discarded before the cluster is asked what it holds (its `ingests` row may be
      // there); here only: copyIngestToClickHouse relies on it
      await discardInterruptedCopies(cluster, INGESTED_TABLES);
      const sha256 = await sha256File(path);
      const [held] = await cluster.query(`SELECT ingest_id FROM ingests WHERE file_sha256 = ${cluster.dialect.literal(sha256)} LIMIT 1`);
      // above every id in use, also those of rows loaded by other means (not in `ingests`): an id is one ingest's rows only
      const [next] = await cluster.query(`SELECT COALESCE(max(id), 0) + 1 AS id FROM (${INGEST_ID_TABLES.map((table) => `SELECT max(ingest_id) AS id FROM ${table}`).join(' UNION ALL ')}) ids`);
      // A placeholder row tells the local ingest what the cluster holds: the next ingest id (so ids stay unique
      // there), or this very file (so it is reported as already ingested and nothing is added).
      const placeholderId = held ? Number(held.ingest_id) : Number(next!.id) - 1;
      await local.execute(
        `INSERT INTO ingests (ingest_id, source, file_sha256, started_at, rows_read, accepted, quarantined, report) VALUES (${placeholderId}, '(cluster)', ${local.dialect.literal(held ? sha256 : '')}, now(), 0, 0, 0, '{}')`,
      );
      const report = await ingestFiles(local, [path], options);
      await local.execute(`DELETE FROM ingests WHERE source = '(cluster)'`);
      files.push(...report.files);
      if (report.files.every((file) => file.alreadyIngested)) continue;
      await copyIngestToClickHouse(local, cluster, INGESTED_TABLES);
    } finally {
      await local.close();
    }
  }
  return combineIngestReports(files, options.map);
}
