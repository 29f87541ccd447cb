/**
 * What dropping one ingest removes, read before anything is removed, on
 * either engine (`dropIngest` carries it out): the ingest looked up and
 * checked, the rows held now under its id, the customers of whom nothing
 * else is held, the profiles it last wrote, and the refusal of a drop that
 * would lose rows of later ingests.
 */
import type { Warehouse } from '../engine/warehouse.js';
import { UserError } from '../core/errors/user-error.js';
import { shellPath } from '../core/shell-word.js';
import { droppedAt, NOT_DROPPED } from '../engine/dropped-ingests.js';
import { anyErased } from '../engine/erased-customers.js';
import { literalLists } from '../engine/literal-lists.js';
import { warehouseFlags } from '../engine/warehouse-flags.js';
import { PII_ROLE_COLUMNS } from '../privacy/access/classification.js';
import type { IngestFileReport } from './ingest-report.js';
import type { SourceKind } from './source-kind.js';

/** The tables whose rows carry the id of the ingest that loaded them (`customers`: of the profile file it last came from). */
export const INGEST_ROW_TABLES = ['transactions', 'events', 'customers', 'quarantine'] as const;

/** The profile columns a profile file writes (`loadProfiles`): cleared in its row of a customer who stays when the row holds contact data. */
export const PROFILE_COLUMNS = ['signup_ts', 'acquisition_channel', 'acquisition_cost', 'region', 'country', 'gender', 'birth_year'] as const;

/** The encrypted personal columns of `customers`. */
export const PII_COLUMNS: readonly string[] = Object.values(PII_ROLE_COLUMNS);

/** Tables that hold a customer's own records rather than a summary of rows: never emptied as derived tables are. */
const NOT_DERIVED = new Set(['transactions', 'events', 'quarantine', 'customers', 'customer_reid', 'audience_members']);

/** One `ingests` row as the drop and the list read it. */
export interface IngestRecordRow {
  readonly ingestId: number;
  readonly source: string;
  readonly sha256: string;
  readonly startedAt: string;
  readonly rowsRead: number;
  readonly accepted: number;
  readonly quarantined: number;
  readonly report: Partial<IngestFileReport>;
  readonly kind: SourceKind;
}

export interface DropPlan {
  readonly ingest: IngestRecordRow;
  /** rows held now under the ingest's id, per table of `INGEST_ROW_TABLES` */
  readonly held: Readonly<Record<string, number>>;
  /** rows its report counted and no longer held (an erasure or a retention purge took them, a later profile file rewrote the profile) */
  readonly notHeld: Readonly<Record<string, number>>;
  /** customers of its rows of whom nothing else is held: their customer_reid entry, contact data and derived rows go too */
  readonly gone: readonly string[];
  /** how many of them had rows it accepted (the others: only rows it quarantined, never a customer of the warehouse) */
  readonly goneCustomers: number;
  /** its profile rows of customers who stay: with contact data (their profile values are cleared) and without (the row goes) */
  readonly profiles: { readonly withContactData: number; readonly without: number };
  /** the derived per-customer tables (summary, scores…: rows of gone customers go, the rest are marked stale) */
  readonly derivedTables: readonly string[];
  /** customers who stay whose contact data this transaction file gave (kept: no earlier value is known) */
  readonly contactDataKept: number;
  /** the warehouse records erased customers (a file of theirs is refused again unless their rows are left out) */
  readonly erasedCustomers: boolean;
}

/** The `ingests` row of `ingestId`, or null. */
export async function readIngestRecord(warehouse: Warehouse, ingestId: number): Promise<IngestRecordRow | null> {
  const [row] = await warehouse.query(`SELECT ingest_id, source, file_sha256, started_at, rows_read, accepted, quarantined, report FROM ingests WHERE ingest_id = ${Math.trunc(ingestId)} LIMIT 1`);
  return row ? ingestRecordOf(row) : null;
}

/** Which file an ingest read, as `ingests list` and a drop's result name it. */
export interface IngestedFile {
  readonly ingestId: number;
  /** the file's name */
  readonly source: string;
  /**
   * the file as its ingest was given it: the path as typed, which `clvkit ingest --json` printed as `source` (relative
   * to the folder it ran in when typed so); its name (`source`) where the ingest's report does not say
   */
  readonly path: string;
  readonly kind: SourceKind;
  readonly sha256: string;
  /** when it was ingested (ISO) */
  readonly ingestedAt: string;
}

/** The file an ingest record read (`IngestedFile`). */
export function ingestedFileOf(ingest: IngestRecordRow): IngestedFile {
  const path = typeof ingest.report.source === 'string' && ingest.report.source !== '' ? ingest.report.source : ingest.source;
  return { ingestId: ingest.ingestId, source: ingest.source, path, kind: ingest.kind, sha256: ingest.sha256, ingestedAt: ingest.startedAt };
}

