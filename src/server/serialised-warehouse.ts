import { AsyncLocalStorage } from 'node:async_hooks';
import type { Warehouse } from '../engine/warehouse.js';

/**
 * A warehouse shared by concurrent requests: one connection runs one
 * operation at a time, and a transaction keeps the connection to itself until
 * it ends (the operations inside it — in its async context — run directly;
 * others wait their turn). Without this, a request's query could land inside
 * another request's open transaction.
 *
 * Example: `const shared = serialiseWarehouse(await openDuckDbWarehouse('shop.duckdb'))`
 */
export function serialiseWarehouse(inner: Warehouse): Warehouse {
  const holder = new AsyncLocalStorage<boolean>();
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    if (holder.getStore()) return work();
    const run = tail.then(() => holder.run(true, work));
    tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };
  return {
    dialect: inner.dialect,
    location: inner.location,
    execute: (sql) => exclusive(() => inner.execute(sql)),
    query: (sql) => exclusive(() => inner.query(sql)),
    queryColumns: (sql) => exclusive(() => inner.queryColumns(sql)),
    stream: (sql, onRows) => exclusive(() => inner.stream(sql, onRows)),
    append: (table, columns) => exclusive(() => inner.append(table, columns)),
    exportCsv: (sql, path) => exclusive(() => inner.exportCsv(sql, path)),
    transaction: (work) => exclusive(() => inner.transaction(work)),
    close: () => exclusive(() => inner.close()),
    ...(inner.spillToFreshFolder ? { spillToFreshFolder: () => exclusive(() => inner.spillToFreshFolder!()) } : {}),
  };
}
