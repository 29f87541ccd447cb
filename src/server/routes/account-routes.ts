import { Type } from 'typebox';
import { Problem, problem } from '../api-problem.js';
import { Password, UserName } from './request-fields.js';
import { ROLES, type Role } from '../../privacy/access/rbac.js';
import { DEFAULT_LOGIN_POLICY, lockedUntil, type LoginPolicy } from '../auth/login-guard.js';
import { checkPasswordStrength, hashPassword } from '../auth/password-hash.js';
import type { SessionStore } from '../auth/session-store.js';
import { createApiToken, DEFAULT_TOKEN_DAYS, listApiTokens, revokeApiToken } from '../auth/token-store.js';
import { addUser, clearLoginFailures, findUser, LastAdminError, listUsers, parseUserName, removeUser } from '../auth/user-store.js';
import type { ServerApp } from '../server-app.js';
import { auditRefusal } from '../audit-refusal.js';
import type { ServerContext, ServerLog } from '../server-context.js';

export interface AccountRouteOptions {
  readonly sessions: SessionStore;
  /** the login policy, to say until when a user is locked */
  readonly loginPolicy?: LoginPolicy;
  /** told when a token is revoked, so that a cached verification of it ends at once */
  readonly onTokenRevoked?: (tokenId: string) => void;
}

const RoleName = Type.Union(ROLES.map((r) => Type.Literal(r)));
const User = Type.Object({ name: Type.String(), role: Type.String(), createdAt: Type.String(), lockedUntil: Type.Union([Type.String(), Type.Null()]) });
const Token = Type.Object({ id: Type.String(), name: Type.String(), role: Type.String(), createdAt: Type.String(), expiresAt: Type.String(), revoked: Type.Boolean() });
/** a token id: 12 hex digits (token-store.ts) */
const TOKEN_ID = /^[0-9a-f]{12}$/;

/** The answer to a change that would leave no admin (`LastAdminError` of the user store). */
const lastAdminProblem = (name: string) => problem('conflict', `${name} is the last admin`, 'add another admin first (POST /api/users)');

/**
 * Users and API tokens while the server runs (DuckDB lets one process hold
 * the warehouse, so `clvkit users add` cannot while `serve` does): the same
 * user-store and token-store as the CLI, admin only (`manage_users`),
 * audited with the CLI's actions (`user_add`, `user_replace`,
 * `user_remove`, `user_unlock`, `token_create`, `token_revoke`; a change
 * refused for the last admin as `user_replace_refused` or
 * `user_remove_refused`), CSRF-checked for
 * sessions like every change. A removed or replaced user's sessions end at
 * once; a revoked token is refused from the next request on.
 */
