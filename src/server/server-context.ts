import type { Warehouse } from '../engine/warehouse.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import type { Role } from '../privacy/access/rbac.js';
import type { RunSummary } from '../pipeline/run-summary.js';
import type { WarehouseAuditRecord } from '../privacy/warehouse/warehouse-audit.js';

/** The server's own tables: in the data warehouse on DuckDB, in the local state file (`ServerContext.state`) on ClickHouse. */
export const SERVER_STATE_TABLES = ['users', 'api_tokens', 'login_attempts', 'server_runs', 'ingest_batches', 'audit_log'] as const;

/** Who makes a request: a logged-in person (session cookie) or a machine (API token). */
export interface Actor {
  readonly name: string;
  readonly role: Role;
  readonly kind: 'session' | 'token';
}

/** Who an audit entry names: an actor, or an unknown user name that failed to log in. */
export interface AuditActor {
  readonly name: string;
  readonly role: Role | 'none';
  readonly kind?: Actor['kind'];
}

/** The newest finished analysis run of the served warehouse. */
export interface LatestRun {
  readonly id: string;
  readonly summary: RunSummary;
  readonly finishedAt: string;
}

/** A pino-like logger (fastify's): messages and objects, never personal data. */
export interface ServerLog {
  info(object: object | string, message?: string): void;
  warn(object: object | string, message?: string): void;
  error(object: object | string, message?: string): void;
}

/**
 * What every route works with: the served data warehouse and the server's
 * state warehouse (each serialised: one operation at a time, a transaction
 * holds it to its end), the key (masking, tokens, the audit log), the
 * privacy k-floor, the latest run, and the audit.
 */
export interface ServerContext {
  /** the data warehouse: transactions, events, scores… (DuckDB, or a ClickHouse cluster) — read routes, runs and ingestion write here */
  readonly warehouse: Warehouse;
  /**
   * the server's own tables: users, api_tokens, login_attempts, server_runs,
   * ingest_batches and the audit log — always DuckDB; the same object as
   * `warehouse` on DuckDB, a local state file (`serve --engine clickhouse --db`) on ClickHouse
   */
  readonly state: Warehouse;
  /** the engine of the data warehouse */
  readonly engine: 'duckdb' | 'clickhouse';
  /** the state warehouse file */
  readonly dbPath: string;
  /** the warehouse key: tokens, decryption by role, audit MACs */
  readonly keyring: Keyring;
  /** smallest group an aggregate may describe (the privacy k-floor) */
  readonly minGroupSize: number;
  /** the newest finished run (`server_runs`), null when none */
  latestRun(): Promise<LatestRun | null>;
  /** one entry in the audit log of the state warehouse, as the CLI records them (in order: entries are chained); role `none` for a failed login of an unknown user */
  audit(actor: AuditActor, record: WarehouseAuditRecord): Promise<void>;
  readonly log: ServerLog;
}
