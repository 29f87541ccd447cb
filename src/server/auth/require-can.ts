import type { FastifyReply, FastifyRequest } from 'fastify';
import { accessHint, problem, type ApiProblem } from '../api-problem.js';
import { AccessDeniedError } from '../../core/errors/access-denied-error.js';
import { permittedAction, type Action } from '../../privacy/access/rbac.js';
import type { RouteAccess } from '../server-app.js';
import type { Actor } from '../server-context.js';

/** The refusal of a request, or null when it may go on. */
export interface AccessRefusal {
  readonly statusCode: 401 | 403;
  readonly body: ApiProblem;
}

/**
 * Whether `actor` may call a route that declares `access`: public routes
 * always; others need an actor (401), and an action route needs the actor's
 * role to pass `assertCan` — the same PERMISSION_MATRIX as the CLI (403).
 *
 * Example: `checkAccess({ name: 'vi', role: 'viewer', kind: 'session' }, 'view_tokens')` → `{ statusCode: 403, body: { error: 'forbidden', message: 'role viewer may not view_tokens (…)', hint: 'roles allowed: admin, analyst, marketer: …' } }`
 */
export function checkAccess(actor: Actor | null, access: RouteAccess): AccessRefusal | null {
  if (access === 'public') return null;
  if (!actor) return { statusCode: 401, body: problem('unauthenticated', 'this route needs a session or an API token', 'log in (POST /api/login) or send Authorization: Bearer TOKEN') };
  if (access === 'authenticated') return null;
  try {
    permittedAction(actor.role, typeof access === 'string' ? [access] : access);
    return null;
  } catch (error) {
    if (error instanceof AccessDeniedError) return { statusCode: 403, body: problem('forbidden', error.message, accessHint(error)) };
    throw error;
  }
}

/**
 * A Fastify preHandler that lets a request through only when its actor may
 * do `action` (401 without a session or token, 403 when the role may not).
 * Routes usually declare `config: { action }` instead, which the server's
 * auth hook checks the same way; use this for a check inside a route's own
 * hooks.
 *
 * Example: `app.get('/api/x', { config: { action: 'view_tokens' }, preHandler: requireCan('view_tokens') }, handler)`
 */
export function requireCan(action: Action) {
  return async function requireCanHandler(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const refusal = checkAccess(request.actor, action);
    if (refusal) return void (await reply.code(refusal.statusCode).send(refusal.body));
  };
}
