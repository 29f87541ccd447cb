/**
 * Every statement a warehouse runs, timed: `CLVKIT_DUCKDB_LOG=FILE` appends one JSON line per statement of an embedded
 * DuckDB warehouse to FILE, as `CLVKIT_CLICKHOUSE_LOG` does for a cluster (clickhouse/statement-log.ts), in the same
 * shape (`{"node":"duckdb","kind":"query","seconds":1.234,"cpuSeconds":2.1,"sql":"…"}`): how a slow run is found
 * statement by statement. `cpuSeconds` is this process's CPU time over the statement, the engine's threads included (it
 * runs in this process), which on a busy machine says more than the wall time.
 *
 * The SQL is written in its shape only, every string literal as `'?'` (sql-literals.ts `statementShape`): literals
 * carry what a log must not keep — pseudonymous tokens, an id as a user typed it, the keyed secret of the row hashes
 * (with it and the warehouse, tokens could be matched to raw ids), file names. The file is made owner-only (0600).
 *
 * Example: `CLVKIT_DUCKDB_LOG=/tmp/statements.jsonl clvkit analyze orders.csv`, then
 * `jq -s 'sort_by(-.cpuSeconds) | .[:10]' /tmp/statements.jsonl`
 */
import { appendFileSync, chmodSync } from 'node:fs';
import { UserError } from '../core/errors/user-error.js';
import { errorMessage } from '../core/errors/error-message.js';
import { statementShape } from './clickhouse/sql-literals.js';
import type { Warehouse } from './warehouse.js';

/** The methods that run SQL, their first argument, and `append`, which writes rows (logged by its table). */
const TRACED = new Set(['execute', 'query', 'queryColumns', 'stream', 'exportCsv', 'append']);

/** Seconds as both statement logs write them: to a tenth of a millisecond (`logSeconds(1.23456789)` → 1.2346). */
export const logSeconds = (seconds: number): number => Number(seconds.toFixed(4));

/** Writes one JSON line per statement. */
export type StatementLogWriter = (line: object) => void;

/**
 * The log file of `variable` (`CLVKIT_DUCKDB_LOG`, `CLVKIT_CLICKHOUSE_LOG`), tried at once: created owner-only (0600),
 * or made so when it exists; one that cannot be written is refused in one line. A write that fails later (a full disk)
 * stops the log with one line on stderr and leaves the statements alone.
 */
export function openStatementLog(file: string, variable: string): StatementLogWriter {
  try {
    appendFileSync(file, '', { mode: 0o600 });
    chmodSync(file, 0o600); // a file that was there: owner-only too
  } catch (error) {
    throw new UserError(`cannot write the statement log ${variable}=${file}: ${errorMessage(error).split('\n')[0]}`, `set ${variable} to a file of yours in a folder you may write, or unset it`);
  }
  let writing = true;
  return (line) => {
    if (!writing) return;
    try {
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    } catch (error) {
      writing = false;
      process.stderr.write(`clvkit: the statement log ${file} stopped: ${errorMessage(error).split('\n')[0]}\n`);
    }
  };
}

/** `warehouse` with each statement written to `write` once it ends (failed ones too, with `"failed":true`). */
export function traceWarehouse(warehouse: Warehouse, node: string, write: StatementLogWriter): Warehouse {
  const dialect = warehouse.dialect.name === 'clickhouse' ? 'clickhouse' : 'duckdb';
  const traced: Warehouse = new Proxy(warehouse, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      // the others bound to the proxy, so that the statements they run (a transaction's BEGIN and COMMIT) are logged too
      if (typeof property !== 'string' || !TRACED.has(property)) return (value as (...a: unknown[]) => unknown).bind(traced);
      const text = (args: unknown[]) => (property === 'append' ? `APPEND INTO ${String(args[0])}` : statementShape(String(args[0]), dialect));
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
          write({ node, kind: property, seconds: logSeconds((performance.now() - started) / 1000), cpuSeconds: logSeconds((used.user + used.system) / 1e6), ...(failed ? { failed } : {}), sql: text(args) });
        }
      };
    },
  });
  return traced;
}
