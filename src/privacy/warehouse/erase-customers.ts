import type { Warehouse } from '../../engine/warehouse.js';
import { UserError } from '../../core/errors/user-error.js';
import { resolveAccess, type AccessOptions } from '../access/access.js';
import { listCustomerTables } from '../keys/encrypted-columns.js';
import type { Keyring } from '../keys/keyring.js';
import { createPseudonymiser, tokenAsGiven } from '../tokens/pseudonymise.js';
import { assertCan } from '../access/rbac.js';
import { recordAudit } from './warehouse-audit.js';
import { assertWarehouseKey } from '../keys/warehouse-key.js';
import { ERASED_CUSTOMERS, recordErasedTokens } from '../../engine/erased-customers.js';
import { literalLists } from '../../engine/literal-lists.js';
import { queryRowsEach } from '../../engine/union-all.js';
import { keepErasedQuarantinePlaces } from './erased-quarantine-places.js';

export interface EraseOptions extends AccessOptions {
  /** the warehouse key (tokens are recomputed from the ids with it; a token given is erased as itself when held) */
  readonly keyring: Keyring;
}

export interface ErasedCustomer {
  readonly token: string;
  /** rows deleted per table */
  readonly rowCounts: Readonly<Record<string, number>>;
  readonly rows: number;
}

export interface EraseResult {
  readonly customers: readonly ErasedCustomer[];
  /** tables searched: every base table with a customer_id column */
  readonly tables: readonly string[];
  readonly rows: number;
}

/**
 * The right to erasure: deletes every row of the given customers (ids as they
 * appeared in the input, tokenised here, or their tokens: `tokensToErase`) from every table that has a
 * `customer_id` column — found in the catalogue, so `transactions`,
 * `customers`, `customer_reid` (which ends re-identification), quarantined
 * rows whose id was readable, `customer_summary`, `customer_scores` and any
 * derived table added later are covered. A quarantined row deleted leaves a
 * row with nothing of it at its place, reason `erased_customer`, so that its
 * ingest's counts still agree with the quarantine table
 * (erased-quarantine-places.ts). The tokens are recorded in
 * `erased_customers` first: a later ingest of their rows is refused unless
 * readmitted (`refuseErasedCustomers`). One audit entry per customer
 * (`erase`, target `customer:<token>`, rows per table; never the id). Then
 * CHECKPOINT. Deleted rows stay in freed pages of a DuckDB file until it is
 * rewritten: call `compactWarehouseFile` after closing the warehouse (the CLI
 * does). Fitted population parameters are kept (see docs/privacy.md).
 *
 * Requires `erase` (admin).
 *
 * Example: `await eraseCustomers(wh, ['C-1001'], { keyring, role: 'admin' })` → `{ customers: [{ token: 'c_…', rowCounts: { transactions: 12, customer_reid: 1, … }, rows: 15 }], … }`
 */
export async function eraseCustomers(warehouse: Warehouse, customerIds: readonly string[], options: EraseOptions): Promise<EraseResult> {
  const access = resolveAccess(options);
  assertCan(access.role, 'erase');
  if (customerIds.length === 0) throw new UserError('no customer id given', 'pass the id as it appears in the input files, e.g. clvkit erase 17850');
  await assertWarehouseKey(warehouse, options.keyring);
  const tables = await listCustomerTables(warehouse);
  const tokens = await tokensToErase(warehouse, customerIds, options.keyring, tables);
  const customers = await warehouse.transaction(async () => {
    await recordErasedTokens(warehouse, tokens, new Date()); // a later ingest of their rows is refused unless readmitted
    const erased = await countCustomerRows(warehouse, tokens, tables);
    // their quarantined rows stay counted by their ingests: a row with nothing of them at each place
    if (erased.some((c) => 'quarantine' in c.rowCounts)) await keepErasedQuarantinePlaces(warehouse, tokens);
    await deleteCustomerRowsFrom(warehouse, tokens, tablesWithRows(erased, tables));
    for (const { token, rowCounts } of erased) await recordAudit(warehouse, options.keyring, access, { action: 'erase', target: { customerToken: token }, rowCounts, details: { tables_searched: tables.length } });
    return erased;
  });
  await warehouse.execute('CHECKPOINT');
  return { customers, tables, rows: customers.reduce((sum, c) => sum + c.rows, 0) };
}

/**
 * The tokens an erasure of `customerIds` deletes: an id as it appears in the input files is pseudonymised with the key;
 * a customer token (`isToken`: the ids clvkit shows) that the warehouse holds — rows in any of `tables` — is erased as
 * itself (what erasing its original id does). A token-shaped id the warehouse holds neither as a token nor as an
 * original id is refused (`UserError`, one line with a hint), before anything is recorded or deleted: pseudonymised
 * again it would be a token nobody has, erased with nothing to erase. A token is recognised as it was pasted: white
 * space at its edges dropped (as ingest drops it from ids: a trailing space, a tab, the \r of a CRLF list) and in
 * capitals too (`tokenAsGiven`); it used to be pseudonymised as an original id, and the erase said "no rows held" of
 * a token nobody has while the customer's rows stayed.
 *
 * Example: `await tokensToErase(wh, ['C-1001', 'c_22qxs4tsdcmgo3coylcr6axi5m'], keyring, tables)` → `['c_…of C-1001', 'c_22qxs4tsdcmgo3coylcr6axi5m']`
 */
