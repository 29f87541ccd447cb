/**
 * One ingest's rows, from the private DuckDB where the file ingest made them,
 * into the cluster as one group: every table staged and count-checked first
 * (nothing visible yet), then the staged partitions attached table after
 * table, `ingests` last — its row marks the file as held. ClickHouse has no
 * transactions, so what is left to chance is a crash inside the attach phase
 * (one `ALTER … ATTACH PARTITION … FROM, …` per table and shard, hard links
 * partition after partition: milliseconds), which leaves part of the group visible. The copy is
 * therefore bracketed by a marker in `ingest_copies` (schema migration 9;
 * each attempt's marks carry its random `attempt` id, migration 10): a
 * `copying` row per ingest id before anything is staged, a `copied` row once
 * every table's rows are verified there — counted by ingest id (`customer_reid`:
 * by the tokens copied; a transaction file's contact data, `customers` rows
 * without an ingest id: by token and envelopes, `unmarkedRowsOf`), so an erasure deleting other rows meanwhile does
 * not fail a good copy, and without the rows of customers an erasure
 * recorded (`erased_customers`) after the copy looked, before its attach:
 * their rows it took are no shortfall (the copy is held, the file not read
 * again); a file with rows of customers erased before that look is refused
 * unless readmitted (or, for the API's groups, their rows are left out of
 * the staging tables before the attach and counted as erased meanwhile). A mismatch is one line (`UserError`) with a hint. A copy that fails while its process
 * lives on deletes its rows by ingest id (its contact data rows by their
 * envelopes, while its staging tables hold them) and records `discarded` itself (best
 * effort, the original error is thrown). An attempt left `copying` is a copy that
 * stopped half-way (a crash): before the next copy (`discardInterruptedCopies`, run by
 * the ingest before it reads which ids the cluster holds) its rows are
 * deleted from every table with an `ingest_id`, `ingests` included, and a
 * `discarded` row closes it — so a replay neither duplicates nor loses rows.
 * Only marked ids are touched: rows the cluster holds under ids `ingests`
 * does not know (loaded by other means) are kept; so are the contact data
 * rows (no ingest id) of a copy that crashed after its attach: a replay adds
 * them again, a second row per customer as a second file's would be.
 * `customer_reid` has no
 * ingest id and one row per token: the copy adds rows only for tokens the
 * cluster does not hold, so a replay adds none twice; two ingests copying
 * the same new token at once can still leave an extra row for it, equal in
 * meaning (the token names one original id; readers take one per token).
 *
 * Example: `await copyIngestToClickHouse(localDuckDb, cluster, ['transactions', 'quarantine', 'ingests'])`
 */
import { randomBytes } from 'node:crypto';
import type { AppendColumns, Warehouse } from '../warehouse.js';
import type { ClickHouseWarehouse } from './clickhouse-warehouse.js';
import { UserError } from '../../core/errors/user-error.js';
import { attachStagedPartitions, attachStagedTables, copyStagedRows, rowsHeld, rowsHeldEach, stageRowBatches, stagedMismatch, stagingName } from './append-atomically.js';
import { forEachTableBatch } from '../read-chunks.js';
import { ERASED_ROWS_HINT, erasedAmong } from '../erased-customers.js';

/** What a copy does with rows of customers erased before it looked (`copyIngestToClickHouse`). */
export type ErasedRows = 'refuse' | 'readmit' | 'leave-out';

/** What erasures did to a copy, for its audit entry. */
export interface CopyErasures {
  /** per table, the rows of customers erased after the file was read that the copy did not add (left out, or deleted by the erasure after the attach) */
  readonly erasedMeanwhile: Record<string, number>;
  /**
   * customers erased after the file was read whose rows the copy added (`readmit`): their tokens, and the
   * `customer_reid` rows it added back for them (the local ingest had them held, so did not count them)
   */
  readonly readmitted: { readonly tokens: readonly string[]; readonly customerReid: number } | null;
}

/**
 * Rows per batch read from the local DuckDB and sent to the cluster (into
 * the staging table's landing table, `stageRowBatches`): the copy holds one
 * batch at a time, so the client's memory does not grow with the file's
 * lines. Before, every table was read whole into JavaScript: peak RSS of
 * `clvkit ingest --engine clickhouse` 2.5 GiB at 1M lines, 4.0 GiB at 2M;
 * in batches 0.9 and 1.0 GiB (docs/scaling.md, "The cluster ingest's
 * memory"). A batch of `transactions` costs a few KB of heap a row while it
 * is sent (its values, the text fields, the body): 25,000 rows keep it to
 * ~100 MB.
 */
