import { AsyncLocalStorage } from 'node:async_hooks';
import { startModuleWorker } from '../../core/start-module-worker.js';
import { duckdbDialect } from '../../engine/sql-dialect.js';
import { holdOwnerOnlyUmask } from '../../engine/owner-only-umask.js';
import type { AppendColumns, ColumnarResult, Row, Warehouse } from '../../engine/warehouse.js';
import type { ApplyGroup } from './ingest-queue.js';
import { receivedError } from '../../core/errors/thread-errors.js';
import type { ThreadCall, ThreadReply, ThreadRequest } from './warehouse-thread-messages.js';
import type { WarehouseThreadData } from './warehouse-thread-worker.js';

/** The served DuckDB file, owned by a worker thread; what the server's own thread gets. */
export interface WarehouseThread {
  /** every call sent to the warehouse thread (a transaction holds that thread's connection from its BEGIN to its end) */
  readonly warehouse: Warehouse;
  /** writes an ingested group's file and applies it in the warehouse thread (`ingestFiles` there, with the warehouse key) */
  readonly applyGroup: ApplyGroup;
  /** the worker's thread id (not 0: not the server's main thread) */
  readonly threadId: number;
  /**
   * Resolves with the reason when the thread dies while open (an uncaught
   * error, out of memory, its exit): every call fails from then on, so the
   * server must stop (`startServer` does). Never resolves after `close`.
   */
  readonly died: Promise<Error>;
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; onRows?: (rows: Row[]) => void | Promise<void> };

/**
 * Opens the served warehouse in a worker thread (`warehouse-thread-worker.ts`)
 * and answers a `Warehouse` whose calls are sent there, plus the `ApplyGroup`
 * that writes and ingests a group there. DuckDB allows one open instance of a file per
 * process, so the thread owns the file and the server's thread only sends
 * SQL and receives plain values (rows, columns, Dates: structured clones).
 * What the apply does in JavaScript — HMAC tokens and encryption per
 * customer, reading results into objects, the appender, the audit — then
 * runs beside the event loop instead of on it, and acknowledged requests no
 * longer wait behind it. The file must exist, with its schema migrated and
 * its key resolvable (`openKeyedWarehouse` on this thread first, then
 * closed). Operations keep their order: wrap the result in
 * `serialiseWarehouse` as for any shared warehouse.
 *
 * Example: `const { warehouse, applyGroup } = await openWarehouseThread({ db: 'shop.duckdb' })`
 */
export async function openWarehouseThread(data: WarehouseThreadData): Promise<WarehouseThread> {
  // The umask is the process's, and a worker may not set it: this thread narrows it to owner-only while the thread opens
  // the file and while each call runs there (`holdOwnerOnlyUmask`), so that the write-ahead log DuckDB makes beside the
  // file is its owner's only, as in a warehouse opened on this thread.
  const opening = holdOwnerOnlyUmask();
  const worker = startModuleWorker(import.meta.url, 'warehouse-thread-worker', data);
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let failure: Error | null = null;
  const ready = new Promise<void>((resolve, reject) => pending.set(0, { resolve: () => resolve(), reject }));
  worker.on('message', (reply: ThreadReply) => {
    const waiting = pending.get(reply.id);
    if (!waiting) {
      // a chunk of a stream whose reader failed: the thread is told to stop it (it waits for an answer to each chunk)
      if ('rows' in reply) worker.postMessage({ id: reply.id, op: 'ack', stop: true } satisfies ThreadRequest);
      return;
    }
    if ('rows' in reply) {
      // a chunk of a stream: handed on, then the thread is told to send the next
      Promise.resolve(waiting.onRows?.(reply.rows as Row[])).then(
        () => worker.postMessage({ id: reply.id, op: 'ack' } satisfies ThreadRequest),
        (error: unknown) => {
          pending.delete(reply.id);
          waiting.reject(error instanceof Error ? error : new Error(String(error)));
          worker.postMessage({ id: reply.id, op: 'ack', stop: true } satisfies ThreadRequest);
        },
      );
      return;
    }
    pending.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.result);
    else waiting.reject(receivedError(reply.error));
  });
  let closing = false;
  let reportDeath: (reason: Error) => void = () => undefined;
  const died = new Promise<Error>((resolve) => (reportDeath = resolve));
  const fail = (error: Error) => {
    failure ??= error;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
    if (!closing) reportDeath(failure);
  };
  worker.on('error', (error) => fail(new Error(`the warehouse thread failed: ${error.message}`, { cause: error })));
  worker.on('exit', (code) => fail(new Error(`the warehouse thread stopped (exit ${code})`)));
  try {
    await ready;
  } finally {
    opening();
  }

  const call = <T>(request: ThreadCall, onRows?: Pending['onRows']): Promise<T> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    // not for exportCsv: a read-only COPY writes no log, and the file it writes is the caller's (the mode it chose)
    const release = request.op === 'exportCsv' ? () => undefined : holdOwnerOnlyUmask();
    return new Promise<T>((resolve, reject) => {
      pending.set(id, {
        resolve: (value) => {
          release();
          resolve(value as T);
        },
        reject: (error) => {
          release();
          reject(error);
        },
        ...(onRows ? { onRows } : {}),
      });
      worker.postMessage({ ...request, id } as ThreadRequest);
    });
  };
  /** the open transaction of the calling async context, when there is one */
  const inTransaction = new AsyncLocalStorage<number>();
  const tx = () => {
    const open = inTransaction.getStore();
    return open === undefined ? {} : { tx: open };
  };
  const location = data.db;
  const warehouse: Warehouse = {
    dialect: duckdbDialect,
    location,
    execute: (sql) => call<void>({ op: 'execute', sql, ...tx() }),
    query: (sql) => call<Row[]>({ op: 'query', sql, ...tx() }),
    queryColumns: (sql) => call<ColumnarResult>({ op: 'queryColumns', sql, ...tx() }),
    stream: (sql, onRows) => call<number>({ op: 'stream', sql, ...tx() }, onRows),
    append: (table, columns: AppendColumns) => call<number>({ op: 'append', table, columns: columns as Record<string, unknown>, ...tx() }),
    exportCsv: (sql, path) => call<number>({ op: 'exportCsv', sql, path, ...tx() }),
    async transaction<T>(work: () => Promise<T>): Promise<T> {
      if (inTransaction.getStore() !== undefined) return work(); // nested: part of the open one (as on DuckDB)
      const id = await call<number>({ op: 'begin' });
      let result: T;
      try {
        result = await inTransaction.run(id, work);
      } catch (error) {
        await call({ op: 'end', tx: id, commit: false }).catch(() => undefined);
        throw error;
      }
      await call({ op: 'end', tx: id, commit: true });
      return result;
    },
    async close() {
      closing = true;
      if (!failure) await call({ op: 'close' });
      await worker.terminate();
    },
  };
  const applyGroup: ApplyGroup = ({ file, bodies }, options) => call<{ ingestId: number | null }>({ op: 'apply', file, bodies, ...options });
  return { warehouse, applyGroup, threadId: worker.threadId, died };
}

