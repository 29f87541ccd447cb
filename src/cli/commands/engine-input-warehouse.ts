import { accessFromFlags } from './shared-options.js';
import { shellPath } from '../../core/shell-word.js';
import type { Warehouse } from '../../engine/warehouse.js';
import { UserError } from '../../core/errors/user-error.js';
import { lazyFunction } from '../lazy-function.js';
import { clickhouseTarget } from './clickhouse-target.js';
import { checkEngineFlags, type EngineFlags } from './engine-flags.js';
import { withInputWarehouse, type InputSession, type InputWarehouseFlags, type InputWarehouseOptions } from './input-warehouse.js';
import { clusterFlags } from '../../engine/warehouse-flags.js';

// loaded on first use, so that --help never loads the ClickHouse client (see lazy-function.ts)
const withClusterInputWarehouse = lazyFunction(() => import('./clickhouse-commands.js'), 'withClusterInputWarehouse');

/**
 * The warehouse of a read command on either engine: `--engine clickhouse`
 * reads the cluster (`withClusterInputWarehouse`; a file is refused — ingest
 * it first), otherwise a file or `--db` as `withInputWarehouse` does.
 */
export function withEngineInputWarehouse<T>(
  command: string,
  file: string | undefined,
  flags: InputWarehouseFlags & EngineFlags,
  work: (warehouse: Warehouse, session: InputSession) => Promise<T>,
  options: InputWarehouseOptions = {},
): Promise<T> {
  if (checkEngineFlags(flags) === 'duckdb') return withInputWarehouse(file, flags, work, { command, ...options }); // named in its hints (and a read's audit entry)
  if (file) throw new UserError(`${command} --engine clickhouse reads the cluster, not a file`, `ingest the file first: clvkit ingest ${shellPath(file)} ${clusterFlags({ url: flags.clickhouseUrl!, database: flags.clickhouseDatabase, cluster: flags.cluster })}`);
  const access = accessFromFlags(flags);
  return withClusterInputWarehouse(clickhouseTarget(flags), access, work, options);
}
