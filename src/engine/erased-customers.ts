/**
 * The record of erased customers (`erased_customers`, schema migration 11):
 * one row per token an erasure was asked for, written before its first
 * delete, on either engine. An ingest refuses a file holding rows of these
 * tokens unless told to readmit them (`refuseErasedCustomers`), and a cluster
 * copy whose rows an erasure took meanwhile is verified without those rows
 * (`copyIngestToClickHouse`): an erased customer does not come back from a
 * file read again without a decision to readmit them; a readmission
 * removes their tokens (`forgetErasedTokens`), so the next file holding
 * them is an ordinary one.
 */
import { literalLists } from './literal-lists.js';
import type { Warehouse } from './warehouse.js';

export const ERASED_CUSTOMERS = 'erased_customers';

/** The hint of an ingest refused for rows of erased customers: the user's three choices, in one line. */
export const ERASED_ROWS_HINT =
  "remove their rows from the file, leave them out with clvkit ingest --leave-out-erased (quarantined as erased_customer, nothing of them kept), or add them again with clvkit ingest --readmit-erased --role admin (the ingest's audit entry counts and lists them)";

/** Records `tokens` as erased at `at` (before any of their rows is deleted). */
export async function recordErasedTokens(warehouse: Warehouse, tokens: readonly string[], at: Date): Promise<void> {
  if (tokens.length === 0) return;
  await warehouse.append(ERASED_CUSTOMERS, { token: [...tokens], erased_at: tokens.map(() => at) });
}

/** Removes `tokens` from the record (a readmission: an ingest told to add their rows again, `readmitErased`). */
export async function forgetErasedTokens(warehouse: Warehouse, tokens: readonly string[]): Promise<void> {
  for (const list of literalLists(warehouse.dialect, tokens)) await warehouse.execute(`DELETE FROM ${ERASED_CUSTOMERS} WHERE token IN (${list})`);
}

/**
 * Those of `tokens` recorded as erased (asked a chunk of tokens at a time, as literals: no join across engines or
 * shards; not asked at all while the record is empty, as it is until a first erasure).
 */
export async function erasedAmong(warehouse: Warehouse, tokens: Iterable<string>): Promise<Set<string>> {
  const all = [...new Set(tokens)];
  const erased = new Set<string>();
  if (all.length === 0 || !(await anyErased(warehouse))) return erased;
  for (const list of literalLists(warehouse.dialect, all)) {
    for (const row of await warehouse.query(`SELECT DISTINCT token FROM ${ERASED_CUSTOMERS} WHERE token IN (${list})`)) erased.add(String(row.token));
  }
  return erased;
}

/**
 * When `token` was recorded as erased (ISO, UTC; the first record when asked more than once), or null when it is not
 * recorded (never erased, or readmitted since).
 */
export async function erasedAt(warehouse: Warehouse, token: string): Promise<string | null> {
  const [row] = await warehouse.query(`SELECT min(erased_at) AS at, count(*) AS n FROM ${ERASED_CUSTOMERS} WHERE token = ${warehouse.dialect.literal(token)}`);
  if (!row || Number(row.n) === 0) return null;
  // a Date on both engines (ClickHouse's DateTime is read as UTC: parse-clickhouse-value.ts)
  return row.at instanceof Date ? row.at.toISOString() : String(row.at);
}

/**
 * What a look-up of an erased customer says (the CLI's `clvkit customer`, the API's customer 360): that they were erased,
 * when (to the minute, UTC), how they could come back (only the CLI readmits), and nothing else. Through the API
 * (`api`), in its words: a reader who may not re-admit (`mayReadmit`: the `erase` action) is told an admin can; one
 * who may, that the API does not and the CLI's ingest does.
 */
export function erasedCustomerMessage(given: string, at: string, api?: { readonly mayReadmit: boolean }): { readonly message: string; readonly hint: string } {
  const deleted = 'their rows were deleted from the warehouse';
  return {
    message: `customer ${given} was erased on ${at.slice(0, 16).replace('T', ' ')} UTC: nothing of them is kept`,
    hint: !api
      ? `${deleted}; they come back only if a file holding them is ingested with clvkit ingest --readmit-erased --role admin`
      : api.mayReadmit
        ? `${deleted}; the API does not re-admit them (orders or events of theirs sent to it are left out): to re-admit them, ingest a file holding them with clvkit ingest FILE --readmit-erased --role admin into this warehouse (a DuckDB file: while the server is stopped)`
        : `${deleted}; they come back only if an admin re-admits them (orders or events of theirs sent to POST /api/orders or /api/events are left out)`,
  };
}

/** Whether any token is recorded as erased. */
export async function anyErased(warehouse: Warehouse): Promise<boolean> {
  return (await warehouse.query(`SELECT 1 AS one FROM ${ERASED_CUSTOMERS} LIMIT 1`)).length > 0;
}

/**
 * The tokens of column `column` of `tables` (in the same warehouse) recorded as erased: a join per table, no token
 * leaves the engine; no join at all while the record is empty (one look for all the tables).
 */
export async function erasedInTables(warehouse: Warehouse, tables: readonly string[], column: string): Promise<Set<string>> {
  const erased = new Set<string>();
  if (tables.length === 0 || !(await anyErased(warehouse))) return erased;
  for (const table of tables) {
    for (const row of await warehouse.query(`SELECT DISTINCT e.token AS token FROM ${ERASED_CUSTOMERS} e JOIN ${table} t ON t.${column} = e.token`)) erased.add(String(row.token));
  }
  return erased;
}

/** The tokens recorded as erased at or after `at` (by the clock of the machine that erased them). */
export async function erasedSince(warehouse: Warehouse, at: Date): Promise<Set<string>> {
  const rows = await warehouse.query(`SELECT DISTINCT token FROM ${ERASED_CUSTOMERS} WHERE erased_at >= ${warehouse.dialect.timestamp(at.toISOString())}`);
  return new Set(rows.map((row) => String(row.token)));
}
