/**
 * Every statement a warehouse runs, timed: `CLVKIT_DUCKDB_LOG=FILE` appends one JSON line per statement of an embedded
 * DuckDB warehouse to FILE, as `CLVKIT_CLICKHOUSE_LOG` does for a cluster (clickhouse/statement-log.ts), in the same
 * shape (`{"node":"duckdb","kind":"query","seconds":1.234,"cpuSeconds":2.1,"sql":"…"}`): how a slow run is found
 * statement by statement. `cpuSeconds` is this process's CPU time over the statement, the engine's threads included (it
 * runs in this process), which on a busy machine says more than the wall time.
 *
 * Example: `CLVKIT_DUCKDB_LOG=/tmp/statements.jsonl clvkit analyze orders.csv`, then
 * `jq -s 'sort_by(-.seconds) | .[:10]' /tmp/statements.jsonl`
 */
import { appendFileSync } from 'node:fs';
import type { Warehouse } from './warehouse.js';

/** The methods that run SQL (or write rows), and what the log calls each. */
const TRACED: Readonly<Record<string, (args: unknown[]) => string>> = {
  execute: (args) => String(args[0]),
  query: (args) => String(args[0]),
  queryColumns: (args) => String(args[0]),
  stream: (args) => String(args[0]),
  exportCsv: (args) => String(args[0]),
  append: (args) => `APPEND INTO ${String(args[0])}`,
};

/** `warehouse` with each statement appended to `file` as a JSON line once it ends (failed ones too, with `"failed":true`). */
export function traceWarehouse(warehouse: Warehouse, node: string, file: string): Warehouse {
  return new Proxy(warehouse, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const describe = typeof property === 'string' ? TRACED[property] : undefined;
      if (!describe) return (value as (...a: unknown[]) => unknown).bind(target);
      return async (...args: unknown[]) => {
        const started = performance.now();
        const cpu = process.cpuUsage();
        let failed = false;
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } catch (error) {
          failed = true;
          throw error;
        } finally {
          const used = process.cpuUsage(cpu);
          const line = { node, kind: property, seconds: round((performance.now() - started) / 1000), cpuSeconds: round((used.user + used.system) / 1e6), ...(failed ? { failed } : {}), sql: describe(args) };
          appendFileSync(file, `${JSON.stringify(line)}\n`);
        }
      };
    },
  });
}

const round = (seconds: number) => Number(seconds.toFixed(4));
