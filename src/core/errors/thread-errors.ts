/**
 * Errors across a worker thread's boundary: sent as plain data (`sendableError`), rebuilt on the other side as the class
 * they were thrown as where that matters to callers (`receivedError`): a UserError stays bad input with its hint (a 400,
 * one line and exit 2), a QueryError keeps its SQL. The server's warehouse thread and the cross-sell step's
 * next-purchase rule thread use them.
 */
import { QueryError } from './query-error.js';
import { UserError } from './user-error.js';
import { errorMessage } from './error-message.js';

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
    sent.causeMessage = errorMessage(error.cause);
  }
  return sent;
}

/** The error again, as the class it was thrown as where that matters to callers (UserError and its subclasses by name, QueryError); its stack says which `thread` it came from. */
export function receivedError(sent: SentError, thread = 'the warehouse thread'): Error {
  let error: Error;
  if (sent.sql !== undefined) error = new QueryError(sent.sql, new Error(sent.causeMessage ?? sent.message));
  else if (sent.user) {
    error = new UserError(sent.message, sent.hint);
    if (sent.name !== 'UserError') Object.defineProperty(error, 'name', { value: sent.name });
  } else {
    error = new Error(sent.message);
    if (sent.name !== 'Error') Object.defineProperty(error, 'name', { value: sent.name });
  }
  if (sent.stack) error.stack = `${sent.stack}\n    (in ${thread})`;
  return error;
}
