/**
 * `clvkit ingest --replace`: a file the warehouse holds already (the same
 * content, by SHA-256 — what makes it "already ingested") is read again with
 * the options given: the ingest that holds it is dropped (`dropIngest`) and
 * the file ingested anew, both in one DuckDB transaction — all or nothing: a
 * new read that fails (no date readable, a refusal) leaves the earlier ingest
 * as it was.
 */
import { basename } from 'node:path';
import type { Warehouse } from '../engine/warehouse.js';
import { UserError } from '../core/errors/user-error.js';
import { heldIngestOf, NOT_DROPPED } from '../engine/dropped-ingests.js';
import { warehouseFlags } from '../engine/warehouse-flags.js';
import { resolveAccess } from '../privacy/access/access.js';
import { assertCan } from '../privacy/access/rbac.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import { dropInTransaction, type DroppedIngest } from './drop-ingest.js';
import { sha256File } from './ingest-bookkeeping.js';
import { ingestFiles, transactionsMixWarning, type IngestOptions } from './ingest-files.js';
import { combineIngestReports, type IngestFileReport, type IngestReport } from './ingest-report.js';
import { inspectSource } from './inspect-source.js';
import { nameFilesAdded } from './name-files-added.js';

export interface ReplaceResult {
  /** the ingest report of the files read (as `ingestFiles` gives it), with a warning per file there was nothing to replace for */
  readonly report: IngestReport;
  /** the ingests dropped, one per file held before */
  readonly replaced: readonly DroppedIngest[];
}

/**
 * Ingests `paths` one file at a time, each replacing the ingest that holds the same content: dropped and read again
 * in one transaction. A file no ingest holds is ingested as new (the report says there was nothing to replace) — unless
 * an ingest holds a file of the same name with other content: that is refused (one line), since replacing by name
 * could drop another export of the same name; drop it by its id first (`clvkit ingests drop ID`) if this file
 * replaces it. Once every file is read, the report says whether the warehouse now mixes files with and without order
 * values, as `ingestFiles` does (once, not per file). Requires `drop_ingest` and `ingest` (admin), checked before
 * anything is read.
 *
 * Example: `await ingestFilesReplacing(wh, ['orders.csv'], { keyring, role: 'admin', dateFormats: ['%d/%m/%Y %H:%M'] })` → `{ replaced: [{ ingestId: 1, … }], report: { files: [{ ingestId: 2, … }], … } }`
 */
export async function ingestFilesReplacing(warehouse: Warehouse, paths: readonly string[], options: IngestOptions & { readonly keyring: Keyring }): Promise<ReplaceResult> {
  const role = resolveAccess(options).role;
  assertCan(role, 'drop_ingest');
  assertCan(role, 'ingest');
  for (const path of paths) inspectSource(path); // a missing file fails before anything is dropped
  const files: IngestFileReport[] = [];
  const replaced: DroppedIngest[] = [];
  const warnings: string[] = [];
  const d = warehouse.dialect;
  // the reports kept are the files' (`files`): the warehouse-wide warning is asked once, after the last file
  const eachFile = { ...options, mixedOrderValuesWarning: false };
  for (const path of paths) {
    try {
      const sha256 = await sha256File(path);
      const held = await heldIngestOf(warehouse, sha256);
      if (held === null) {
        const name = basename(path);
        const [sameName] = await warehouse.query(`SELECT ingest_id FROM ingests WHERE source = ${d.literal(name)} AND ${NOT_DROPPED} ORDER BY ingest_id DESC LIMIT 1`);
        if (sameName) {
          const id = Number(sameName.ingest_id);
          throw new UserError(
            `--replace: no ingest holds the content of ${name}; ingest ${id} holds a file of the same name with other content, which --replace does not drop (it replaces the same content only); nothing of this file was added`,
            `if this file replaces it, drop that ingest first (clvkit ingests drop ${id} ${warehouseFlags(warehouse)} --role admin), then ingest this file`,
          );
        }
        const report = await ingestFiles(warehouse, [path], eachFile);
        files.push(...report.files);
        warnings.push(`--replace: no ingest held ${name}: it was ingested as a new file`);
        continue;
      }
      const done = await warehouse.transaction(async () => {
        const dropped = await dropInTransaction(warehouse, held, { ...options, reason: 'replace' });
        const report = await ingestFiles(warehouse, [path], eachFile);
        return { dropped, report };
      });
      await warehouse.execute('CHECKPOINT');
      replaced.push(done.dropped);
      files.push(...done.report.files.map((file) => ({ ...file, warnings: [`replaces ingest ${done.dropped.ingestId} of the same file (${done.dropped.rows.toLocaleString('en-US')} rows dropped)`, ...done.dropped.warnings, ...file.warnings] })));
    } catch (error) {
      throw nameFilesAdded(error, files, path); // the files before it stay replaced: say which
    }
  }
  const report = combineIngestReports(files, options.map);
  // the warehouse as it is now, as a plain ingest says it: whether it mixes files with and without order values
  const mixed = options.mixedOrderValuesWarning === false ? null : await transactionsMixWarning(warehouse, files);
  return { report: { ...report, warnings: [...(report.warnings ?? []), ...(mixed ? [mixed] : []), ...warnings] }, replaced };
}
