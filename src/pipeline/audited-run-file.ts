import { basename } from 'node:path';
import type { AnalysisContext } from './analysis-context.js';

/**
 * How the audit log names a file the run wrote (its `export_customers` and `reidentify` entries): a run the server
 * started (`options.api`; its folder is `<db>.runs/<run id>`) by its run id and file name, the path inside the
 * server's runs folder — its absolute path holds the warehouse's, which the server keeps from clients, and the id is
 * the run as `GET /api/runs` lists it; any other run by the file's path (the user's own `--out` folder).
 *
 * Example: `auditedRunFile(served, '/srv/shop.duckdb.runs/20261207T083213-509a55/customers.csv')` → `'20261207T083213-509a55/customers.csv'`
 */
export function auditedRunFile(context: Pick<AnalysisContext, 'options' | 'outDir'>, path: string): string {
  return context.options.api === true ? `${basename(context.outDir)}/${basename(path)}` : path;
}
