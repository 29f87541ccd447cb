/**
 * `GET /api/privacy` (`view_aggregates`, every role): what personal data the
 * warehouse holds, its class and protection, and checks of the stored values
 * (`buildWarehousePrivacyReport`, as `clvkit privacy report`).
 * `GET /api/audit` (`read_audit`, admins): the audit log, newest first, with
 * the hash chain and MACs verified (`verifyWarehouseAudit`, as `clvkit audit verify`).
 * On ClickHouse the server's tables and its audit log are read from the
 * state file, the data tables from the cluster.
 */
import type {} from '@fastify/swagger'; // the OpenAPI fields (tags, summary) of a route schema
import type { FastifyRequest } from 'fastify';
import type { ServerApp } from '../server-app.js';
import { Type, type Static } from 'typebox';
import type { Warehouse } from '../../engine/warehouse.js';
import type { Keyring } from '../../privacy/keys/keyring.js';
import { buildWarehousePrivacyReport } from '../../privacy/warehouse/warehouse-privacy-report.js';
import { readAuditEntries, verifyWarehouseAudit, type WarehouseAuditRecord } from '../../privacy/warehouse/warehouse-audit.js';
import type { AuditResponse, PrivacyResponse } from './read-api-types.js';
import type { ReadActor } from './read-customer-routes.js';
import { SERVER_STATE_TABLES } from '../server-context.js';

export interface ReadPrivacyDeps {
  readonly warehouse: Warehouse;
  /** the server's own tables and audit log (the warehouse itself on DuckDB; the local state file on ClickHouse) */
  readonly state: Warehouse;
  readonly keyring: Keyring | null;
  readonly actorOf: (request: FastifyRequest) => ReadActor;
  readonly audit: (actor: ReadActor, record: WarehouseAuditRecord) => Promise<void>;
}

export const AuditQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, examples: [50] })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000, default: 0, examples: [50] })),
  },
  { additionalProperties: false },
);

export function registerReadPrivacyRoutes(app: ServerApp, deps: ReadPrivacyDeps): void {
  const { warehouse, state, keyring } = deps;
  // on ClickHouse the accounts, runs, ingestion bookkeeping and audit log are in the state file: listed and counted from there;
  // the runs of clvkit analyze --engine clickhouse are recorded on the cluster, and listed beside the server's (run-jobs.ts): counted in both
  const heldElsewhere = state === warehouse ? {} : { heldElsewhere: { warehouse: state, tables: SERVER_STATE_TABLES, alsoHere: ['server_runs'] } };
  app.get('/api/privacy', { config: { action: 'view_aggregates' }, schema: { tags: ['privacy'], summary: 'What personal data is held, its class and protection, and checks of the stored values' } }, async (request): Promise<PrivacyResponse> => {
    const actor = deps.actorOf(request);
    const report = await buildWarehousePrivacyReport(warehouse, { actor: actor.name, role: actor.role, ...(keyring ? { keyring } : {}), ...heldElsewhere });
    await deps.audit(actor, { action: 'view_aggregates', target: 'warehouse', details: { route: 'GET /api/privacy' } });
    return {
      // the keys' source and ids, the key file's path null: where it lies on the server is no client's to learn (every role reads this)
      privacy: { tables: report.tables, columnsByClass: report.columnsByClass, keys: report.keys ? { ...report.keys, path: null } : report.keys, warnings: report.warnings },
      checks: report.checks,
      auditEntries: report.auditEntries,
    };
  });
  app.get<{ Querystring: Static<typeof AuditQuery> }>(
    '/api/audit',
    { config: { action: 'read_audit' }, schema: { tags: ['privacy'], summary: 'The audit log, newest first, with the chain and MACs verified (admin; reading it is audited)', querystring: AuditQuery } },
    async (request): Promise<AuditResponse> => {
      const actor = deps.actorOf(request);
      const access = { actor: actor.name, role: actor.role };
      const limit = request.query.limit ?? 50;
      const offset = request.query.offset ?? 0;
      const verification = keyring ? await verifyWarehouseAudit(state, keyring, access) : null;
      const entries = await readAuditEntries(state, access);
      const newestFirst = entries.slice().reverse().slice(offset, offset + limit);
      await deps.audit(actor, { action: 'read_audit', target: 'table:audit_log', rowCounts: { audit_log: newestFirst.length }, details: { route: 'GET /api/audit', offset, limit } });
      return {
        total: entries.length,
        limit,
        offset,
        entries: newestFirst.map((e) => ({ seq: e.seq, ts: e.ts, actor: e.actor, role: e.role, action: e.action, target: e.target, rowCounts: e.rowCounts, details: e.details, hash: e.hash.slice(0, 12) })),
        verification: verification ? { ok: verification.ok, message: verification.ok ? null : (verification as { message?: string }).message ?? 'verification failed' } : null,
      };
    },
  );
}

