import { AsyncResource } from 'node:async_hooks';
import type { Warehouse } from '../engine/warehouse.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import { recordAudit } from '../privacy/warehouse/warehouse-audit.js';
import type { RunSummary } from '../pipeline/run-summary.js';
import { serialiseWarehouse } from './serialised-warehouse.js';
import type { AuditActor, LatestRun, ServerContext, ServerLog } from './server-context.js';
import type { WarehouseAuditRecord } from '../privacy/warehouse/warehouse-audit.js';

export interface ServerContextOptions {
  /** the opened data warehouse (wrapped here so that concurrent requests take turns) */
  readonly warehouse: Warehouse;
  /** the opened DuckDB warehouse of the server's own tables when the data is on ClickHouse (default: the data warehouse itself) */
  readonly state?: Warehouse;
  readonly dbPath: string;
  readonly keyring: Keyring;
  readonly minGroupSize?: number;
  readonly log?: ServerLog;
}

const silentLog: ServerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The actor as the audit log names it: a machine's token is marked as such. */
const auditName = (actor: AuditActor) => (actor.kind === 'token' ? `${actor.name} (token)` : actor.name);

/**
 * The context every route shares, over an opened keyed warehouse: the
 * warehouse serialised for concurrent requests, audit entries appended one
 * after another (each is chained to the previous), the latest finished run
 * read from `server_runs` (parsed once per run id).
 */
export function createServerContext(options: ServerContextOptions): ServerContext {
  const warehouse = serialiseWarehouse(options.warehouse);
  const state = options.state ? serialiseWarehouse(options.state) : warehouse;
  let cached: LatestRun | null = null;
  // group commit of the audit log: entries asked for while a commit runs are appended together in the next one
  // (in order, each chained to the one before; one commit instead of one each: ~6 ms an entry instead of ~32 ms here)
  const waiting: { actor: AuditActor; record: WarehouseAuditRecord; resolve: () => void; reject: (error: unknown) => void }[] = [];
  let flushing = false;
  const append = (entry: (typeof waiting)[number]) => recordAudit(state, options.keyring, { actor: auditName(entry.actor), role: entry.actor.role as never }, entry.record);
  const flush = async () => {
    while (waiting.length > 0) {
      const batch = waiting.splice(0, 500);
      try {
        await state.transaction(async () => {
          for (const entry of batch) await append(entry);
        });
        for (const entry of batch) entry.resolve();
      } catch (error) {
        if (batch.length === 1) batch[0]!.reject(error);
        else {
          // all or nothing failed: again one by one, so that only a faulty entry fails its request
          for (const entry of batch) await append(entry).then(entry.resolve, entry.reject);
        }
      }
    }
    flushing = false;
  };
  // run outside the caller's async context: a request inside a transaction of its own must not lend it to the audit's
  const startFlush = AsyncResource.bind(() => void flush());
  return {
    warehouse,
    state,
    engine: options.warehouse.dialect.name,
    dbPath: options.dbPath,
    keyring: options.keyring,
    minGroupSize: options.minGroupSize ?? 5,
    log: options.log ?? silentLog,
    audit(actor, record) {
      // recordAudit reads the last entry and appends the next (exclusive on the serialised warehouse); resolved once committed
      return new Promise<void>((resolve, reject) => {
        waiting.push({ actor, record, resolve, reject });
        if (!flushing) {
          flushing = true;
          startFlush();
        }
      });
    },
    async latestRun() {
      const [row] = await state.query("SELECT run_id, finished_at FROM server_runs WHERE status = 'finished' ORDER BY finished_at DESC, run_id DESC LIMIT 1");
      if (!row) return null;
      const id = String(row.run_id);
      if (cached?.id === id) return cached;
      const [full] = await state.query(`SELECT summary FROM server_runs WHERE run_id = ${state.dialect.literal(id)}`);
      const finishedAt = row.finished_at instanceof Date ? row.finished_at.toISOString() : String(row.finished_at);
      cached = { id, finishedAt, summary: JSON.parse(String(full!.summary)) as RunSummary };
      return cached;
    },
  };
}
