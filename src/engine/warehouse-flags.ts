import type { Warehouse } from './warehouse.js';

/** What a cluster warehouse adds to `Warehouse`: its database and cluster (clickhouse-warehouse.ts). */
interface ClusterWarehouse extends Warehouse {
  readonly database: string;
  readonly cluster: string;
}

/**
 * The CLI flags that name `warehouse` again, for a hint's command: `--db PATH` for a DuckDB file, `--engine clickhouse
 * --clickhouse-url URL --clickhouse-database DB` (and `--cluster NAME` when not the default) for a cluster, whose
 * location is a URL that `--db` would take for a file name.
 *
 * `duckdb` replaces the DuckDB flags (a hint that says `--db PATH`).
 *
 * Example: `warehouseFlags(duck)` → `'--db shop.duckdb'`
 */
export function warehouseFlags(warehouse: Warehouse, duckdb = `--db ${warehouse.location}`): string {
  if (warehouse.dialect.name !== 'clickhouse') return duckdb;
  const { location, database, cluster } = warehouse as ClusterWarehouse;
  return `--engine clickhouse --clickhouse-url ${location} --clickhouse-database ${database}${cluster && cluster !== 'clvkit' ? ` --cluster ${cluster}` : ''}`;
}
