import type { Warehouse } from './warehouse.js';
import { shellPath } from '../core/shell-word.js';

/** What a cluster warehouse adds to `Warehouse`: its database and cluster (clickhouse-warehouse.ts). */
interface ClusterWarehouse extends Warehouse {
  readonly database: string;
  readonly cluster: string;
}

/** A URL without its user, password, path or query (they may hold credentials): `http://u:p@host:8123/x` → `http://host:8123`; 'URL' when it is none. */
function urlOrigin(url: string): string {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? 'URL' : origin;
  } catch {
    return 'URL';
  }
}

/**
 * The CLI flags that name a ClickHouse database for a hint's command: `--engine clickhouse --clickhouse-url URL
 * --clickhouse-database DB`, and `--cluster NAME` when one other than the default is named. The URL is shown
 * without credentials.
 *
 * Example: `clusterFlags({ url: 'http://127.0.0.1:18621', database: 'shop' })` → `'--engine clickhouse --clickhouse-url http://127.0.0.1:18621 --clickhouse-database shop'`
 */
export function clusterFlags(target: { readonly url: string; readonly database?: string | undefined; readonly cluster?: string | undefined }): string {
  const { cluster } = target;
  return `--engine clickhouse --clickhouse-url ${urlOrigin(target.url)} --clickhouse-database ${target.database ?? 'clvkit'}${cluster && cluster !== 'clvkit' ? ` --cluster ${cluster}` : ''}`;
}

/**
 * The CLI flags that name `warehouse` again, for a hint's command: `--db PATH` for a DuckDB file, `--engine clickhouse
 * --clickhouse-url URL --clickhouse-database DB` (and `--cluster NAME` when not the default) for a cluster, whose
 * location is a URL that `--db` would take for a file name.
 *
 * `duckdb` replaces the DuckDB flags; an in-memory warehouse (a library caller's, or `analyze FILE` without `--db`) is
 * `--db PATH`: it has no path to name again.
 *
 * Example: `warehouseFlags(duck)` → `'--db shop.duckdb'`
 */
export function warehouseFlags(warehouse: Warehouse, duckdb = warehouse.location === ':memory:' ? '--db PATH' : `--db ${shellPath(warehouse.location)}`): string {
  if (warehouse.dialect.name !== 'clickhouse') return duckdb;
  const { location, database, cluster } = warehouse as ClusterWarehouse;
  return clusterFlags({ url: location, database, cluster });
}

/**
 * `warehouse` as a message names it: `the warehouse shop.duckdb` for a DuckDB file (or `duckdb`), `the ClickHouse
 * database DB at URL` for a cluster (the URL without credentials) — the user may hold several databases on one
 * cluster, and its URL is no file.
 *
 * Example: `warehouseName(cluster)` → `'the ClickHouse database shop at http://127.0.0.1:18621'`
 */
export function warehouseName(warehouse: Warehouse, duckdb = `the warehouse ${warehouse.location}`): string {
  if (warehouse.dialect.name !== 'clickhouse') return duckdb;
  const { location, database } = warehouse as ClusterWarehouse;
  return `the ClickHouse database ${database} at ${urlOrigin(location)}`;
}
