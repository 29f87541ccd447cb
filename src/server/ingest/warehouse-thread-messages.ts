import { QueryError } from '../../core/errors/query-error.js';
import { UserError } from '../../core/errors/user-error.js';

/** What the server's thread asks the warehouse thread (`warehouse-thread-worker.ts`); `tx` marks an operation of an open transaction. */
export type ThreadRequest =
  | { readonly id: number; readonly op: 'execute' | 'query' | 'queryColumns'; readonly sql: string; readonly tx?: number }
  | { readonly id: number; readonly op: 'stream'; readonly sql: string; readonly tx?: number }
  | { readonly id: number; readonly op: 'ack'; readonly stop?: boolean }
  | { readonly id: number; readonly op: 'append'; readonly table: string; readonly columns: Record<string, unknown>; readonly tx?: number }
  | { readonly id: number; readonly op: 'exportCsv'; readonly sql: string; readonly path: string; readonly tx?: number }
  | { readonly id: number; readonly op: 'begin' }
  | { readonly id: number; readonly op: 'end'; readonly tx: number; readonly commit: boolean }
  | { readonly id: number; readonly op: 'apply'; readonly file: string; readonly bodies: readonly string[]; readonly kind: 'events' | 'transactions'; readonly actor: string; readonly role: string }
  | { readonly id: number; readonly op: 'close' };

/** A request before its id is given. */
export type ThreadCall = ThreadRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

/** The answer to request `id`: a result, an error, or (stream) one chunk of rows that waits for an `ack`. */
export type ThreadReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: SentError }
  | { readonly id: number; readonly rows: readonly Record<string, unknown>[] };

/** An error as it crosses the thread boundary (its class is rebuilt on the other side: `UserError` stays a 400, `QueryError` keeps its SQL). */
export interface SentError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  /** thrown as a UserError (or a subclass): bad input, not a bug */
  readonly user?: boolean;
  readonly hint?: string;
  readonly sql?: string;
  readonly causeMessage?: string;
}

export function sendableError(error: unknown): SentError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const sent: { -readonly [K in keyof SentError]: SentError[K] } = { name: error.name, message: error.message };
  if (error.stack) sent.stack = error.stack;
  if (error instanceof UserError) {
    sent.user = true;
    if (error.hint !== undefined) sent.hint = error.hint;
  }
  if (error instanceof QueryError) {
    sent.sql = error.sql;
    sent.causeMessage = error.cause instanceof Error ? error.cause.message : String(error.cause);
  }
  return sent;
}

/** The error again, as the class it was thrown as where that matters to callers (UserError and its subclasses by name, QueryError). */
export function receivedError(sent: SentError): Error {
  let error: Error;
  if (sent.sql !== undefined) error = new QueryError(sent.sql, new Error(sent.causeMessage ?? sent.message));
  else if (sent.user) {
    error = new UserError(sent.message, sent.hint);
    if (sent.name !== 'UserError') Object.defineProperty(error, 'name', { value: sent.name });
  } else {
    error = new Error(sent.message);
    if (sent.name !== 'Error') Object.defineProperty(error, 'name', { value: sent.name });
  }
  if (sent.stack) error.stack = `${sent.stack}\n    (in the warehouse thread)`;
  return error;
}