export const COPY_BATCH_ROWS = 25_000;

/** The table of copy markers (schema migration 9). */
export const COPY_MARKERS = 'ingest_copies';

type CopyPhase = 'copying' | 'copied' | 'discarded';

/** One attempt to copy an ingest: its id and the attempt's random id (`''` for marks written before migration 10). */
interface CopyAttempt {
  readonly ingestId: number;
  readonly attempt: string;
}

async function markCopies(cluster: ClickHouseWarehouse, attempts: readonly CopyAttempt[], phase: CopyPhase): Promise<void> {
  if (attempts.length === 0) return;
  const now = new Date();
  await cluster.append(COPY_MARKERS, {
    ingest_id: attempts.map((a) => a.ingestId),
    phase: attempts.map(() => phase),
    recorded_at: attempts.map(() => now),
    attempt: attempts.map((a) => a.attempt),
  });
}

/**
 * The copy attempts that began and neither finished nor were discarded, each
 * with the time of its `copying` mark (the copying writer's clock): the marks
 * are summed per attempt (`copying` +1, any other −1; marks written before
 * migration 10 have no attempt and are summed per ingest id, as they were),
 * so a closing mark written twice for one attempt (a `copied` whose answer
 * was lost, then the copy's own `discarded`) does not hide a later attempt
 * under the same ingest id.
 */
async function openAttempts(cluster: ClickHouseWarehouse): Promise<(CopyAttempt & { since: Date })[]> {
  const rows = await cluster.query(
    `SELECT ingest_id, COALESCE(attempt, '') AS copy_attempt, maxIf(recorded_at, phase = 'copying') AS since FROM ${COPY_MARKERS}
     GROUP BY ingest_id, copy_attempt HAVING sum(CASE WHEN phase = 'copying' THEN 1 ELSE -1 END) > 0 ORDER BY ingest_id, copy_attempt`,
  );
  return rows.map((row) => ({ ingestId: Number(row.ingest_id), attempt: String(row.copy_attempt), since: row.since as Date }));
}

/** The ingest ids of the copies that stopped half-way or still run (an attempt marked `copying` and not closed). */
export async function interruptedCopies(cluster: ClickHouseWarehouse): Promise<number[]> {
  return [...new Set((await openAttempts(cluster)).map((open) => open.ingestId))];
}

/** The copies marked running (`interruptedCopies`), each with the time of its latest open attempt's `copying` mark (the copying writer's clock). */
export async function runningCopies(cluster: ClickHouseWarehouse): Promise<{ ingestId: number; since: Date }[]> {
  const since = new Map<number, Date>();
  for (const open of await openAttempts(cluster)) {
    const seen = since.get(open.ingestId);
    if (!seen || open.since.getTime() > seen.getTime()) since.set(open.ingestId, open.since);
  }
  return [...since].map(([ingestId, at]) => ({ ingestId, since: at }));
}

/**
 * The rows of the copy `attempts` deleted from `tables` where they have an
 * `ingest_id` (a mutation, waited for), and those attempts closed as
 * `discarded`; returns the rows deleted per table.
 */
async function discardCopies(cluster: ClickHouseWarehouse, attempts: readonly CopyAttempt[], tables: readonly string[]): Promise<Record<string, number>> {
  const discarded: Record<string, number> = {};
  if (attempts.length === 0) return discarded;
  const ids = [...new Set(attempts.map((a) => a.ingestId))];
  for (const table of tables) {
    const [hasId] = await cluster.query(`SELECT count(*) AS n FROM information_schema.columns WHERE table_name = ${cluster.dialect.literal(table)} AND column_name = 'ingest_id'`);
    if (Number(hasId!.n) === 0) continue;
    const [left] = await cluster.query(`SELECT count(*) AS n FROM ${table} WHERE ingest_id IN (${ids.join(', ')})`);
    if (Number(left!.n) === 0) continue;
    await cluster.execute(`DELETE FROM ${table} WHERE ingest_id IN (${ids.join(', ')})`);
    discarded[table] = Number(left!.n);
  }
  await markCopies(cluster, attempts, 'discarded');
  return discarded;
}

/**
 * The rows of copies that stopped half-way (`interruptedCopies`), deleted
 * from `tables` where they have an `ingest_id` (a mutation, waited for), and
 * those copies closed as `discarded`; returns the rows deleted per table.
 * Rows of ids never marked are not touched.
 */
