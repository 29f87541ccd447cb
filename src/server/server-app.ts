import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Action } from '../privacy/access/rbac.js';
import type { Actor } from './server-context.js';

/** The Fastify instance routes are registered on (TypeBox schemas type the handlers). */
export type ServerApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/**
 * What a route declares in `config.action`: the privacy action its callers
 * need (checked against PERMISSION_MATRIX by the auth hook; a list: any one of
 * them, as `permittedAction`), `'authenticated'`
 * (any logged-in actor, e.g. `/api/me`), or `'public'` (health, login,
 * OpenAPI, the static dashboard). A route without one is refused at start-up.
 */
export type RouteAccess = Action | readonly Action[] | 'authenticated' | 'public';

declare module 'fastify' {
  interface FastifyRequest {
    /** set by the auth hook; null on public routes without credentials */
    actor: Actor | null;
    /** the session id behind a cookie request (null for tokens) */
    sessionId: string | null;
    /** set by a route that audits its refusal itself (a failed login, the last admin, an Idempotency-Key conflict): not counted again in `request_refused` */
    refusalAudited: boolean;
  }
  interface FastifyContextConfig {
    action?: RouteAccess;
  }
}
