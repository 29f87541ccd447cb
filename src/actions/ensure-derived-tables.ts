import { UserError } from '../core/errors/user-error.js';
import { DERIVED_TABLES } from '../engine/derived-tables.js';
import type { Warehouse } from '../engine/warehouse.js';
import { tableExists } from '../features/table-exists.js';
import type { Access } from '../privacy/access/access.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import { warehouseFlags, warehouseName } from '../engine/warehouse-flags.js';

/** Runs the analysis stages into a warehouse that lacks derived tables (the CLI passes the pipeline's `scoreWarehouse`). */
export type ScoreWarehouseFunction = (warehouse: Warehouse) => Promise<{ readonly warnings: readonly string[] }>;

export interface EnsureDerivedTablesOptions {
  /** scores a warehouse that was ingested but never analysed; absent: such a warehouse is refused with a hint */
  readonly score?: ScoreWarehouseFunction;
  readonly keyring: Keyring | null;
  readonly access: Access;
  readonly minGroupSize: number;
  readonly onNote?: (line: string) => void;
}

/**
 * Makes sure the derived tables a filter reads exist: a warehouse that was
 * ingested but never analysed is scored first by the stages of
 * `analyze --db` (`options.score`, the pipeline's `scoreWarehouse`, passed
 * in so that actions sit below the pipeline; `onNote` says so). A table the analysis
 * did not write (the value models are skipped on small data) is a
 * `UserError` naming why.
 */
export async function ensureDerivedTables(warehouse: Warehouse, tables: readonly string[], options: EnsureDerivedTablesOptions): Promise<void> {
  const needed = ['customer_summary', ...tables];
  const missing = async () => (await Promise.all(needed.map(async (t) => ((await tableExists(warehouse, t)) ? null : t)))).filter((t): t is string => t !== null);
  let absent = await missing();
  if (absent.length === 0) return;
  const [transactions] = await warehouse.query('SELECT count(*) AS n FROM transactions');
  if (Number(transactions!.n) === 0) throw new UserError(`${warehouseName(warehouse)} holds no transactions`, `ingest them first: clvkit ingest <file> ${warehouseFlags(warehouse, '--db PATH')}`);
  if (!options.score) throw new UserError(`${warehouseName(warehouse)} has no ${absent.join(', ')} yet`, `analyse it first: clvkit analyze ${warehouseFlags(warehouse, '--db PATH')}`);
  options.onNote?.(`the warehouse has no ${absent.join(', ')} yet: running the analysis stages of analyze ${warehouse.dialect.name === 'clickhouse' ? '--engine clickhouse' : '--db'} (summary, value models, churn, segments, lifecycle, events) into it first`);
  const scored = await options.score(warehouse);
  for (const warning of scored.warnings) options.onNote?.(`warning: ${warning}`);
  absent = await missing();
  if (absent.length > 0) {
    const stages = absent.map((t) => `${t} (the ${DERIVED_TABLES.find((d) => d.name === t)?.writtenBy ?? 'analysis'} stage)`);
    throw new UserError(`--where reads ${stages.join(', ')}, which the analysis did not write${scored.warnings.length > 0 ? `: ${scored.warnings.join('; ')}` : ''}`, 'filter on columns of the tables the analysis wrote (stage, segment, value_tier, frequency, …) or ingest more data');
  }
}