/** An `ingests` row as a record (the report parsed; a report written before kinds were kept is of transactions). */
export function ingestRecordOf(row: Record<string, unknown>): IngestRecordRow {
  let report: Partial<IngestFileReport> = {};
  try {
    report = JSON.parse(String(row.report)) as Partial<IngestFileReport>;
  } catch {
    // an unreadable report: the counts of the row stand
  }
  const started = row.started_at instanceof Date ? row.started_at.toISOString() : String(row.started_at);
  return {
    ingestId: Number(row.ingest_id),
    source: String(row.source),
    sha256: String(row.file_sha256),
    startedAt: started,
    rowsRead: Number(row.rows_read),
    accepted: Number(row.accepted),
    quarantined: Number(row.quarantined),
    report,
    kind: report.kind ?? 'transactions',
  };
}

const count = async (warehouse: Warehouse, sql: string) => Number((await warehouse.query(sql))[0]!.n);

/**
 * The plan of a drop of `ingestId`, or a `UserError` (one line, a hint) when there is no such ingest, it was dropped
 * already, or a later ingest of the same kind quarantined rows as copies of rows the warehouse held that may be
 * copies of this ingest's rows (`refuseLaterDuplicates`): they would be held nowhere once it went — the later ingest is
 * to be dropped first.
 */
export async function planDrop(warehouse: Warehouse, ingestId: number, listTables: () => Promise<string[]>): Promise<DropPlan> {
  const again = warehouseFlags(warehouse);
  if (!Number.isSafeInteger(ingestId) || ingestId < 1) throw new UserError(`ingest id ${ingestId} is not a whole number ≥ 1`, `clvkit ingests list ${again} lists the ingests with their ids`);
  const ingest = await readIngestRecord(warehouse, ingestId);
  if (!ingest) throw new UserError(`this warehouse has no ingest ${ingestId}`, `clvkit ingests list ${again} lists the ingests with their ids`);
  const dropped = await droppedAt(warehouse, ingestId);
  if (dropped) {
    throw new UserError(`ingest ${ingestId} (${ingest.source}) was dropped on ${dropped.toISOString().slice(0, 10)} already: nothing of it is held`, `ingest the file again: clvkit ingest ${shellPath(ingest.source)} ${again}`);
  }
  await refuseLaterDuplicates(warehouse, ingest, again);
  const held: Record<string, number> = {};
  for (const table of INGEST_ROW_TABLES) held[table] = await count(warehouse, `SELECT count(*) AS n FROM ${table} WHERE ingest_id = ${ingestId}`);
  const notHeld: Record<string, number> = {};
  // the table of its kind holds its accepted rows (transactions, events), a profile file's customers one row each
  const written = ingest.kind === 'customers' ? (ingest.report.customersWritten ?? ingest.accepted) : ingest.accepted;
  if (written > held[ingest.kind]!) notHeld[ingest.kind] = written - held[ingest.kind]!;
  if (ingest.quarantined > held.quarantine!) notHeld.quarantine = ingest.quarantined - held.quarantine!;
  const { gone, accepted } = await customersWithNothingElse(warehouse, ingestId);
  const goneSet = new Set(gone);
  const tables = await listTables();
  const derivedTables = tables.filter((t) => !NOT_DERIVED.has(t));
  // its profile rows of customers who stay: those with contact data are cleared, those without go
  let withContactData = 0;
  let withoutContactData = 0;
  if (held.customers! > 0) {
    const anyPii = PII_COLUMNS.map((c) => `${c} IS NOT NULL`).join(' OR ');
    for (const row of await warehouse.query(`SELECT customer_id, CASE WHEN ${anyPii} THEN 1 ELSE 0 END AS pii FROM customers WHERE ingest_id = ${ingestId}`)) {
      if (goneSet.has(String(row.customer_id))) continue;
      if (Number(row.pii) === 1) withContactData++;
      else withoutContactData++;
    }
  }
  // a transaction file's contact data of customers who stay: the latest value per customer, from whichever file gave it
  const piiStored = ingest.kind === 'transactions' ? (ingest.report.privacy?.piiStored ?? []) : [];
  const contactDataKept = piiStored.length > 0 ? Math.max(0, (await distinctCustomers(warehouse, 'transactions', ingestId)) - gone.length) : 0;
  return { ingest, held, notHeld, gone, goneCustomers: gone.filter((token) => accepted.has(token)).length, profiles: { withContactData, without: withoutContactData }, derivedTables, contactDataKept, erasedCustomers: await anyErased(warehouse) };
}

async function distinctCustomers(warehouse: Warehouse, table: string, ingestId: number): Promise<number> {
  return count(warehouse, `SELECT count(DISTINCT customer_id) AS n FROM ${table} WHERE ingest_id = ${ingestId}`);
}

/**
 * The customers of the ingest's rows (accepted, quarantined with a readable id, profiles) of whom nothing else is held:
 * no transaction or event of another ingest, no profile another file last wrote, no audience membership (`gone`,
 * sorted), and the customers of its accepted rows and profiles (`accepted`).
 */
