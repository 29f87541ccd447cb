/**
 * An ingested group's copy to the cluster tried again when the cluster did
 * not answer (a connection refused, reset or timed out): the copy is one
 * unit and a retry discards what a broken attempt left (see
 * copy-ingest-to-clickhouse.ts), so trying again neither duplicates nor
 * loses. Any other failure is thrown at once (the ingest queue then sets the
 * batch aside, as on DuckDB).
 */

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);
const CONNECTION_MESSAGE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|socket hang up|Timeout error|no ClickHouse server answers/;

/** The failure (or one of its causes) is the cluster not answering, not an answer. */
export function isClusterUnreachable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
    if (typeof message === 'string' && CONNECTION_MESSAGE.test(message)) return true;
  }
  return false;
}

export interface RetryClusterApplyOptions {
  /** waits before the 2nd, 3rd… attempt (default 0.5 s, 2 s, 8 s: four attempts in all) */
  readonly delaysMs?: readonly number[];
  readonly onRetry?: (attempt: number, error: unknown) => void;
}

/** `apply`, again after each delay while the cluster does not answer. */
export async function retryClusterApply<T>(apply: () => Promise<T>, options: RetryClusterApplyOptions = {}): Promise<T> {
  const delays = options.delaysMs ?? [500, 2_000, 8_000];
  for (let attempt = 0; ; attempt++) {
    try {
      return await apply();
    } catch (error) {
      if (attempt >= delays.length || !isClusterUnreachable(error)) throw error;
      options.onRetry?.(attempt + 1, error);
      await new Promise((resolve) => setTimeout(resolve, delays[attempt]));
    }
  }
}