export async function tokensToErase(warehouse: Warehouse, customerIds: readonly string[], keyring: Keyring, tables: readonly string[]): Promise<string[]> {
  // a token erased before holds no rows but is known: erasing it again is what erasing its original id again is (nothing
  // held; recorded), so a request list run twice does not fail on the customers already done
  const d = warehouse.dialect;
  const erasedBefore = async (tokens: readonly string[]) =>
    new Set((await warehouse.query(`SELECT DISTINCT token FROM ${ERASED_CUSTOMERS} WHERE token IN (${tokens.map((t) => d.literal(t)).join(', ')})`)).map((r) => String(r.token)));
  const held = await heldTokensOf(warehouse, customerIds, createPseudonymiser(keyring), tables, erasedBefore);
  const tokens = customerIds.map((id, i) => {
    if (held[i] !== null) return held[i]!;
    throw new UserError(
      `${tokenAsGiven(id)} is a customer token this warehouse does not hold: nothing erased, nothing recorded`,
      'pass a token clvkit shows for this warehouse (clvkit customer <id> finds it) or the id as it appears in the input files',
    );
  });
  return [...new Set(tokens)];
}

/**
 * The token each of `ids` names in `warehouse`, asked once for them all — the rule erase (`tokensToErase`) and the
 * look-ups (`heldCustomerToken`) read ids by: an original id is its pseudonym (`pseudonymise`); a token-shaped id
 * (`tokenAsGiven`: a token as pasted, capitals and white space aside) is that token when the warehouse holds rows of
 * it in `tables` (or `known`, asked about the tokens and their pseudonyms, says it is known: tokens erased before),
 * else its pseudonym when rows of that are held or it is known (an original id of another system that looks like a
 * token, `C_ABCDEFGHIJKLMNOPQRSTUVWXYZ`, erased or not), else null — neither is held: erase refuses it, a look-up keeps the token as given.
 *
 * Example: `await heldTokensOf(wh, ['C-1001', 'C_ABCDEFGHIJKLMNOPQRSTUVWXYZ'], pseudonymise, tables)` → `['c_…of C-1001', 'c_…of C_ABC…']` (when only that pseudonym is held)
 */
export async function heldTokensOf(
  warehouse: Warehouse,
  ids: readonly string[],
  pseudonymise: (id: string) => string,
  tables: readonly string[],
  known?: (tokens: readonly string[]) => Promise<ReadonlySet<string>>,
): Promise<(string | null)[]> {
  const shapedIds = ids.filter((id) => tokenAsGiven(id) !== null);
  const tokenShaped = [...new Set(shapedIds.map((id) => tokenAsGiven(id)!))];
  const candidates = [...new Set([...tokenShaped, ...shapedIds.map((id) => pseudonymise(id))])];
  const held = new Set(candidates.length === 0 ? [] : (await countCustomerRows(warehouse, candidates, tables)).filter((c) => c.rows > 0).map((c) => c.token));
  const knownTokens: ReadonlySet<string> = candidates.length === 0 || known === undefined ? new Set() : await known(candidates);
  return ids.map((id) => {
    const token = tokenAsGiven(id);
    if (token === null) return pseudonymise(id);
    if (held.has(token) || knownTokens.has(token)) return token;
    // an original id that looks like a token (held, or known: erased under its pseudonym)
    if (held.has(pseudonymise(id)) || knownTokens.has(pseudonymise(id))) return pseudonymise(id);
    return null;
  });
}

/**
 * The rows each token has in each of `tables` (tables without its rows left out), in
 * the order of `tokens`: what an erasure deletes and audits, counted once, on either engine.
 *
 * Example: `await countCustomerRows(wh, ['c_a'], ['transactions', 'customers'])` → `[{ token: 'c_a', rowCounts: { transactions: 3 }, rows: 3 }]`
 */
export async function countCustomerRows(warehouse: Warehouse, tokens: readonly string[], tables: readonly string[]): Promise<ErasedCustomer[]> {
  const d = warehouse.dialect;
  const list = tokens.map((t) => d.literal(t)).join(', ');
  const counts = new Map<string, Record<string, number>>(tokens.map((t) => [t, {}]));
  // every table in one statement (a UNION ALL of the per-table counts: queryRowsEach), each customer's counts in the order of `tables`
  const perTable = await queryRowsEach(warehouse, tables.map((table) => `SELECT customer_id, count(*) AS n FROM ${d.identifier(table)} WHERE customer_id IN (${list}) GROUP BY customer_id`), ['customer_id', 'n']);
  tables.forEach((table, i) => {
    for (const row of perTable[i]!) counts.get(String(row.customer_id))![table] = Number(row.n);
  });
  return tokens.map((token) => {
    const rowCounts = counts.get(token)!;
    return { token, rowCounts, rows: Object.values(rowCounts).reduce((a, b) => a + b, 0) };
  });
}

/**
 * Deletes every row of `tokens` from `tables`: a `DELETE … WHERE customer_id IN (…)` per table, which ClickHouse runs
 * as a mutation and waits for (`ClickHouseWarehouse.deleteRows`). The erasure's delete on DuckDB, and what an analysis
 * does to the tables it published when a customer was erased while it ran (erased-during-run.ts), on either engine.
 *
 * Example: `await deleteCustomerRowsFrom(wh, ['c_a'], ['customer_summary'])`
 */
export async function deleteCustomerRowsFrom(warehouse: Warehouse, tokens: readonly string[], tables: readonly string[]): Promise<void> {
  const d = warehouse.dialect;
  for (const list of literalLists(d, tokens)) {
    // a plain name unquoted: ClickHouse's DELETE rewrite reads a bare table name
    for (const table of tables) await warehouse.execute(`DELETE FROM ${/^[A-Za-z_][A-Za-z0-9_]*$/.test(table) ? table : d.identifier(table)} WHERE customer_id IN (${list})`);
  }
}

/** Those of `tables` in which any of `customers` has rows, in the order of `tables`. */
export function tablesWithRows(customers: readonly ErasedCustomer[], tables: readonly string[]): string[] {
  return tables.filter((table) => customers.some((c) => table in c.rowCounts));
}