export async function discardInterruptedCopies(cluster: ClickHouseWarehouse, tables: readonly string[]): Promise<Record<string, number>> {
  return discardCopies(cluster, await openAttempts(cluster), tables);
}

/** The table of one row per customer token that the copy adds only for tokens the cluster does not hold yet (as DuckDB's ingest does: load-customer-reid.ts). */
const ONE_ROW_PER_TOKEN = 'customer_reid';

/** The condition, on a shard's local tables, that a row's token is one `table` holds (both tables are sharded by the token). */
const heldOn = (cluster: ClickHouseWarehouse, table: string) => `customer_id IN (SELECT customer_id FROM ${cluster.database}.${table}_local)`;

/**
 * Deletes from the staging table `staging` (on each shard: a mutation of its local table, waited for; sharded, so the
 * catalog is not asked) the rows of tokens `table` holds; returns the rows left.
 */
async function leaveOutHeldTokens(cluster: ClickHouseWarehouse, table: string, staging: string): Promise<number> {
  await cluster.commandOnEachShard(`ALTER TABLE ${cluster.database}.${staging}_local DELETE WHERE ${heldOn(cluster, table)}`);
  await cluster.waitForMutations([`${staging}_local`]);
  return rowsHeld(cluster, staging);
}

/** The rows of the staging table `staging` whose token `table` does not hold, counted on each shard. */
async function rowsNotHeld(cluster: ClickHouseWarehouse, table: string, staging: string): Promise<number> {
  const perShard = await cluster.queryOnEachShard(`SELECT count() FROM ${cluster.database}.${staging}_local WHERE NOT (${heldOn(cluster, table)})`);
  return perShard.reduce((sum, n) => sum + Number(n), 0);
}

const RUN_AGAIN = 'run the same ingest again (nothing of this file is kept; rows of customers erased since are refused); if it fails again, look for another writer on this ClickHouse database (one writer per database: docs/server.md)';

/**
 * Rows without an ingest id in a table that has one: a transaction file's
 * contact data in `customers` (a row per customer, its envelopes; the
 * ingest id of a customers row names the profile file it came from, as on
 * DuckDB). They are the copy's by their token and envelopes, which no other
 * row shares (every envelope has a fresh random nonce): the condition, on a
 * shard's local table, that a row is one of `staging`'s without an ingest
 * id, or null when the table has no envelope column to tell them by (its
 * rows without an ingest id are then not looked for).
 */
function unmarkedRowsOf(staging: string, columns: readonly string[], db: string): string | null {
  const envelopes = columns.filter((column) => column.endsWith('_enc'));
  if (envelopes.length === 0 || !columns.includes('customer_id')) return null;
  const key = ['customer_id', ...envelopes.map((column) => `ifNull(${column}, '')`)].join(', ');
  return `ingest_id IS NULL AND (${key}) IN (SELECT ${key} FROM ${db}.${staging}_local WHERE ingest_id IS NULL)`;
}

/**
 * The rows without an ingest id a failed copy attached (`unmarkedRowsOf`),
 * deleted while its staging tables still tell them (the discard by ingest id
 * does not find them). Best effort, as the discard is.
 */
async function discardUnmarkedRows(cluster: ClickHouseWarehouse, staged: readonly { table: string; staging: string; columns: string[] }[]): Promise<void> {
  for (const { table, staging, columns } of staged) {
    if (!columns.includes('ingest_id')) continue;
    const unmarked = unmarkedRowsOf(staging, columns, cluster.database);
    if (unmarked) await cluster.deleteRows(table, unmarked);
  }
}

/**
 * The rows of `table` the copy added, counted after the attach so that other
 * writers do not count: by ingest id where the table has one, by the tokens
 * staged (`staging` keeps its rows after the attach) where it has
 * `customer_id` only, else by the table's growth since `before` (there a
 * concurrent write — an erasure's delete — shows as a mismatch).
 */
