import type { SentError } from '../../core/errors/thread-errors.js';

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
