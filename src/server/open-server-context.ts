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

/** A `server_runs` time as read (a Date from either engine; text as a fallback). */
const runTime = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));

const silentLog: ServerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The actor as the audit log names it: a machine's token is marked as such. */
const auditName = (actor: AuditActor) => (actor.kind === 'token' ? `${actor.name} (token)` : actor.name);

/**
 * The context every route shares, over an opened keyed warehouse: the
 * warehouse serialised for concurrent requests, audit entries appended one
 * after another (each is chained to the previous), the latest finished run
 * read from `server_runs` (parsed once per run id) — on ClickHouse the newer
 * of the state file's and the cluster's (where `clvkit analyze --engine
 * clickhouse` records its runs).
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
      // on ClickHouse the server's own runs are in its state file, those of clvkit analyze --engine clickhouse on the cluster: the newer one
      let newest: { held: Warehouse; id: string; finishedAt: Date } | null = null;
      for (const held of state === warehouse ? [state] : [state, warehouse]) {
        const [row] = await held.query("SELECT run_id, finished_at FROM server_runs WHERE status = 'finished' ORDER BY finished_at DESC, run_id DESC LIMIT 1");
        if (!row) continue;
        const candidate = { held, id: String(row.run_id), finishedAt: runTime(row.finished_at) };
        if (!newest || candidate.finishedAt.getTime() > newest.finishedAt.getTime() || (candidate.finishedAt.getTime() === newest.finishedAt.getTime() && candidate.id > newest.id)) newest = candidate;
      }
      if (!newest) return null;
      if (cached?.id === newest.id) return cached;
      const [full] = await newest.held.query(`SELECT summary FROM server_runs WHERE run_id = ${newest.held.dialect.literal(newest.id)}`);
      cached = { id: newest.id, finishedAt: newest.finishedAt.toISOString(), summary: JSON.parse(String(full!.summary)) as RunSummary };
      return cached;
    },
  };
}
