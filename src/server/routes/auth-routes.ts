import { Type } from 'typebox';
import { Problem, problem } from '../api-problem.js';
import { Password } from './request-fields.js';
import type { ServerApp } from '../server-app.js';
import type { ServerContext } from '../server-context.js';
import { SESSION_COOKIE } from '../auth/authenticate.js';
import { clientNetwork } from '../auth/client-network.js';
import { createLoginGuard, type LoginPolicy } from '../auth/login-guard.js';
import type { SessionStore } from '../auth/session-store.js';

export interface AuthRouteOptions {
  readonly sessions: SessionStore;
  /** mark the cookie Secure (behind TLS) */
  readonly secureCookies: boolean;
  /** logins per client address per minute (default 10; an address: `clientNetwork`, an IPv6 client's /64) */
  readonly loginsPerIpPerMinute?: number;
  readonly loginPolicy?: LoginPolicy;
}

const Me = Type.Object({ name: Type.String(), role: Type.String(), kind: Type.Union([Type.Literal('session'), Type.Literal('token')]), csrfToken: Type.Optional(Type.String()) });

/** `POST /api/login`, `POST /api/logout`, `GET /api/me`. */
export async function registerAuthRoutes(app: ServerApp, context: ServerContext, options: AuthRouteOptions): Promise<void> {
  const attemptLogin = createLoginGuard(context, options.loginPolicy);
  const { sessions } = options;
  app.post(
    '/api/login',
    {
      config: { action: 'public', rateLimit: { max: options.loginsPerIpPerMinute ?? 10, timeWindow: 60_000, keyGenerator: (request) => clientNetwork(request.ip) } },
      schema: {
        summary: 'log in: sets an HttpOnly SameSite=Strict session cookie; the CSRF token in the answer goes in x-csrf-token on every change',
        tags: ['auth'],
        body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64, examples: ['ana'] }), password: Password }, { additionalProperties: false }),
        response: { 200: Me, 401: Problem, 429: Problem },
      },
    },
    async (request, reply) => {
      const outcome = await attemptLogin(request.body.username, request.body.password, request.ip);
      if (!outcome.ok) {
        // audited by the guard when it wrote an entry for this attempt (login_failed; login_refused once per lock or
        // minute): the other refusals (later knocks at a lock, a server without accounts) are tallied request_refused
        request.refusalAudited = outcome.audited;
        if (outcome.retryAfterS !== undefined) reply.header('retry-after', String(outcome.retryAfterS));
        return reply.code(outcome.statusCode).send(problem(outcome.error, outcome.message, outcome.hint));
      }
      // a new id at every login, whatever cookie came in: a planted id is never promoted (no session fixation)
      const session = sessions.create(outcome.user, request.cookies[SESSION_COOKIE]);
      reply.setCookie(SESSION_COOKIE, session.id, { path: '/', httpOnly: true, sameSite: 'strict', secure: options.secureCookies, maxAge: Math.floor(sessions.absoluteMs / 1000) });
      return { name: session.name, role: session.role, kind: 'session' as const, csrfToken: session.csrfToken };
    },
  );
  app.post('/api/logout', { config: { action: 'authenticated' }, schema: { summary: 'end the session', tags: ['auth'], response: { 204: Type.Null() } } }, async (request, reply) => {
    sessions.delete(request.sessionId ?? undefined);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });
  app.get('/api/me', { config: { action: 'authenticated' }, schema: { summary: 'who is logged in, and the CSRF token of the session', tags: ['auth'], response: { 200: Me } } }, async (request) => {
    const actor = request.actor!;
    const session = request.sessionId ? sessions.get(request.sessionId) : null;
    return { name: actor.name, role: actor.role, kind: actor.kind, ...(session ? { csrfToken: session.csrfToken } : {}) };
  });
  void context;
}
