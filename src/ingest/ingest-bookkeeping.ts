/**
 * Bookkeeping every kind of ingested file shares: the file's SHA-256 and the
 * lookup that makes an ingest idempotent per content (`identifyFile`), the
 * next ingest id, the engine's insertion-order setting, and the closing
 * record in `ingests` and the audit log (`recordIngest`).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Warehouse } from '../engine/warehouse.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import { emptyRuleCounts, type FirstIngest, type IngestFileReport } from './ingest-report.js';
import type { SourceInspection } from './inspect-source.js';
import { aKindFile, type SourceKind } from './source-kind.js';
import type { IngestProtection } from './ingest-protection.js';
import { recordAudit } from '../privacy/warehouse/warehouse-audit.js';
import type { JsonValue } from '../privacy/warehouse/canonical-json.js';
import { heldIngestRecordOf } from '../engine/dropped-ingests.js';
import { UserError } from '../core/errors/user-error.js';
import { readingOptionsNotApplied, type ReadingOptions } from './held-file-reading.js';
import { peekSourceColumns } from './peek-source-columns.js';

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

/** What a file's report starts from, and the report of a file already held (nothing added), or null. */
export interface FileIdentity {
  readonly sha256: string;
  readonly base: { readonly kind: SourceKind; readonly source: string; readonly sha256: string; readonly format: SourceInspection['format']; readonly encoding: string };
  readonly privacyBase: { readonly customerIds: 'tokens' | 'as given'; readonly rootKeyId: string | null };
  readonly held: IngestFileReport | null;
}

/** What the ingest of a file asks of it (`IngestOptions`): the kind, when it was given, and the reading options. */
export interface FileAsked extends ReadingOptions {
  /** given (not detected): a file held already as another kind is refused */
  readonly kind?: SourceKind;
}

/**
 * Hashes the file and looks it up in `ingests`: a file already held is
 * reported as such and adds nothing (re-ingest costs one read of the file),
 * as the kind it is held as — or, when the ingest was given another kind
 * (`asked.kind`), refused: a transaction file passed as events was reported
 * "already ingested" and no event was read. The report of a file held names
 * the reading options given now that differ from those it was read with
 * (`optionsNotApplied`). An ingest dropped since (`dropped_ingests`) holds it
 * no more: the file is read again, under a new ingest id.
 */
export async function identifyFile(warehouse: Warehouse, source: SourceInspection, kind: SourceKind, keyring: Keyring | null, started: number, asked: FileAsked = {}): Promise<FileIdentity> {
  const sha256 = await sha256File(source.path);
  const previous = await heldIngestRecordOf(warehouse, sha256);
  const then = previous === null ? null : heldReport(previous.report);
  const heldKind = then?.kind ?? 'transactions';
  if (previous !== null && asked.kind !== undefined && heldKind !== asked.kind) {
    throw new UserError(
      `${source.path} is held already as ${aKindFile(heldKind)} (ingest ${previous.ingestId}, the same content by SHA-256), not as ${aKindFile(asked.kind)}`,
      `if it was given by mistake, give ${aKindFile(asked.kind)} instead; to read it as ${aKindFile(asked.kind)}, drop ingest ${previous.ingestId} first (clvkit ingests drop ${previous.ingestId} --role admin), then ingest it again`,
    );
  }
  const base = { kind: previous === null ? kind : heldKind, source: source.path, sha256, format: source.format, encoding: source.encoding };
  const privacyBase = { customerIds: keyring ? ('tokens' as const) : ('as given' as const), rootKeyId: keyring?.rootKeyId ?? null };
  const held: IngestFileReport | null = previous !== null
    ? {
        ...base, alreadyIngested: true, ingestId: previous.ingestId, delimiter: null, hasHeader: false, mapping: {}, mappingOrigin: {},
        dateFormats: [], rowsRead: 0, accepted: 0, quarantined: 0, rules: emptyRuleCounts(), returns: 0, outliersFlagged: 0,
        warnings: [], privacy: { ...privacyBase, piiStored: [], newCustomers: 0, quarantineEncrypted: keyring !== null }, elapsedMs: Date.now() - started,
        optionsNotApplied: readingOptionsNotApplied(then ?? {}, asked, await peekSourceColumns(warehouse, source)),
        ...firstIngestOf(previous, then ?? {}),
      }
    : null;
  return { sha256, base, privacyBase, held };
}

/** What the ingest holding a file read, and when (`firstIngest`); nothing when its recorded report has no counts (a cluster's placeholder `{}`). */
function firstIngestOf(previous: { readonly ingestId: number; readonly startedAt: string }, then: Partial<IngestFileReport>): { firstIngest?: FirstIngest } {
  const { rowsRead, accepted, quarantined } = then;
  if (typeof rowsRead !== 'number' || typeof accepted !== 'number' || typeof quarantined !== 'number') return {};
  return { firstIngest: { ingestId: previous.ingestId, ingestedAt: previous.startedAt, rowsRead, accepted, quarantined } };
}

/** The report an ingest recorded (its JSON), as far as it can be read: `{}` for one that cannot (a cluster's placeholder). */
function heldReport(json: string): Partial<IngestFileReport> {
  try {
    const report: unknown = JSON.parse(json);
    return report !== null && typeof report === 'object' ? (report as Partial<IngestFileReport>) : {};
  } catch {
    return {};
  }
}

/** What `recordIngest` writes: the ingest row and, with a key, its audit entry. */
export interface IngestRecord {
  readonly ingestId: number;
  readonly sourceName: string;
  readonly sha256: string;
  readonly ingestTimeIso: string;
  readonly report: IngestFileReport;
  /** the audit entry's row counts and details (per kind of file) */
  readonly rowCounts: Readonly<Record<string, number>>;
  readonly details: { readonly [key: string]: JsonValue };
}

/** The last step of every file's ingest: its row in `ingests` (the report as JSON) and, in a keyed warehouse, the audit entry. */
export async function recordIngest(warehouse: Warehouse, protection: IngestProtection, record: IngestRecord): Promise<void> {
  const d = warehouse.dialect;
  const { report } = record;
  await warehouse.execute(
    `INSERT INTO ingests VALUES (${record.ingestId}, ${d.literal(record.sourceName)}, ${d.literal(record.sha256)}, ${d.timestamp(record.ingestTimeIso)}, ${report.rowsRead}, ${report.accepted}, ${report.quarantined}, ${d.literal(JSON.stringify(report))})`,
  );
  if (protection.keyring) {
    await recordAudit(warehouse, protection.keyring, protection.access, { action: 'ingest', target: `file:${record.sourceName}`, rowCounts: record.rowCounts, details: record.details });
  }
}
