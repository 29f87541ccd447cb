/**
 * The read-only API of the dashboard: every `GET` route of
 * src/server/routes/read-*.ts, registered by `createServer`. Each route
 * declares its action (`config.action`), which the server's auth checks
 * against the CLI's permission matrix before the handler runs.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Warehouse } from '../../engine/warehouse.js';
import type { Keyring } from '../../privacy/keys/keyring.js';
import type { WarehouseAuditRecord } from '../../privacy/warehouse/warehouse-audit.js';
import { registerReadAggregateRoutes } from './read-aggregate-routes.js';
import { registerReadCustomerRoutes, type ReadActor } from './read-customer-routes.js';
import { registerReadPrivacyRoutes } from './read-privacy-routes.js';
import { createServedRunCache, type FinishedRun } from './read-report-cache.js';

/** What the read routes need of the server context. */
export interface ReadRoutesContext {
  readonly warehouse: Warehouse;
  readonly keyring: Keyring | null;
  readonly minGroupSize: number;
  latestRun(): Promise<FinishedRun | null>;
  audit(actor: ReadActor, record: WarehouseAuditRecord): Promise<void>;
}

/** The actor the auth preHandler set on the request (a route without one is a server bug: auth runs first). */
export function requestActor(request: FastifyRequest): ReadActor {
  const actor = (request as FastifyRequest & { actor?: ReadActor }).actor;
  if (!actor) throw new Error(`no actor on ${request.method} ${request.url}: the auth preHandler did not run`);
  return actor;
}

export function registerReadRoutes(app: FastifyInstance, context: ReadRoutesContext): void {
  const servedRun = createServedRunCache(context.warehouse, () => context.latestRun());
  const audit = (actor: ReadActor, record: WarehouseAuditRecord) => context.audit(actor, record);
  registerReadAggregateRoutes(app, { warehouse: context.warehouse, minGroupSize: context.minGroupSize, servedRun });
  registerReadCustomerRoutes(app, { warehouse: context.warehouse, keyring: context.keyring, servedRun, actorOf: requestActor, audit });
  registerReadPrivacyRoutes(app, { warehouse: context.warehouse, keyring: context.keyring, actorOf: requestActor, audit });
}