async function rowsCopied(cluster: ClickHouseWarehouse, table: string, staging: string, columns: readonly string[], ids: readonly number[], before: number, notOf = ''): Promise<{ rows: number; how: string }> {
  const db = cluster.database;
  if (columns.includes('ingest_id') && ids.length > 0) {
    const [row] = await cluster.query(`SELECT count(*) AS n FROM ${table} WHERE ingest_id IN (${ids.join(', ')})${notOf}`);
    const unmarked = unmarkedRowsOf(staging, columns, db);
    if (!unmarked) return { rows: Number(row!.n), how: `rows of ingest ${ids.join(', ')}` };
    const perShard = await cluster.queryOnEachShard(`SELECT count() FROM ${db}.${table}_local WHERE ${unmarked}${notOf}`);
    return { rows: Number(row!.n) + perShard.reduce((sum, n) => sum + Number(n), 0), how: `rows of ingest ${ids.join(', ')} and rows without an ingest id of the envelopes copied` };
  }
  if (columns.includes('customer_id')) {
    const perShard = await cluster.queryOnEachShard(`SELECT count() FROM ${db}.${table}_local WHERE customer_id IN (SELECT customer_id FROM ${db}.${staging}_local)${notOf}`);
    return { rows: perShard.reduce((sum, n) => sum + Number(n), 0), how: 'rows of the tokens copied' };
  }
  return { rows: (await rowsHeld(cluster, table)) - before, how: 'growth of the whole table (no ingest_id or customer_id: another writer counts too)' };
}

/**
 * Whether the rows of `table` the copy did not find after the attach are all
 * rows of `erased` (tokens an erasure recorded after the copy began: it
 * deleted them, as it should): the rows of other tokens are counted in the
 * staging table and in the table, and must be equal. Returns the rows the
 * erasure took, or null when the shortfall is not made of them.
 */
async function shortfallErased(cluster: ClickHouseWarehouse, copy: { table: string; staging: string; columns: string[]; rows: number; before: number }, ids: readonly number[], found: number, erased: ReadonlySet<string>): Promise<number | null> {
  if (erased.size === 0 || !copy.columns.includes('customer_id')) return null;
  const notOf = ` AND customer_id NOT IN (${[...erased].map((token) => cluster.dialect.literal(token)).join(', ')})`;
  const [staged] = await cluster.query(`SELECT count(*) AS n FROM ${copy.staging} WHERE 1 = 1${notOf}`);
  const kept = await rowsCopied(cluster, copy.table, copy.staging, copy.columns, ids, copy.before, notOf);
  return kept.rows === Number(staged!.n) && found <= copy.rows ? copy.rows - found : null;
}

/**
 * Copies the tables of one ingest (`source`: the private DuckDB holding only
 * this ingest's rows) into the cluster's sharded tables of the same names,
 * all or nothing (see the file comment); returns the rows added per table.
 * The ingest ids of `source`'s `ingests` rows are marked while they are
 * copied. `customer_reid` rows of tokens the cluster already holds are left
 * out: every row of the file is staged in a table of its own, and those of
 * tokens not held are copied from it into the staging table that is attached
 * (on each shard: both are sharded by the token); after the attach, those of
 * the copy's tokens whose row the cluster lost meanwhile (a retention or an
 * erase deleted a held token's record) are added from the table of every
 * token's row. Every staging table is counted on each shard in one query
 * before anything is attached. The caller makes the tables and `ingest_copies` on the cluster
 * (`createTableIfMissing`) and discards interrupted copies
 * (`discardInterruptedCopies`) before it reads what the cluster holds: a
 * copy of the same id that stopped earlier would otherwise keep its
 * `copying` row past this copy's `copied`.
 */
