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
  /** the caller is the HTTP API: the hints name its routes (`POST /api/orders`, `POST /api/runs`), not CLI commands nor the warehouse's path (default: the CLI's words) */
  readonly api?: boolean;
  /** the filter that reads the `absent` tables, named when the analysis did not write them (default: the CLI's `--where`) */
  readonly readerOf?: (absent: readonly string[]) => string;
}

/**
 * Makes sure the derived tables a filter reads exist: a warehouse that was
 * ingested but never analysed is scored first by the stages of
 * `analyze --db` (`options.score`, the pipeline's `scoreWarehouse`, passed
 * in so that actions sit below the pipeline; `onNote` says so). A table the analysis
 * did not write (the value models are skipped on small data) is a
 * `UserError` naming why and the filter that reads it (`readerOf`). With
 * `api`, hints name the API's routes instead of CLI commands.
 */
export async function ensureDerivedTables(warehouse: Warehouse, tables: readonly string[], options: EnsureDerivedTablesOptions): Promise<void> {
  const needed = [...new Set(['customer_summary', ...tables])]; // a filter on its columns reads customer_summary too: named once
  const missing = async () => (await Promise.all(needed.map(async (t) => ((await tableExists(warehouse, t)) ? null : t)))).filter((t): t is string => t !== null);
  let absent = await missing();
  if (absent.length === 0) return;
  const api = options.api === true;
  // the API's client is not told the server's file
  const named = api ? 'the warehouse' : warehouseName(warehouse);
  const [transactions] = await warehouse.query('SELECT count(*) AS n FROM transactions');
  if (Number(transactions!.n) === 0) throw new UserError(`${named} holds no transactions`, api ? 'send orders first: POST /api/orders' : `ingest them first: clvkit ingest <file> ${warehouseFlags(warehouse)}`);
  if (!options.score) throw new UserError(`${named} has no ${absent.join(', ')} yet`, api ? 'analyse it first: POST /api/runs' : `analyse it first: clvkit analyze ${warehouseFlags(warehouse)}`);
  options.onNote?.(`the warehouse has no ${absent.join(', ')} yet: running the analysis stages${api ? '' : ` of analyze ${warehouse.dialect.name === 'clickhouse' ? '--engine clickhouse' : '--db'}`} (summary, value models, churn, segments, lifecycle, events) into it first`);
  const scored = await options.score(warehouse);
  for (const warning of scored.warnings) options.onNote?.(`warning: ${warning}`);
  absent = await missing();
  if (absent.length > 0) {
    const stages = absent.map((t) => `${t} (the ${DERIVED_TABLES.find((d) => d.name === t)?.writtenBy ?? 'analysis'} stage)`);
    throw new UserError(`${options.readerOf?.(absent) ?? '--where'} reads ${stages.join(', ')}, which the analysis did not write${scored.warnings.length > 0 ? `: ${scored.warnings.join('; ')}` : ''}`, 'filter on columns of the tables the analysis wrote (stage, segment, value_tier, frequency, …) or ingest more data');
  }
}

/**
 * Refuses a draw on derived tables that hold no customer — `retention apply` or `erase` deleted their rows (the tables
 * are there, the rows are gone) — with what to run: `clvkit analyze` (or `POST /api/runs`), after ingesting newer data
 * when no transaction is left either. Without it the draw said "the audience is empty … widen the filter", which no
 * filter cures, or failed on the send date of no transactions.
 */
export async function assertDerivedRowsHeld(warehouse: Warehouse, options: { readonly api?: boolean }): Promise<void> {
  const [held] = await warehouse.query('SELECT (SELECT count(*) FROM customer_summary) AS customers, (SELECT count(*) FROM transactions) AS transactions');
  if (Number(held!.customers) > 0) return;
  const api = options.api === true;
  const message = 'the derived tables are empty: customer_summary holds no customer (retention apply or erase removed their rows)';
  if (Number(held!.transactions) > 0) throw new UserError(message, api ? 'start an analysis first: POST /api/runs' : `run clvkit analyze ${warehouseFlags(warehouse)} first`);
  throw new UserError(
    message,
    api
      ? 'the warehouse holds no transactions either: send newer orders (POST /api/orders), then start an analysis (POST /api/runs)'
      : `the warehouse holds no transactions either: ingest newer ones (clvkit ingest <file> ${warehouseFlags(warehouse)}), then run clvkit analyze ${warehouseFlags(warehouse)}`,
  );
}
