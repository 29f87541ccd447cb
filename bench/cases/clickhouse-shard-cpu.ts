// CPU seconds per shard of the customer summary's aggregation against the bare GROUP BY and a GROUP BY reading the
// summary's columns, each run on every shard's local table with `log_queries = 1` and read back from system.query_log
// (UserTimeMicroseconds + SystemTimeMicroseconds: ClickHouse 18.16 keeps ProfileEvents there). CPU time survives the
// load of a shared machine far better than wall-clock time. The least of `runs` runs of each query.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createClient } from '@clickhouse/client';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { buildCustomerSummarySql } from '../../src/features/customer-summary.js';

export interface ShardCpu {
  readonly bare: number[];
  readonly columns: number[];
  readonly summary: number[];
}

export async function shardCpuSeconds(warehouse: ClickHouseWarehouse, asOf: string, runs = 3): Promise<ShardCpu> {
  const local = `${warehouse.database}.transactions_local`;
  // every column computed and discarded on the server (FORMAT Null): a count over the subquery would let ClickHouse
  // drop the aggregates nobody reads
  const wrap = (sql: string) => `${sql} FORMAT Null`;
  // the summary's aggregation as each shard runs it (the dialect's one GROUP BY customer_id), on the local table
  const summary = buildCustomerSummarySql(warehouse.dialect, { asOf, timeUnit: 'week', table: local });
  const occasions = /WITH with_money AS \(\s*([\s\S]*)\)\s*SELECT\s/.exec(summary)?.[1];
  if (!occasions) throw new Error('the summary SQL has no with_money step to time');
  const queries = {
    bare: wrap(`SELECT customer_id, count() AS k FROM ${local} GROUP BY customer_id`),
    columns: wrap(`SELECT customer_id, count() AS k, max(ts) AS a, max(amount) AS b, max(cost) AS c, max(length(order_id)) AS d, max(is_return) AS e FROM ${local} GROUP BY customer_id`),
    summary: wrap(occasions),
  };
  const result: Record<string, number[]> = {};
  for (const [name, sql] of Object.entries(queries)) {
    result[name] = [];
    for (const url of warehouse.shardUrls) {
      const shard = createClient({ url, request_timeout: 3600_000, clickhouse_settings: { send_progress_in_http_headers: 1, http_headers_progress_interval_ms: '110000' } });
      try {
        const ids: string[] = [];
        for (let i = 0; i < runs; i++) {
          const id = `clvkit_cpu_${randomBytes(6).toString('hex')}`;
          ids.push(id);
          const run = await shard.exec({ query: sql, query_id: id, clickhouse_settings: { log_queries: 1 } });
          run.stream.resume();
          await once(run.stream, 'end');
        }
        await shard.command({ query: 'SYSTEM FLUSH LOGS' });
        const text = await (
          await shard.query({
            query: `SELECT min(arraySum(arrayFilter((v, n) -> n IN ('UserTimeMicroseconds', 'SystemTimeMicroseconds'), ProfileEvents.Values, ProfileEvents.Names))) / 1e6 FROM system.query_log WHERE type = 2 AND query_id IN (${ids.map((id) => `'${id}'`).join(', ')})`,
            format: 'TabSeparated',
          })
        ).text();
        result[name]!.push(Number(text.trim()));
      } finally {
        await shard.close();
      }
    }
  }
  return result as unknown as ShardCpu;
}
