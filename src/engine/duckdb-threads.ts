import { UserError } from '../core/errors/user-error.js';

/**
 * The DuckDB worker threads of a warehouse opened with `threads` (undefined: DuckDB's default, every core), capped by
 * CLVKIT_DUCKDB_THREADS when that is set — a ceiling for every DuckDB instance clvkit opens, for a machine shared with
 * other work (or a test suite whose two workers share two cores: on tables of a few thousand rows a second thread costs
 * more CPU than it saves). `UserError` when the variable is not a whole number from 1.
 */
export function duckDbThreads(threads: number | undefined): number | undefined {
  const text = process.env.CLVKIT_DUCKDB_THREADS;
  if (text === undefined || text === '') return threads;
  const cap = Number(text);
  if (!Number.isInteger(cap) || cap < 1) throw new UserError(`CLVKIT_DUCKDB_THREADS=${text} is not a whole number of threads from 1`, 'unset it for all cores, or give e.g. 2');
  return threads === undefined ? cap : Math.min(threads, cap);
}
