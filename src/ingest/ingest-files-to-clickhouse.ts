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
 * Customers are new (`newCustomers`, the audit entry's `customer_reid`)
 * when the cluster's `customer_reid` does not hold their token when the file
 * is read: the local ingest asks the cluster (`tokensHeldOnCluster`) before
 * it records itself. The `customer_reid` rows the copy adds are those of the
 * tokens the cluster does not hold when it copies (the local ingest keeps a
 * row for every token of the file): a customer erased between the two is
 * refused by the copy (unless readmitted: then it gets its row back with
 * its new rows, and is not counted new; or, for the API's groups,
 * `leaveOutErased`, its rows are left out of the copy and counted in the
 * audit entry's `rows_erased_meanwhile`). A file with rows of a customer
 * the cluster's `erased_customers` holds is refused by the local ingest,
 * as on DuckDB (`refuseErasedCustomers`), or its rows left out with
 * `leaveOutErased`.
 *
 * The key must be the cluster's: its first ingest records it
 * (`warehouse_meta.root_key_id`, as a warehouse file's first ingest does)
 * and every later one is checked against it, before anything is read.
 *
 * The file's audit entry (`ingest`, the row counts and details the local
 * ingest recorded) is appended to the cluster's own `audit_log` once the
 * copy's rows are verified there and before the copy is marked done.
 *
 * Rows the cluster holds already are duplicates, as on DuckDB: the local
 * ingest asks the cluster which of the file's row hashes it holds
 * (`rowsHeldOnCluster`), so a file that overlaps earlier ones adds only its
 * new rows; the same for events (`eventsHeldOnCluster`).
 *
 * Memory: no step holds a whole file here. The local DuckDB runs under the
 * ingest's engine cap (`withIngestMemoryLimit`) up to the end of the copy,
 * the rows asked about go to the cluster batch by batch as they are read,
 * and the copy reads each table in batches (`COPY_BATCH_ROWS`).
 *
 * Not the same as DuckDB: an ingest that stopped after its
 * audit entry and before its copy was marked done is discarded and, ingested
 * again, audited again (the log then holds two entries for the file).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { openDuckDbWarehouse } from '../engine/duckdb-warehouse.js';
import type { ClickHouseWarehouse } from '../engine/clickhouse/clickhouse-warehouse.js';
import { createTablesIfMissing } from '../engine/clickhouse/copy-table-to-clickhouse.js';
import { COPY_MARKERS, copyIngestToClickHouse, discardInterruptedCopies, type CopyErasures } from '../engine/clickhouse/copy-ingest-to-clickhouse.js';
import { createShardedScratch, stageRows, stagingName } from '../engine/clickhouse/append-atomically.js';
import { askClusterAbout } from '../engine/clickhouse/ask-cluster-about.js';
import { UserError } from '../core/errors/user-error.js';
import { erasedAmong, forgetErasedTokens } from '../engine/erased-customers.js';
import { heldIngestRecordOf } from '../engine/dropped-ingests.js';
import { assertMayReadmit } from './refuse-erased-customers.js';
import { interruptedIngestError, nameFilesAdded } from './name-files-added.js';
import { InterruptedError } from '../core/errors/interrupted-error.js';
import { ensureClusterSchema } from '../engine/clickhouse/ensure-cluster-schema.js';
import type { Warehouse } from '../engine/warehouse.js';
import { resolveAccess } from '../privacy/access/access.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import { bindWarehouseKey } from '../privacy/keys/warehouse-key.js';
import { recordAudit } from '../privacy/warehouse/warehouse-audit.js';
import { ingestFiles, transactionsMixWarning, type IngestOptions } from './ingest-files.js';
import type { HeldRowsAnswer, ReadHeldRows } from './judge-rows.js';
import type { ReadHeldEvents } from './mark-staged-duplicates.js';
import { CENTS, type HeldLines, type HeldLinesAnswer, type HeldLinesQuestion } from './repeated-purchases.js';
import { CHUNK_ROWS } from '../engine/read-chunks.js';
import { createPseudonymiser } from '../privacy/tokens/pseudonymise.js';
import { unescapeTsv } from '../engine/clickhouse/parse-clickhouse-value.js';
import { withIngestMemoryLimit } from './ingest-memory.js';
import { sessionsHeldOnCluster } from './sessions-held-on-cluster.js';
import { NoDataRowsError, noDataRowsWarning, noFileHasDataRowsError } from './inspect-source.js';
import { combineIngestReports, withElapsedSince, withWarnings, type IngestFileReport, type IngestReport } from './ingest-report.js';

/** The tables an ingest fills, in the order they are copied (`ingests` last: it marks the file as held). */
const INGESTED_TABLES = ['transactions', 'quarantine', 'customers', 'customer_reid', 'events', 'ingests'] as const;
/** The tables whose rows carry the ingest id that loaded them. */
const INGEST_ID_TABLES = INGESTED_TABLES.filter((table) => table !== 'customer_reid');

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Up to this many tokens `tokensHeldOnCluster` names in its query (~60 KB of SQL, under 18.16's max_query_size of 256 KiB); more are staged. */
export const TOKENS_ASKED_INLINE = 1000;

/**
 * Which of `tokens` the cluster's `customer_reid` holds: up to `TOKENS_ASKED_INLINE` named in one query; more staged
 * beside it (a staging table sharded by the token as it is, never visible)
 * and looked up on each shard. Counts new customers only: which `customer_reid` rows the copy adds is decided when
 * it copies (`copyIngestToClickHouse`).
 */
export async function tokensHeldOnCluster(cluster: ClickHouseWarehouse, tokens: readonly string[]): Promise<Set<string>> {
  if (tokens.length === 0) return new Set();
  if (tokens.length <= TOKENS_ASKED_INLINE) {
    // a few tokens: named in the query, which each shard answers from its customer_reid (ordered by the token) — one
    // statement instead of the staging table's dozen (lease, DDL on every shard, insert, count, drops)
    const held = await cluster.query(`SELECT DISTINCT customer_id FROM customer_reid WHERE customer_id IN (${tokens.map((token) => cluster.dialect.literal(token)).join(', ')})`);
    return new Set(held.map((row) => String(row.customer_id)));
  }
  const db = cluster.database;
  const staging = stagingName('customer_reid');
  try {
    const epoch = new Date(0).toISOString();
    await stageRows(cluster, 'customer_reid', staging, { customer_id: [...tokens], original_id_enc: tokens.map(() => ''), created_at: tokens.map(() => epoch) });
    const answers = await cluster.queryOnEachShard(`SELECT customer_id FROM ${db}.${staging}_local WHERE customer_id IN (SELECT customer_id FROM ${db}.customer_reid_local)`);
    return new Set(answers.flatMap((answer) => answer.split('\n').filter(Boolean)));
  } finally {
    await cluster.dropShardedTable(staging);
  }
}

/**
 * Which of a file's otherwise accepted rows (`readRows`, called when the
 * cluster holds any transactions; its batches are staged as they come) the cluster's `transactions` holds
 * already, by row hash (the `duplicate` rule's question, which DuckDB
 * answers from its own table), and which of their order ids (lines of the
 * same orders, for the repeated-order-ids warning). The rows' customer ids
 * are tokenised as the ingest tokenises them, and (token, row hash, order id)
 * staged in a table sharded as `transactions` is: a row and any held copy of
 * it, or line of its order (the same customer), are on the same shard, where
 * they are looked for among the rows of the staged customers (the shard's
 * primary key) only.
 */
export async function rowsHeldOnCluster(cluster: ClickHouseWarehouse, keyring: Keyring, readRows: ReadHeldRows): Promise<HeldRowsAnswer> {
  const none: HeldRowsAnswer = { rowHashes: new Set(), orderIds: new Set() };
  if ((await cluster.query('SELECT 1 AS one FROM transactions LIMIT 1')).length === 0) return none; // the file's rows are not even read
  const pseudonymise = createPseudonymiser(keyring);
  const db = cluster.database;
  const staging = stagingName('rows_asked');
  let made = false;
  try {
    // the rows staged batch by batch as they are read (and tokenised): no more than one batch is held here
    await readRows(async (rows) => {
      const tokenOf = new Map<string, string | null>(); // a batch's customers: bounded as the batch is
      const customerIds: string[] = [];
      const rowHashes: string[] = [];
      const orderIds: (string | null)[] = [];
      for (let i = 0; i < rows.rowHashes.length; i++) {
        const id = rows.customerIds[i]!;
        let token = tokenOf.get(id);
        if (token === undefined) {
          try {
            token = pseudonymise(id);
          } catch {
            token = null; // normalises to nothing: quarantined as missing, never held
          }
          tokenOf.set(id, token);
        }
        if (token === null) continue;
        customerIds.push(token);
        rowHashes.push(rows.rowHashes[i]!);
        orderIds.push(rows.orderIds[i] ?? null);
      }
      if (customerIds.length === 0) return;
      if (!made) {
        made = true;
        await createShardedScratch(cluster, 'transactions', staging, '(customer_id String, row_hash String, order_id Nullable(String)) ENGINE = Memory');
      }
      await cluster.append(staging, { customer_id: customerIds, row_hash: rowHashes, order_id: orderIds });
    });
    if (!made) return none;
    const asked = `customer_id IN (SELECT customer_id FROM ${db}.${staging}_local)`;
    const answers = await cluster.queryOnEachShard(
      `SELECT DISTINCT 'row' AS kind, row_hash AS value FROM ${db}.transactions_local WHERE ${asked} AND row_hash IN (SELECT row_hash FROM ${db}.${staging}_local)
       UNION ALL
       SELECT DISTINCT 'order' AS kind, assumeNotNull(order_id) AS value FROM ${db}.transactions_local WHERE ${asked} AND order_id IN (SELECT order_id FROM ${db}.${staging}_local WHERE order_id IS NOT NULL)`,
    );
    const held = { rowHashes: new Set<string>(), orderIds: new Set<string>() };
    for (const line of answers.flatMap((answer) => answer.split('\n').filter(Boolean))) {
      const [kind, value] = line.split('\t') as [string, string];
      (kind === 'row' ? held.rowHashes : held.orderIds).add(unescapeTsv(value));
    }
    return held;
  } finally {
    if (made) await cluster.dropShardedTable(staging);
  }
}

/**
 * `repeatedLinesWarning`'s question about a file's lines without an order id, which DuckDB answers from its own table,
 * when the cluster holds any line in the file's span. The file's slots — (token, time to the second or the day, as
 * seconds), with their lines and total in cents — are staged, a chunk at a time, in a table sharded as `transactions`
 * is, and each shard compares them with its own lines there (among the staged customers' rows, the shard's primary
 * key, and the span's partitions): the slots whose total an earlier ingest holds there come back as counts (lines,
 * cents, held lines per ingest), and only the held lines of the other slots it holds, for the comparison line by
 * line — the answer is small also when the file repeats the cluster's lines throughout. At `day` precision, the days
 * of the span that hold any line too.
 */
export async function linesHeldOnCluster(cluster: ClickHouseWarehouse, question: HeldLinesQuestion, keep: (lines: HeldLines) => Promise<void>): Promise<HeldLinesAnswer | null> {
  const d = cluster.dialect;
  const span = `ts >= ${d.timestamp(question.from)} AND ts < ${d.timestamp(question.to)}`;
  if ((await cluster.query(`SELECT 1 AS one FROM transactions WHERE ${span} LIMIT 1`)).length === 0) return null; // the slots are not even read
  const time = `toUInt32(${question.precision === 'time' ? 'ts' : 'toStartOfDay(ts)'})`;
  const db = cluster.database;
  const staging = stagingName('slots_asked');
  // on each shard: the held lines of the staged slots, and the staged slots whose total in cents an ingest holds there
  const [asked, held, matched] = [`${db}.${staging}_local`, `${db}.${staging}_held_local`, `${db}.${staging}_matched_local`];
  const slot = '(customer_id, t)';
  try {
    await createShardedScratch(cluster, 'transactions', staging, '(customer_id String, t UInt32, n UInt64, cents Nullable(Int64)) ENGINE = Memory');
    await question.forEachSlot(async (slots) => {
      // a slot outside DateTime's range (before 1970: the file's line is refused when its rows are appended) holds no
      // line of the cluster: not asked (UInt32 seconds cannot hold it, and the server refused the whole chunk)
      const inRange = slots.times.flatMap((t, i) => (t >= 0 && t < 2 ** 32 ? [i] : []));
      if (inRange.length === 0) return;
      const pick = <T,>(values: readonly T[]) => (inRange.length === values.length ? values : inRange.map((i) => values[i]!));
      await cluster.append(staging, { customer_id: pick(slots.customerIds), t: pick(slots.times), n: pick(slots.lines), cents: pick(slots.cents) });
    });
    await cluster.commandOnEachShard(
      `CREATE TABLE ${held} ENGINE = Memory AS SELECT customer_id, ${time} AS t, amount, product_id, ingest_id FROM ${db}.transactions_local
       WHERE customer_id IN (SELECT customer_id FROM ${asked}) AND ${span} AND (customer_id, ${time}) IN (SELECT customer_id, t FROM ${asked})`,
    );
    const total = (cents: string) => `isNull(${cents}), ifNull(${cents}, 0)`;
    await cluster.commandOnEachShard(
      `CREATE TABLE ${matched} ENGINE = Memory AS SELECT customer_id, t, n, cents FROM ${asked}
       WHERE (customer_id, t, ${total('cents')}) IN (SELECT customer_id, t, ${total('c')} FROM (SELECT customer_id, t, toInt64(${CENTS('sum(amount)')}) AS c FROM ${held} GROUP BY customer_id, t, ingest_id))`,
    );
    const rows = (answers: string[]) => answers.flatMap((answer) => answer.split('\n').filter(Boolean).map((line) => line.split('\t')));
    const number = (field: string) => (field === '\\N' ? null : Number(field));
    const { lines, revenue } = shardTotals(rows(await cluster.queryOnEachShard(`SELECT sum(n), sum(cents), count(cents) FROM ${matched}`)));
    const perIngest = rows(await cluster.queryOnEachShard(`SELECT ingest_id, count() FROM ${held} WHERE ${slot} IN (SELECT customer_id, t FROM ${matched}) GROUP BY ingest_id`));
    const rest = rows(
      await cluster.queryOnEachShard(
        `SELECT customer_id, t, toInt64(${CENTS('amount')}) AS c, sum(amount), product_id, count(), ingest_id FROM ${held}
         WHERE ${slot} NOT IN (SELECT customer_id, t FROM ${matched}) GROUP BY customer_id, t, c, product_id, ingest_id`,
      ),
    );
    const ids = [...new Set([...perIngest.map((row) => Number(row[0])), ...rest.map((row) => Number(row[6]))])];
    const sources = new Map<number, string>();
    if (ids.length > 0) for (const row of await cluster.query(`SELECT ingest_id, source FROM ingests WHERE ingest_id IN (${ids.join(', ')})`)) sources.set(Number(row.ingest_id), String(row.source));
    const source = (id: number) => sources.get(id) ?? `ingest ${id}`;
    for (let start = 0; start < rest.length; start += CHUNK_ROWS) {
      const chunk = rest.slice(start, start + CHUNK_ROWS);
      await keep({
        customer_id: chunk.map((row) => unescapeTsv(row[0]!)),
        t: chunk.map((row) => Number(row[1])),
        cents: chunk.map((row) => number(row[2]!)),
        amount: chunk.map((row) => number(row[3]!)),
        product_id: chunk.map((row) => (row[4] === '\\N' ? null : unescapeTsv(row[4]!))),
        n: chunk.map((row) => Number(row[5])),
        ingest_id: chunk.map((row) => Number(row[6])),
        source: chunk.map((row) => source(Number(row[6]))),
      });
    }
    const ingests = new Map<number, number>();
    for (const [id, n] of perIngest) ingests.set(Number(id), (ingests.get(Number(id)) ?? 0) + Number(n));
    const sameTotal = { lines, revenue, ingests: [...ingests].map(([ingestId, n]) => ({ ingestId, source: source(ingestId), lines: n })) };
    if (question.precision === 'time') return { sameTotal, days: [] };
    const days = await cluster.query(`SELECT DISTINCT toUInt32(toStartOfDay(ts)) AS t FROM transactions WHERE ${span}`);
    return { sameTotal, days: days.map((row) => Number(row.t)) };
  } finally {
    await cluster.dropShardedTable(staging);
    await cluster.commandOnEachShard(`DROP TABLE IF EXISTS ${held}`);
    await cluster.commandOnEachShard(`DROP TABLE IF EXISTS ${matched}`);
  }
}

/**
 * The shards' answers of `linesHeldOnCluster` (lines, cents, lines with an amount) added up: the cents as whole numbers,
 * divided once, so the revenue does not depend on the order the shards answer in (each shard's cents ÷ 100 added as
 * doubles did, from three shards on). Null revenue when no line has an amount.
 */
export function shardTotals(answers: readonly (readonly string[])[]): { lines: number; revenue: number | null } {
  let lines = 0;
  let cents = 0;
  let valued = false;
  for (const [n, c, withAmount] of answers) {
    lines += Number(n);
    if (Number(withAmount) > 0) {
      cents += Number(c);
      valued = true;
    }
  }
  return { lines, revenue: valued ? cents / 100 : null };
}

/**
 * Which of an event file's otherwise accepted rows (`readRows`, called when
 * the cluster holds any events; its batches are sent as they come) the cluster's `events` holds already, by row
 * hash. Events without a customer are sharded at random, so the row hashes
 * are sent to every shard (`GLOBAL IN` from a table on the entry node) and
 * looked for among the events of the file's time span (the shards' events
 * are partitioned by month and ordered by time).
 */
export async function eventsHeldOnCluster(cluster: ClickHouseWarehouse, readRows: ReadHeldEvents): Promise<Set<string>> {
  if ((await cluster.query('SELECT 1 AS one FROM events LIMIT 1')).length === 0) return new Set(); // the file's rows are not even read
  const d = cluster.dialect;
  // the row hashes sent batch by batch as they are read: no more than one batch is held here
  return askClusterAbout(cluster, 'events_asked', 'row_hash', readRows, async (asked, span) => {
    const held = await cluster.query(
      `SELECT DISTINCT row_hash FROM events WHERE ts >= ${d.timestamp(span.firstTs)} AND ts <= ${d.timestamp(span.lastTs)} AND row_hash GLOBAL IN (SELECT row_hash FROM ${asked})`,
    );
    return new Set(held.map((row) => String(row.row_hash)));
  }, new Set<string>());
}

/**
 * The audit entry the local ingest wrote (its log holds that one entry),
 * appended to the cluster's own log: the same action, target, row counts
 * and details, chained after the cluster's last entry.
 */
async function auditOnCluster(local: Warehouse, cluster: ClickHouseWarehouse, keyring: Keyring, options: IngestOptions, erasures: CopyErasures): Promise<void> {
  const entries = await local.query("SELECT target, row_counts, details FROM audit_log WHERE action = 'ingest' ORDER BY seq");
  if (entries.length !== 1) throw new Error(`ingest into ClickHouse: the local ingest wrote ${entries.length} audit entries, expected 1`);
  const [entry] = entries;
  const rowCounts = JSON.parse(String(entry!.row_counts)) as Record<string, number>;
  const details = JSON.parse(String(entry!.details)) as Record<string, unknown>;
  const { erasedMeanwhile, readmitted } = erasures;
  const tokens = new Set((details.readmitted_tokens ?? []) as string[]);
  if (readmitted) {
    // customers erased between the read and the copy, readmitted: counted as a readmission at the read is, and their
    // customer_reid rows added back counted (the local ingest saw them held)
    for (const token of readmitted.tokens) tokens.add(token);
    details.erased_customers_readmitted = tokens.size;
    details.readmitted_tokens = [...tokens].sort();
    rowCounts.customer_reid = (rowCounts.customer_reid ?? 0) + readmitted.customerReid;
  }
  await recordAudit(cluster, keyring, resolveAccess(options), {
    action: 'ingest',
    target: String(entry!.target),
    rowCounts,
    // rows an erasure took while the file was copied: not added, the copy held all the same
    details: { ...(details as Record<string, never>), ...(Object.keys(erasedMeanwhile).length > 0 ? { rows_erased_meanwhile: erasedMeanwhile } : {}) },
  });
  // readmitted: no longer recorded as erased on the cluster (before the copy is marked done: a failure here discards it,
  // and the same ingest again readmits them again)
  await forgetErasedTokens(cluster, [...tokens]);
}

/**
 * Refuses (one line) when `keyring`'s active key was retired on the cluster
 * (a `rotate_keys` audit entry naming it in `retired`): an ingest that read
 * its key file before a `keys rotate --retire-old` would otherwise write
 * envelopes nothing can decrypt. Checked before each file's copy.
 */
async function refuseRetiredKey(cluster: ClickHouseWarehouse, keyring: Keyring): Promise<void> {
  const entries = await cluster.query("SELECT details FROM audit_log WHERE action = 'rotate_keys'");
  const retired = entries.some((entry) => {
    const details = JSON.parse(String(entry.details ?? '{}')) as { retired?: unknown };
    return Array.isArray(details.retired) && details.retired.includes(keyring.activeKeyId);
  });
  if (retired) {
    throw new UserError(
      `ingest into ClickHouse: key ${keyring.activeKeyId}, the active key of the key file read at the start, was retired by a key rotation since; nothing of this file was added`,
      're-run the ingest: it reads the rotated key file',
    );
  }
}

/** Ingest files into the cluster, one file at a time; the report is the one `ingestFiles` gives. */
export async function ingestFilesToClickHouse(cluster: ClickHouseWarehouse, paths: readonly string[], options: IngestOptions = {}): Promise<IngestReport> {
  if (!options.keyring) {
    throw new UserError('ingest into ClickHouse needs a key: customer ids are tokenised before the data leaves this machine', 'pass --key-file <path> or set CLVKIT_KEY (clvkit keys init --key-file <path> creates one)');
  }
  const keyring = options.keyring;
  assertMayReadmit(options); // before the cluster is touched
  await ensureClusterSchema(cluster); // the audit log and its head, the key record; scratch tables of killed writers dropped
  // the key the cluster was written with (recorded by its first ingest): another key would make other tokens for the same ids
  await bindWarehouseKey(cluster, keyring);
  const files: IngestFileReport[] = [];
  // files without data rows beside files with rows: a warning, as on DuckDB (ingestFiles), though each file is read by
  // an ingest of its own, where it is the only file
  const empty: NoDataRowsError[] = [];
  for (const [index, path] of paths.entries()) {
    try {
      // Ctrl-C (options.signal) stops the local read of a file: nothing of it reaches the cluster; a copy under way is
      // finished (it is attached whole or not at all), and the next file is not started
      if (options.signal?.aborted) throw new InterruptedError('ingest interrupted');
      await ingestOneFile(path);
    } catch (error) {
      // what was added: the files copied before it, kept; nothing of this one; the rest not read
      if (error instanceof InterruptedError) throw interruptedIngestError(path, files, paths.slice(index + 1));
      if (error instanceof NoDataRowsError && (paths.length > 1 || options.besideFilesWithRows === true)) {
        empty.push(error); // refused before its copy: nothing of it reached the cluster
        continue;
      }
      throw nameFilesAdded(error, files, path, paths.slice(index + 1)); // the files before it stay added: say which
    }
  }
  if (files.length === 0 && empty.length > 0 && options.besideFilesWithRows !== true) throw noFileHasDataRowsError(empty);
  const combined = combineIngestReports(files, options.map);
  // files with and without order values: asked of the cluster's lines (the local ingest saw one file's)
  const mixed = options.mixedOrderValuesWarning === false ? null : await transactionsMixWarning(cluster, files);
  // in DuckDB's order (ingestFiles): an unused --map flag, the mix, the files without data rows
  return withWarnings(combined, [...(mixed ? [mixed] : []), ...empty.map(noDataRowsWarning)]);

  async function ingestOneFile(path: string): Promise<void> {
    const started = Date.now();
    const local = await openDuckDbWarehouse(':memory:', { threads: 2 });
    let reports: readonly IngestFileReport[];
    try {
      // the local engine's memory capped as a warehouse file's ingest is (ingest-memory.ts), and kept capped while the
      // copy reads its tables (past the cap they spill to the temporary directory): before, the cap ended with the local
      // ingest, and the copy ran under DuckDB's own limit (80% of the machine)
      reports = await withIngestMemoryLimit(local, [path], () => ingestAndCopy(local, path));
    } finally {
      await local.close();
    }
    // added once copied (a failed copy adds nothing); the file's time is its whole work, the copy too (it used to be the
    // local ingest's alone, a third of it for a large file)
    files.push(...reports.map((report) => withElapsedSince(report, started)));
  }

  /** The file's reports, once its rows are copied (or it is held already: nothing to copy). */
  async function ingestAndCopy(local: Warehouse, path: string): Promise<readonly IngestFileReport[]> {
    // made by ensureClusterSchema; one listing per node per file finds a table dropped since (made again)
    await createTablesIfMissing(local, cluster, [...INGESTED_TABLES, COPY_MARKERS]);
    // a copy that stopped half-way is discarded before the cluster is asked what it holds (its `ingests` row may be
    // there); here only: copyIngestToClickHouse relies on it
    await discardInterruptedCopies(cluster, INGESTED_TABLES);
    const sha256 = await sha256File(path);
    // an ingest dropped since (`dropped_ingests`) holds the file no more: it is read again under a new id
    const record = await heldIngestRecordOf(cluster, sha256);
    const held = record?.ingestId ?? null;
    // above every id in use, also those of rows loaded by other means (not in `ingests`): an id is one ingest's rows only
    const [next] = await cluster.query(`SELECT COALESCE(max(id), 0) + 1 AS id FROM (${INGEST_ID_TABLES.map((table) => `SELECT max(ingest_id) AS id FROM ${table}`).join(' UNION ALL ')}) ids`);
    // A placeholder row tells the local ingest what the cluster holds: the next ingest id (so ids stay unique
    // there), or this very file with the report it was ingested with and when (so it is reported as already ingested,
    // as the kind it is held as, with what its ingest read then, and nothing is added).
    const placeholderId = held ?? Number(next!.id) - 1;
    await local.execute(
      `INSERT INTO ingests (ingest_id, source, file_sha256, started_at, rows_read, accepted, quarantined, report) VALUES (${placeholderId}, '(cluster)', ${local.dialect.literal(held !== null ? sha256 : '')}, ${record !== null ? local.dialect.timestamp(record.startedAt) : 'now()'}, 0, 0, 0, ${local.dialect.literal(record?.report ?? '{}')})`,
    );
    // customers the cluster holds are not new: known before the local ingest records itself (report, `ingests`, audit entry)
    // and the rows it holds are duplicates (`rowsHeldOnCluster`, `eventsHeldOnCluster`), as DuckDB's own rows are
    const report = await ingestFiles(local, [path], {
      ...options,
      besideFilesWithRows: false, // the file alone: one without data rows is refused here, and said (or refused) by the caller
      customersHeldElsewhere: (tokens) => tokensHeldOnCluster(cluster, tokens),
      rowsHeldElsewhere: (rows) => rowsHeldOnCluster(cluster, keyring, rows),
      linesHeldElsewhere: (question, keep) => linesHeldOnCluster(cluster, question, keep),
      eventsHeldElsewhere: (rows) => eventsHeldOnCluster(cluster, rows),
      sessionsHeldElsewhere: (readIds) => sessionsHeldOnCluster(cluster, readIds),
      erasedElsewhere: (tokens) => erasedAmong(cluster, tokens),
    });
    await local.execute(`DELETE FROM ingests WHERE source = '(cluster)'`);
    if (report.files.every((file) => file.alreadyIngested)) return report.files;
    // the file's audit entry goes to the cluster's log once its rows are verified there, before the copy counts as done:
    // a failure leaves the copy to be discarded and the file to be ingested (and audited) again
    await refuseRetiredKey(cluster, keyring);
    await copyIngestToClickHouse(local, cluster, INGESTED_TABLES, (erasures) => auditOnCluster(local, cluster, keyring, options, erasures), options.readmitErased ? 'readmit' : options.leaveOutErased ? 'leave-out' : 'refuse');
    return report.files;
  }
}
