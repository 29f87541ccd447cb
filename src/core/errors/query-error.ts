import { errorMessage } from './error-message.js';

/**
 * A failed query: keeps the engine's message as the cause and appends the SQL
 * text, so a failure can be read without a debugger (mosaic's query-error).
 */
export class QueryError extends Error {
  override readonly name = 'QueryError';
  constructor(
    readonly sql: string,
    override readonly cause: unknown,
    /** the shard (0-based) that refused it, when it was run on one shard of a cluster */
    readonly shard?: number,
  ) {
    const reason = errorMessage(cause);
    super(`${reason}\n-- while running:\n${sql.trim()}`);
  }
}
