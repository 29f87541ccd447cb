/**
 * A log of every statement a ClickHouse warehouse sends, with its duration:
 * how the cost of an analysis on the cluster is found statement by statement
 * (issue 18: analyze's SQL chain against a bare distributed GROUP BY).
 * `traceClient` wraps a client so that each `command`, `insert` and `query`
 * (until its whole body is read with `text()`/`json()`) reports to the logger.
 * `CLVKIT_CLICKHOUSE_LOG=FILE` appends one JSON line per statement to FILE
 * (`{"node":"entry","seconds":1.234,"sql":"…"}`), the SQL in its shape only (string literals as `'?'`,
 * sql-literals.ts `statementShape`), the file owner-only.
 *
 * Example: `openClickHouseWarehouse(url, { onStatement: (e) => console.log(e.seconds, e.sql.slice(0, 80)) })`
 */
import { logSeconds, openStatementLog } from '../trace-warehouse.js';
import { statementShape } from './sql-literals.js';
import type { ClickHouseClient } from '@clickhouse/client';

export interface StatementLogEntry {
  /** `entry` or `shard N` (1-based) */
  readonly node: string;
  /** `command`, `insert` or `query` */
  readonly kind: string;
  readonly sql: string;
  readonly seconds: number;
}

export type StatementLogger = (entry: StatementLogEntry) => void;

/** The logger of `CLVKIT_CLICKHOUSE_LOG=FILE` (JSON lines; the file tried at once, trace-warehouse.ts `openStatementLog`), or undefined when it is not set. */
export function statementLoggerFromEnvironment(env: NodeJS.ProcessEnv = process.env): StatementLogger | undefined {
  const file = env.CLVKIT_CLICKHOUSE_LOG;
  if (!file) return undefined;
  const write = openStatementLog(file, 'CLVKIT_CLICKHOUSE_LOG');
  // the statement's shape only (string literals as '?': tokens, typed ids, the row hashes' keyed secret), owner-only
  return (entry) => write({ node: entry.node, kind: entry.kind, seconds: logSeconds(entry.seconds), sql: statementShape(entry.sql, 'clickhouse') });
}

/** Both loggers, either, or none. */
export function combineLoggers(a: StatementLogger | undefined, b: StatementLogger | undefined): StatementLogger | undefined {
  if (!a) return b;
  if (!b) return a;
  return (entry) => {
    a(entry);
    b(entry);
  };
}

/** `client` with every statement timed and reported to `log` (the same client when there is no logger). */
export function traceClient(client: ClickHouseClient, node: string, log: StatementLogger | undefined): ClickHouseClient {
  if (!log) return client;
  const report = (kind: string, sql: string, started: number) => log({ node, kind, sql, seconds: (performance.now() - started) / 1000 });
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property === 'command' || property === 'insert') {
        return async (params: { query?: string; table?: string; values?: unknown }) => {
          const started = performance.now();
          try {
            return await (value as (p: unknown) => Promise<unknown>).call(target, params);
          } finally {
            const rows = Array.isArray(params.values) ? ` (${params.values.length} rows)` : '';
            report(property, params.query ?? `INSERT INTO ${params.table ?? '?'}${rows}`, started);
          }
        };
      }
      if (property === 'query') {
        return async (params: { query: string }) => {
          const started = performance.now();
          const result = (await (value as (p: unknown) => Promise<Record<string, unknown>>).call(target, params));
          const done = () => report('query', params.query, started);
          return new Proxy(result, {
            get(set, name, r) {
              const member = Reflect.get(set, name, r) as unknown;
              if (name !== 'text' && name !== 'json' && name !== 'stream') return typeof member === 'function' ? (member as (...a: unknown[]) => unknown).bind(set) : member;
              if (name === 'stream') {
                return () => {
                  const stream = (member as () => AsyncIterable<unknown> & NodeJS.EventEmitter).call(set);
                  stream.once('end', done);
                  return stream;
                };
              }
              return async () => {
                try {
                  return await (member as () => Promise<unknown>).call(set);
                } finally {
                  done();
                }
              };
            },
          });
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
