/**
 * The read-only API of the dashboard: every `GET` route of
 * src/server/routes/read-*.ts, registered by `createServer`. Each route
 * declares its action (`config.action`), which the server's auth hook checks
 * against the CLI's permission matrix before the handler runs.
 */
import type { FastifyRequest } from 'fastify';
import type { WarehouseAuditRecord } from '../../privacy/warehouse/warehouse-audit.js';
import type { ServerApp } from '../server-app.js';
import type { Actor, ServerContext } from '../server-context.js';
import { registerReadAggregateRoutes } from './read-aggregate-routes.js';
import { registerReadCustomerRoutes } from './read-customer-routes.js';
import { registerReadPrivacyRoutes } from './read-privacy-routes.js';
import { createServedRunCache } from './read-report-cache.js';

/** The actor the auth hook set on the request (a route without one is a server bug: the hook answers 401 first). */
export function requestActor(request: FastifyRequest): Actor {
  const actor = request.actor;
  if (!actor) throw new Error(`no actor on ${request.method} ${request.url.split('?')[0]}: the auth hook did not run`);
  return actor;
}

export async function registerReadRoutes(app: ServerApp, context: ServerContext): Promise<void> {
  const servedRun = createServedRunCache(context.warehouse, () => context.latestRun());
  const audit = (actor: Actor, record: WarehouseAuditRecord) => context.audit(actor, record);
  registerReadAggregateRoutes(app, { warehouse: context.warehouse, minGroupSize: context.minGroupSize, servedRun, actorOf: requestActor, audit });
  registerReadCustomerRoutes(app, { warehouse: context.warehouse, keyring: context.keyring, servedRun, actorOf: requestActor, audit });
  registerReadPrivacyRoutes(app, { warehouse: context.warehouse, state: context.state, keyring: context.keyring, actorOf: requestActor, audit });
}
