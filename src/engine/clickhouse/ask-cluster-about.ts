import type { ClickHouseWarehouse } from './clickhouse-warehouse.js';
import { stagingName } from './append-atomically.js';

/** Hands each batch of values read here to `send` before the next is read; returns what the reading found (a count, a time span). */
export type ReadValues<R> = (send: (values: readonly string[]) => Promise<void>) => Promise<R>;

/**
 * Asks a cluster about values read here, batch by batch: each batch `read` hands over is appended to a one-column
 * Memory table on the entry node (`<prefix>__staging_…`, made at the first non-empty batch under a scratch lease, so no
 * more than one batch is held here), then `query` reads with it — `GLOBAL IN (SELECT <column> FROM <table>)` reaches
 * every shard — and the table is dropped, whatever happened. `none` when no value was sent (`query` not run).
 *
 * Example: `await askClusterAbout(cluster, 'events_asked', 'row_hash', readRows, (table) => cluster.query(`SELECT DISTINCT row_hash FROM events WHERE row_hash GLOBAL IN (SELECT row_hash FROM ${table})`), [])`
 */
export async function askClusterAbout<R, T>(cluster: ClickHouseWarehouse, prefix: string, column: string, read: ReadValues<R>, query: (table: string, read: R) => Promise<T>, none: T): Promise<T> {
  const asked = stagingName(prefix);
  const table = `${cluster.database}.${asked}`;
  let made = false;
  try {
    const found = await read(async (values) => {
      if (values.length === 0) return;
      if (!made) {
        made = true;
        await cluster.scratchLeases.hold(asked);
        await cluster.execute(`CREATE TABLE ${table} (${column} String) ENGINE = Memory`);
      }
      await cluster.append(asked, { [column]: [...values] });
    });
    return made ? await query(table, found) : none;
  } finally {
    if (made) await cluster.execute(`DROP TABLE IF EXISTS ${table}`);
  }
}