export async function copyIngestToClickHouse(
  source: Warehouse,
  cluster: ClickHouseWarehouse,
  tables: readonly string[],
  /** called once every table's rows are verified, before the copy is marked `copied` (a throw leaves it to be discarded), with what erasures changed (`CopyErasures`) */
  beforeCopied?: (erasures: CopyErasures) => Promise<void>,
  /**
   * rows of customers erased before the copy looked (`erased_customers`): `refuse` (the default: nothing added), `readmit`
   * (copied; see `refuseErasedCustomers`) or `leave-out` (the API's groups: deleted from the staging tables before the
   * attach, counted with the rows erased meanwhile)
   */
  erasedRows: ErasedRows = 'refuse',
): Promise<Record<string, number>> {
  const ids = tables.includes('ingests') ? (await source.query('SELECT DISTINCT ingest_id FROM ingests ORDER BY ingest_id')).map((row) => Number(row.ingest_id)) : [];
  const attempt = randomBytes(8).toString('hex'); // this attempt's marks are summed apart from any other's under the same ids
  const attempts = ids.map((ingestId) => ({ ingestId, attempt }));
  await markCopies(cluster, attempts, 'copying');
  const made: string[] = [];
  const staged: { table: string; staging: string; rows: number; before: number; columns: string[] }[] = [];
  const sentTo: { table: string; staging: string; sent: number }[] = []; // the rows sent to each staging table, checked once all are staged
  let everyToken: string | null = null; // a second staging table of every customer_reid row of the file
  let copied = false;
  let attaching = false;
  const tokens = new Set<string>(); // every customer token of the file's rows
  // every staging table's lease held with one statement per shard before any is made (a table left empty is not made,
  // and its lease is released at the end)
  const stagingNames = new Map(tables.map((table) => [table, stagingName(table)]));
  // customer_reid's second staging table too (everyToken): its lease in the same statement
  const everyTokenName = tables.includes(ONE_ROW_PER_TOKEN) ? stagingName(ONE_ROW_PER_TOKEN) : null;
  const leased = [...stagingNames.values(), ...(everyTokenName ? [everyTokenName] : [])];
  try {
    await cluster.scratchLeases.hold(...leased);
    // 1. every table staged and counted: nothing of the ingest is visible yet
    for (const table of tables) {
      const [counted] = await source.query(`SELECT count(*) AS n FROM ${table}`);
      const rowCount = Number(counted!.n);
      if (rowCount === 0) continue;
      // customer_reid: every row of the file staged in everyToken, then those of tokens the cluster does not hold copied
      // into the staging table inside the cluster (one INSERT … SELECT per shard, no mutation to leave the others out)
      const staging = table === ONE_ROW_PER_TOKEN ? everyTokenName! : stagingNames.get(table)!;
      made.push(staging);
      const columns = [...(await source.queryColumns(`SELECT * FROM ${table} LIMIT 0`)).names]; // as the batches name them
      // the whole table's count, for a table the copy cannot verify by its ingest id or tokens (rowsCopied)
      const before = (columns.includes('ingest_id') && ids.length > 0) || columns.includes('customer_id') ? 0 : await rowsHeld(cluster, table);
      // read and sent in batches of COPY_BATCH_ROWS: the copy holds one batch, whatever the file's size
      let read = 0;
      const rows = await stageRowBatches(
        cluster,
        table,
        staging,
        (send) =>
        forEachTableBatch(
          source,
          table,
          async (batch) => {
            read += batch.rowCount;
            const batchTokens = (batch.columns.customer_id ?? []) as ArrayLike<unknown>;
            for (let i = 0; i < batchTokens.length; i++) if (typeof batchTokens[i] === 'string') tokens.add(batchTokens[i] as string);
            await send(batch.columns as AppendColumns);
          },
          COPY_BATCH_ROWS,
        ).then(() => undefined),
        // one batch: straight into the staging table; every staging table counted at once below
        { oneBatch: rowCount <= COPY_BATCH_ROWS, checked: false },
      );
      if (rows !== rowCount || read !== rowCount) throw new UserError(`copy to the cluster: ${rowCount} rows of ${table} read, ${rows} staged; nothing was added`, RUN_AGAIN);
      if (table === ONE_ROW_PER_TOKEN) {
        // every token's row kept aside, inside the cluster: a held token's record may be deleted (a retention, an erase) before the attach
        everyToken = staging;
        const toAttach = stagingNames.get(table)!;
        made.push(toAttach);
        await copyStagedRows(cluster, table, everyToken, toAttach, `NOT (${heldOn(cluster, table)})`);
        sentTo.push({ table, staging: everyToken, sent: rows });
        staged.push({ table, staging: toAttach, before, columns, rows: -1 }); // counted below
        continue;
      }
      sentTo.push({ table, staging, sent: rows });
      staged.push({ table, staging, before, columns, rows });
    }
    // every staging table counted on each shard in one query: the rows sent must all be there (else nothing is attached);
    // customer_reid's staging table holds those of tokens the cluster did not hold
    const names = [...new Set([...sentTo.map((s) => s.staging), ...staged.map((copy) => copy.staging)])];
    const counted = new Map((await rowsHeldEach(cluster, names)).map((n, i) => [names[i]!, n]));
    for (const { table, staging, sent } of sentTo) if (counted.get(staging) !== sent) throw stagedMismatch(table, sent, counted.get(staging)!);
    for (const copy of staged) copy.rows = counted.get(copy.staging)!;
    // an erasure recorded before this look: its customers' rows are refused (the local ingest looked before the copy began);
    // one recorded after it may delete rows of this copy, which is then verified without them
    const erasedBefore = await erasedAmong(cluster, tokens);
    const erasedMeanwhile: Record<string, number> = {};
    if (erasedBefore.size > 0 && erasedRows === 'leave-out') {
      // an erasure between the read and the copy: their rows are left out before anything is visible
      const list = [...erasedBefore].map((token) => cluster.dialect.literal(token)).join(', ');
      for (const copy of staged) {
        if (!copy.columns.includes('customer_id')) continue;
        const [taken] = await cluster.query(`SELECT count(*) AS n FROM ${copy.staging} WHERE customer_id IN (${list})`);
        if (Number(taken!.n) === 0) continue;
        await cluster.deleteRows(copy.staging, `customer_id IN (${list})`);
        const left = await rowsHeld(cluster, copy.staging);
        erasedMeanwhile[copy.table] = copy.rows - left;
        copy.rows = left;
      }
      if (everyToken) await cluster.deleteRows(everyToken, `customer_id IN (${list})`);
    }
    let readmitted: CopyErasures['readmitted'] = null;
    if (erasedBefore.size > 0 && erasedRows === 'readmit') {
      const list = [...erasedBefore].map((token) => cluster.dialect.literal(token)).join(', ');
      const reid = staged.find((copy) => copy.table === ONE_ROW_PER_TOKEN);
      const [back] = reid ? await cluster.query(`SELECT count(*) AS n FROM ${reid.staging} WHERE customer_id IN (${list})`) : [{ n: 0 }];
      readmitted = { tokens: [...erasedBefore].sort(), customerReid: Number(back!.n) };
    } else if (erasedBefore.size > 0 && erasedRows !== 'leave-out') {
      throw new UserError(`copy to the cluster: the file holds rows of ${erasedBefore.size} customer${erasedBefore.size === 1 ? '' : 's'} erased from the cluster since it was read; nothing was added`, ERASED_ROWS_HINT);
    }
    // 2. attached table after table (ingests last: the file is held once its row is there)
    attaching = true;
    await attachStagedTables(cluster, staged);
    const added: Record<string, number> = {};
    let erased: Set<string> | null = null; // tokens an erasure recorded since the look above
    const erasedSince = async () => (erased ??= new Set([...(await erasedAmong(cluster, tokens))].filter((token) => !erasedBefore.has(token))));
    for (const copy of staged) {
      const { table, staging, rows, before, columns } = copy;
      const copied = await rowsCopied(cluster, table, staging, columns, ids, before);
      const taken = copied.rows === rows ? 0 : await shortfallErased(cluster, copy, ids, copied.rows, await erasedSince());
      if (taken === null) throw new UserError(`copy to the cluster: ${table} holds ${copied.rows} ${copied.how} after the attach, expected ${rows}; the copy was discarded`, RUN_AGAIN);
      if (taken > 0) erasedMeanwhile[table] = (erasedMeanwhile[table] ?? 0) + taken;
      added[table] = rows - taken;
    }
    if (everyToken) {
      // the copy's tokens whose record the cluster lost after they were left out at staging: their rows added back — but
      // not those of customers erased meanwhile (the erasure took their record)
      const gone = await erasedSince();
      if (gone.size > 0) await cluster.deleteRows(everyToken, `customer_id IN (${[...gone].map((token) => cluster.dialect.literal(token)).join(', ')})`);
      // counted first: most copies find every token held, and skip the mutation
      const lost = (await rowsNotHeld(cluster, ONE_ROW_PER_TOKEN, everyToken)) > 0 ? await leaveOutHeldTokens(cluster, ONE_ROW_PER_TOKEN, everyToken) : 0;
      if (lost > 0) {
        await attachStagedPartitions(cluster, everyToken, ONE_ROW_PER_TOKEN);
        added[ONE_ROW_PER_TOKEN] = (added[ONE_ROW_PER_TOKEN] ?? 0) + lost;
      }
    }
    await beforeCopied?.({ erasedMeanwhile, readmitted });
    await markCopies(cluster, attempts, 'copied');
    copied = true;
    return added;
  } finally {
    // A copy that failed with its process alive discards itself, as the next ingest would (best effort: the original error is
    // the one thrown; if this fails too, the mark stays and the next ingest discards it). Without it every erase of the next
    // hour would wait for a copy that is no more. Its rows without an ingest id first, told by the staging tables.
    if (!copied && attaching) await discardUnmarkedRows(cluster, staged).catch(() => undefined);
    for (const staging of leased) if (!made.includes(staging)) cluster.scratchLeases.release(staging);
    for (const staging of made) await cluster.dropShardedTable(staging).catch(() => undefined); // never data; what stays is dropped by the next writer once its lease lapses (dropOrphanedScratch)
    if (!copied) await discardCopies(cluster, attempts, tables).catch(() => undefined);
  }
}