export async function customersWithNothingElse(warehouse: Warehouse, ingestId: number): Promise<{ gone: string[]; accepted: Set<string> }> {
  const touched = new Set<string>();
  const accepted = new Set<string>();
  const own: [string, string][] = [['transactions', ''], ['events', ' AND customer_id IS NOT NULL'], ['customers', ''], ['quarantine', ' AND customer_id IS NOT NULL']];
  for (const [table, extra] of own) {
    for (const row of await warehouse.query(`SELECT DISTINCT customer_id FROM ${table} WHERE ingest_id = ${ingestId}${extra}`)) {
      touched.add(String(row.customer_id));
      if (table !== 'quarantine') accepted.add(String(row.customer_id));
    }
  }
  const elsewhere: [string, string][] = [
    ['transactions', `ingest_id <> ${ingestId}`],
    ['events', `(ingest_id IS NULL OR ingest_id <> ${ingestId})`],
    ['customers', `ingest_id IS NOT NULL AND ingest_id <> ${ingestId}`],
    ['audience_members', '1 = 1'],
  ];
  const kept = new Set<string>();
  const tokens = [...touched].sort();
  for (const list of literalLists(warehouse.dialect, tokens)) {
    for (const [table, other] of elsewhere) {
      for (const row of await warehouse.query(`SELECT DISTINCT customer_id FROM ${table} WHERE ${other} AND customer_id IN (${list})`)) kept.add(String(row.customer_id));
    }
  }
  return { gone: tokens.filter((token) => !kept.has(token)), accepted };
}

/** How an ingest read its dates: two ingests that read them alike give a raw row the same `ts`. */
function dateReading(ingest: IngestRecordRow): string {
  return JSON.stringify([ingest.report.dateFormats ?? [], ingest.report.timezone ?? null]);
}

/**
 * Refuses the drop when an ingest after it, of the same kind and not dropped, quarantined rows as copies of rows the
 * warehouse held (`duplicate` with no detail: a copy of a held row, not of a line of its own file) that may be copies
 * of this ingest's rows: no ingest would hold them once it went. A copy has the text of the row it copies, so when
 * both ingests read dates alike it has its customer and its time (`(customer_id, ts)` among this ingest's rows, as
 * quarantined with it); when they read them otherwise (this ingest read month-first, the later one day-first) only its
 * customer can be compared, and any copy of a customer of this ingest counts.
 */
async function refuseLaterDuplicates(warehouse: Warehouse, ingest: IngestRecordRow, again: string): Promise<void> {
  if (ingest.kind === 'customers') return; // profiles are compared within their file only
  const later = (await warehouse.query(`SELECT ingest_id, source, file_sha256, started_at, rows_read, accepted, quarantined, report FROM ingests WHERE ingest_id > ${ingest.ingestId} AND ${NOT_DROPPED} ORDER BY ingest_id`))
    .map(ingestRecordOf)
    .filter((other) => other.kind === ingest.kind && (other.report.rules?.duplicate ?? 1) > 0);
  if (later.length === 0) return;
  const table = ingest.kind === 'events' ? 'events' : 'transactions';
  const own = `FROM ${table} WHERE ingest_id = ${ingest.ingestId} AND customer_id IS NOT NULL`;
  const alike = later.filter((other) => dateReading(other) === dateReading(ingest)).map((other) => other.ingestId);
  const otherwise = later.filter((other) => dateReading(other) !== dateReading(ingest)).map((other) => other.ingestId);
  const copies = (ids: number[], match: string) => (ids.length === 0 ? [] : [`SELECT ingest_id FROM quarantine WHERE reason = 'duplicate' AND detail IS NULL AND ingest_id IN (${ids.join(', ')}) AND ${match}`]);
  const candidates = [
    ...copies(alike, `((customer_id, ts) IN (SELECT customer_id, ts ${own}) OR (ts IS NULL AND customer_id IN (SELECT customer_id ${own})))`),
    ...copies(otherwise, `customer_id IN (SELECT customer_id ${own})`),
  ];
  const rows = await warehouse.query(`SELECT ingest_id, count(*) AS n FROM (${candidates.join(' UNION ALL ')}) c GROUP BY ingest_id ORDER BY ingest_id`);
  if (rows.length === 0) return;
  const named = rows.map((row) => `${Number(row.ingest_id)} (${later.find((l) => l.ingestId === Number(row.ingest_id))!.source}: ${Number(row.n).toLocaleString('en-US')} rows)`);
  const last = Number(rows.at(-1)!.ingest_id);
  throw new UserError(
    `ingest ${ingest.ingestId} (${ingest.source}) is not dropped: later ingest${rows.length === 1 ? '' : 's'} ${named.join(', ')} left out rows as copies of rows the warehouse held — copies of its rows, perhaps, which no ingest would hold once it went`,
    `drop the later ingest${rows.length === 1 ? '' : 's'} first (clvkit ingests drop ${last} ${again}), then this one, and ingest the files again in their order`,
  );
}
