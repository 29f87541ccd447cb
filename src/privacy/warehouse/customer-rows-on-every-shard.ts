import type { ClickHouseWarehouse } from '../../engine/clickhouse/clickhouse-warehouse.js';
import { dropOrphanedScratch, scratchTables } from '../../engine/clickhouse/scratch-leases.js';
import type { ErasedCustomer } from './erase-customers.js';
import { unionAllBatches } from '../../engine/union-all.js';
import { errorMessage } from '../../core/errors/error-message.js';

/** Rows of one customer found in one table of one shard. */
export interface RowsFound {
  readonly shard: number;
  /** the table as the shard names it (a sharded table's `…_local`, a scratch table's own name) */
  readonly table: string;
  readonly token: string;
  readonly rows: number;
  /** a writer's scratch table (scratch-leases.ts): a staging or exact table of an ingest, or a run's (staged, TEMP); false for any other */
  readonly scratch: false | 'staging' | 'run';
}

/**
 * The rows of `tokens` held anywhere in the cluster's database: every table
 * with a `customer_id` column on every shard, as `system.columns` lists them
 * there — the shards' `_local` tables, tables on one node only, Memory
 * tables, the scratch tables `information_schema` hides — so a table nobody
 * listed cannot be missed. Distributed tables and views are skipped (their
 * rows are the shards' tables'). Returns the tables holding any, with how
 * many, and how many tables (distinct names over the shards) were counted.
 */
export async function customerRowsOnEveryShard(cluster: ClickHouseWarehouse, tokens: readonly string[]): Promise<{ found: RowsFound[]; tablesCounted: number }> {
  const db = cluster.dialect.literal(cluster.database);
  const found: RowsFound[] = [];
  const counted = new Set<string>();
  if (tokens.length === 0) return { found, tablesCounted: 0 };
  const list = tokens.map((token) => cluster.dialect.literal(token)).join(', ');
  const perShard = await cluster.queryOnEachShard(
    `SELECT name FROM system.tables WHERE database = ${db} AND engine NOT IN ('Distributed', 'View', 'MaterializedView')
       AND name IN (SELECT table FROM system.columns WHERE database = ${db} AND name = 'customer_id') ORDER BY name`,
  );
  for (const [shard, answer] of perShard.entries()) {
    const tables = answer.split('\n').filter(Boolean);
    for (const table of tables) counted.add(table);
    // the shard's tables counted in one query (as few as fit: unionAllBatches), rows in table then customer order
    const batches = unionAllBatches(tables.map((table, i) => `SELECT ${i} AS t, customer_id, count() AS n FROM ${cluster.database}.${table} WHERE customer_id IN (${list}) GROUP BY customer_id`));
    for (const batch of batches) {
      let counts: string;
      try {
        counts = await cluster.queryOnShard(shard, `SELECT t, customer_id, n FROM (${batch.sql}) ORDER BY t, customer_id`);
      } catch {
        // a table dropped since it was listed (a writer's scratch table, at its end), or one the union cannot read beside
        // the others: each counted alone, as before the union — the dropped one skipped, any other failure thrown
        for (const i of batch.parts) found.push(...(await countOne(cluster, shard, tables[i]!, list)));
        continue;
      }
      for (const line of counts.split('\n').filter(Boolean)) {
        const [t, token, rows] = line.split('\t');
        found.push({ shard, table: tables[Number(t)]!, token: token!, rows: Number(rows), scratch: false });
      }
    }
  }
  if (found.length === 0) return { found, tablesCounted: counted.size };
  // which of them are a writer's scratch tables: a running one's (the orphaned ones were dropped before this count), or
  // one whose lease lapsed since (the next sweep drops it)
  const scratch = new Map((await scratchTables(cluster)).map((t) => [`${t.shard}:${t.name}`, t.kind]));
  return { found: found.map((f) => ({ ...f, scratch: scratch.get(`${f.shard}:${f.table}`) ?? false })), tablesCounted: counted.size };
}

const dropped = (error: unknown) => /UNKNOWN_TABLE|doesn't exist|Code: 60\b/.test(errorMessage(error));

/** The rows of `list`'s customers in one table of one shard; none when the table was dropped since it was listed. */
async function countOne(cluster: ClickHouseWarehouse, shard: number, table: string, list: string): Promise<RowsFound[]> {
  let counts: string;
  try {
    counts = await cluster.queryOnShard(shard, `SELECT customer_id, count() FROM ${cluster.database}.${table} WHERE customer_id IN (${list}) GROUP BY customer_id ORDER BY customer_id`);
  } catch (error) {
    if (dropped(error)) return [];
    throw error;
  }
  return counts.split('\n').filter(Boolean).map((line) => {
    const [token, rows] = line.split('\t');
    return { shard, table, token: token!, rows: Number(rows), scratch: false as const };
  });
}

/** `found` per customer of `tokens` (in their order), as `ErasedCustomer` rows left: per table, summed over the shards. */
export function rowsLeftPerCustomer(tokens: readonly string[], found: readonly RowsFound[]): ErasedCustomer[] {
  return tokens.map((token) => {
    const rowCounts: Record<string, number> = {};
    for (const f of found.filter((f) => f.token === token)) rowCounts[f.table] = (rowCounts[f.table] ?? 0) + f.rows;
    return { token, rowCounts, rows: Object.values(rowCounts).reduce((sum, n) => sum + n, 0) };
  });
}

/**
 * The erasure's last look: the orphaned scratch tables dropped
 * (`dropOrphanedScratch`), then every table of every shard counted for
 * `tokens` (`customerRowsOnEveryShard`). Rows left only in scratch tables a
 * running writer holds (an ingest staging a file with these customers,
 * which leaves them out or is refused, then drops its tables) are waited
 * for, up to `waitSeconds`, sweeping again each second (a writer killed
 * meanwhile is dropped once its lease lapses); rows anywhere else end the
 * wait at once. Returns what is left (empty: checked gone), the scratch
 * tables dropped and the tables counted on the last look.
 */
export async function settleCustomerRows(cluster: ClickHouseWarehouse, tokens: readonly string[], waitSeconds: number): Promise<{ found: RowsFound[]; scratchDropped: string[]; tablesCounted: number }> {
  const deadline = Date.now() + waitSeconds * 1000;
  const scratchDropped = new Set<string>();
  for (;;) {
    for (const name of await dropOrphanedScratch(cluster)) scratchDropped.add(name);
    const { found, tablesCounted } = await customerRowsOnEveryShard(cluster, tokens);
    if (found.length === 0 || found.some((f) => !f.scratch) || Date.now() >= deadline) return { found, scratchDropped: [...scratchDropped].sort(), tablesCounted };
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
