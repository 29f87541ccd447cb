/**
 * ClickHouse 18.16 lists `system.tables` by walking the database's tables, and
 * fails the whole read ("Code: 60 … Table db.x doesn't exist") when another
 * writer drops a table during the walk — another file's ingest copy dropping
 * its staging table, a run dropping its scratch tables. Measured on the 2-shard
 * cluster: about 1 read in 700 fails while a loop creates and drops tables
 * beside it. The read is safe to repeat (it changes nothing), so a statement
 * that reads the catalog is run again when it fails so.
 *
 * ClickHouse before 20.12 could also cancel a distributed query while it was
 * still sending it to a shard (a LIMIT met early; upstream pull request
 * 17254): that shard connection is then out of step, and the next query sent
 * over it fails with "Unexpected packet Data received from client" (code
 * 101) before any of it ran there. Seen once in about 15 runs of the
 * ClickHouse ingest tests, on a GROUP BY with no LIMIT. Reads (every
 * statement `withCatalogRetry` is given: `query`, `queryColumns`) are sent
 * again when they fail so; the broken connection has left the pool by then.
 * Any other error fails at once.
 */

import { errorMessage } from '../../core/errors/error-message.js';

/** Whether a statement reads the catalog tables the race above can fail (the information_schema views are read from them). */
export function readsCatalog(statement: string): boolean {
  return /\bsystem\.(tables|columns)\b/i.test(statement);
}

/** Whether `error` is ClickHouse's "table doesn't exist" (code 60), the error the race above gives. */
export function isUnknownTable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '60' || code === 60) return true;
  return /\bCode: 60\b/.test(errorMessage(error));
}

/** Whether `error` is a shard's "Unexpected packet … received from client" (code 101): its connection was out of step. */
export function isConnectionOutOfStep(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '101' || code === 101) return true;
  return /\bCode: 101\b/.test(errorMessage(error));
}

/** Attempts of a catalog read before its error is reported (the race lost 5 times in a row is not a race). */
export const CATALOG_READ_ATTEMPTS = 5;

/**
 * The read `run()`, repeated (after 10, 20, 40, 80 ms) when `statement` reads the catalog and fails with an unknown
 * table, or when it fails over a connection out of step, at most `CATALOG_READ_ATTEMPTS` times in all; the last error
 * is thrown as it came.
 *
 * Example: `await withCatalogRetry(sql, () => client.query({ query: sql }))`
 */
export async function withCatalogRetry<T>(statement: string, run: () => Promise<T>): Promise<T> {
  const retries = readsCatalog(statement);
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= CATALOG_READ_ATTEMPTS || !((retries && isUnknownTable(error)) || isConnectionOutOfStep(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** (attempt - 1)));
    }
  }
}
