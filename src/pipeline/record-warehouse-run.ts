import { randomBytes } from 'node:crypto';
import type { Warehouse } from '../engine/warehouse.js';
import type { RunSummary } from './run-summary.js';

/**
 * A finished analysis of a warehouse file (or of a cluster's database)
 * recorded in its `server_runs`, as a run the server starts is recorded
 * (src/server/runs/run-jobs.ts): a server later started on the file shows it
 * as its latest run — after `clvkit analyze --db shop.duckdb` its pages used
 * to answer "no analysis has finished on this warehouse yet". A server on a
 * cluster keeps its own runs in its state file and reads the cluster's
 * recorded runs beside them (open-server-context.ts). The summary is
 * run.json's: aggregates with small groups suppressed, nothing per customer.
 */
export async function recordWarehouseRun(warehouse: Warehouse, summary: RunSummary, startedAt: string, startedBy: string): Promise<void> {
  const d = warehouse.dialect;
  const id = `${startedAt.replace(/[-:]/g, '').replace(/\..*$/, '')}-${randomBytes(3).toString('hex')}`;
  await warehouse.execute(
    `INSERT INTO server_runs (run_id, status, started_at, finished_at, started_by, summary) VALUES (${d.literal(id)}, 'finished', ${d.timestamp(startedAt)}, ${d.timestamp(new Date().toISOString())}, ${d.literal(startedBy)}, ${d.literal(JSON.stringify(summary))})`,
  );
}