export async function registerAccountRoutes(app: ServerApp, context: ServerContext, options: AccountRouteOptions): Promise<void> {
  const warehouse = context.state;
  const policy = options.loginPolicy ?? DEFAULT_LOGIN_POLICY;
  const audit = (request: { actor: Parameters<ServerContext['audit']>[0] | null }, action: string, details: Record<string, string | number>) => context.audit(request.actor!, { action, target: 'server', details });
  // a refusal is answered as it is (409 and its reason) when its entry cannot be written (audit-refusal.ts)
  // (its entry is the refusal's: not counted again in request_refused, refusal-tally.ts)
  const refusal = (request: { actor: Parameters<ServerContext['audit']>[0] | null; log: ServerLog; refusalAudited: boolean }, action: string, details: Record<string, string | number>) => {
    request.refusalAudited = true;
    return auditRefusal(context, request.log, request.actor!, { action, target: 'server', details });
  };

  app.get('/api/users', { config: { action: 'manage_users' }, schema: { summary: 'the user accounts: name, role, creation, and until when failed logins lock them (never a password hash)', tags: ['accounts'], response: { 200: Type.Object({ users: Type.Array(User) }) } } }, async () => {
    const users = await listUsers(warehouse);
    const now = Date.now();
    const withLocks = [];
    for (const u of users) withLocks.push({ name: u.name, role: u.role, createdAt: u.createdAt, lockedUntil: (await lockedUntil(warehouse, u.name, policy, now))?.toISOString() ?? null });
    return { users: withLocks };
  });

  app.post(
    '/api/users',
    {
      config: { action: 'manage_users' },
      schema: {
        summary: 'add a user (password at least 12 characters, hashed with scrypt); `replace: true` sets a new role and password for an existing one (their sessions end, their failed logins are cleared); the last admin cannot be demoted (409)',
        tags: ['accounts'],
        body: Type.Object({ name: UserName, role: RoleName, password: Password, replace: Type.Optional(Type.Boolean({ description: 'true or false: true sets a new role and password for a user who exists (their sessions end; default false: 409)' })) }, { additionalProperties: false }),
        response: { 201: Type.Object({ name: Type.String(), role: Type.String(), outcome: Type.Union([Type.Literal('added'), Type.Literal('replaced')]) }), 409: Problem },
      },
    },
    async (request, reply) => {
      const name = parseUserName(request.body.name);
      const role = request.body.role as Role;
      checkPasswordStrength(request.body.password);
      if (!request.body.replace && (await findUser(warehouse, name))) return reply.code(409).send(problem('conflict', `user ${name} exists already`, `send "replace": true to set a new role and password, or DELETE /api/users/${name} first`));
      let outcome: 'added' | 'replaced';
      try {
        outcome = await addUser(warehouse, { name, role, passwordHash: await hashPassword(request.body.password) }, { replace: request.body.replace === true });
      } catch (error) {
        // the store refuses to demote the only admin (inside its transaction): the 409 DELETE answers too; the refusal is audited
        if (error instanceof LastAdminError) {
          await refusal(request, 'user_replace_refused', { user: name, user_role: role, reason: 'last admin', command: 'POST /api/users' });
          return reply.code(409).send(lastAdminProblem(name));
        }
        throw error;
      }
      if (outcome === 'replaced') options.sessions.deleteUser(name);
      await audit(request, outcome === 'added' ? 'user_add' : 'user_replace', { user: name, user_role: role, command: 'POST /api/users' });
      return reply.code(201).send({ name, role, outcome });
    },
  );

  app.delete(
    '/api/users/:name',
    { config: { action: 'manage_users' }, schema: { summary: 'remove a user (their sessions end at once); the last admin cannot be removed', tags: ['accounts'], params: Type.Object({ name: UserName }), response: { 204: Type.Null(), 404: Problem, 409: Problem } } },
    async (request, reply) => {
      const name = request.params.name;
      const users = await listUsers(warehouse);
      const user = users.find((u) => u.name === name);
      if (!user) return reply.code(404).send(problem('not_found', `no user ${name}`, 'GET /api/users lists them'));
      try {
        await removeUser(warehouse, name);
      } catch (error) {
        if (error instanceof LastAdminError) {
          await refusal(request, 'user_remove_refused', { user: name, reason: 'last admin', command: 'DELETE /api/users/:name' });
          return reply.code(409).send(lastAdminProblem(name));
        }
        throw error;
      }
      options.sessions.deleteUser(name);
      await audit(request, 'user_remove', { user: name, command: 'DELETE /api/users/:name' });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/users/:name/unlock',
    {
      config: { action: 'manage_users' },
      schema: {
        summary: "unlock a user: clears its failed logins at every address (a lock holds only at the address that failed; the audit log keeps each failure)",
        tags: ['accounts'],
        params: Type.Object({ name: UserName }),
        response: { 200: Type.Object({ name: Type.String(), failuresCleared: Type.Integer() }), 404: Problem },
      },
    },
    async (request, reply) => {
      const name = request.params.name;
      if (!(await findUser(warehouse, name))) return reply.code(404).send(problem('not_found', `no user ${name}`, 'GET /api/users lists them'));
      const failuresCleared = await clearLoginFailures(warehouse, name);
      await audit(request, 'user_unlock', { user: name, failures_cleared: failuresCleared, command: 'POST /api/users/:name/unlock' });
      return { name, failuresCleared };
    },
  );

  app.get('/api/tokens', { config: { action: 'manage_users' }, schema: { summary: 'the API tokens: id, name, role, creation, expiry, revocation (never the secret)', tags: ['accounts'], response: { 200: Type.Object({ tokens: Type.Array(Token) }) } } }, async () => ({
    tokens: (await listApiTokens(warehouse)).map((t) => ({ id: t.id, name: t.name, role: t.role, createdAt: t.createdAt, expiresAt: t.expiresAt, revoked: t.revokedAt !== null })),
  }));

  app.post(
    '/api/tokens',
    {
      config: { action: 'manage_users' },
      schema: {
        summary: 'create an API token for a machine: the answer holds the token, shown this once (only its SHA-256 is stored)',
        tags: ['accounts'],
        body: Type.Object({ name: UserName, role: RoleName, expiresDays: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3650, description: 'days until the token expires: a number between 0 and 3,650 (0 excluded; default 90)', examples: [90] })) }, { additionalProperties: false }),
        response: { 201: Type.Object({ id: Type.String(), token: Type.String(), expiresAt: Type.String() }) },
      },
    },
    async (request, reply) => {
      const { name } = request.body;
      const role = request.body.role as Role;
      const { token, info } = await createApiToken(warehouse, { name, role, expiresDays: request.body.expiresDays ?? DEFAULT_TOKEN_DAYS });
      await audit(request, 'token_create', { token_id: info.id, name, token_role: role, expires_at: info.expiresAt, command: 'POST /api/tokens' });
      return reply.code(201).send({ id: info.id, token, expiresAt: info.expiresAt });
    },
  );

  app.delete(
    '/api/tokens/:id',
    { config: { action: 'manage_users' }, schema: { summary: 'revoke an API token by its id: refused from the next request on', tags: ['accounts'], params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 40 }) }), response: { 204: Type.Null(), 404: Problem } } },
    async (request, reply) => {
      const id = request.params.id;
      if (!TOKEN_ID.test(id) || !(await listApiTokens(warehouse)).some((t) => t.id === id)) return reply.code(404).send(problem('not_found', `no API token ${id}`, 'GET /api/tokens lists them (by id, never the secret)'));
      await revokeApiToken(warehouse, id);
      options.onTokenRevoked?.(id);
      await audit(request, 'token_revoke', { token_id: id, command: 'DELETE /api/tokens/:id' });
      return reply.code(204).send(null);
    },
  );
}
