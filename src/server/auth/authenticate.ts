import type { FastifyRequest } from 'fastify';
import type { Warehouse } from '../../engine/warehouse.js';
import type { Actor } from '../server-context.js';
import type { Session, SessionStore } from './session-store.js';
import { verifyApiToken, type ApiTokenInfo } from './token-store.js';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'clvkit_session';
/** A verified token is looked up again after this long (its expiry is checked on every request). */
const TOKEN_RECHECK_MS = 60_000;

export type Credentials =
  | { readonly actor: Actor; readonly session: Session | null }
  | { readonly actor: null; readonly session: null; readonly problem: 'none' | 'bad-token' | 'expired-token' };

/**
 * Resolves who makes a request: `Authorization: Bearer TOKEN` (API tokens,
 * checked against their stored hash; no cookie is looked at then), else the
 * session cookie. Verified tokens are cached briefly, so that an ingest
 * stream does not hit the warehouse on every batch.
 */
export function createAuthenticator(warehouse: Warehouse, sessions: SessionStore, now: () => number = Date.now) {
  const verified = new Map<string, { info: ApiTokenInfo; checkedAtMs: number }>();
  /** Forgets the cached verification of a token (revoked through the API: refused from the next request on). */
  const forgetToken = (tokenId: string) => {
    for (const [token, entry] of verified) if (entry.info.id === tokenId) verified.delete(token);
  };
  return Object.assign(authenticate, { forgetToken });
  async function authenticate(request: FastifyRequest): Promise<Credentials> {
    const header = request.headers.authorization;
    if (typeof header === 'string' && header.length > 0) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) return { actor: null, session: null, problem: 'bad-token' };
      const token = match[1]!;
      let cached = verified.get(token);
      if (!cached || now() - cached.checkedAtMs > TOKEN_RECHECK_MS) {
        const check = await verifyApiToken(warehouse, token, new Date(now()));
        if (!check.ok) {
          verified.delete(token);
          return { actor: null, session: null, problem: check.reason === 'expired' ? 'expired-token' : 'bad-token' };
        }
        cached = { info: check.info, checkedAtMs: now() };
        if (verified.size > 10_000) verified.clear();
        verified.set(token, cached);
      }
      if (Date.parse(cached.info.expiresAt) <= now()) return { actor: null, session: null, problem: 'expired-token' };
      return { actor: { name: cached.info.name, role: cached.info.role, kind: 'token' }, session: null };
    }
    const session = sessions.get(request.cookies?.[SESSION_COOKIE]);
    if (!session) return { actor: null, session: null, problem: 'none' };
    return { actor: { name: session.name, role: session.role, kind: 'session' }, session };
  }
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
