import type { Warehouse } from '../../engine/warehouse.js';
import type { ServerContext } from '../server-context.js';
import { DUMMY_PASSWORD_HASH, verifyPassword } from './password-hash.js';
import { countUsers, findUser, type ServerUser } from './user-store.js';

/** How hard the login is to guess at. */
export interface LoginPolicy {
  /** failed attempts in a row (per user name) that lock it */
  readonly maxFailures: number;
  /** how long a locked user name stays locked */
  readonly lockMs: number;
  /** attempts per user name per minute, whatever their outcome (the per-IP limit is the route's rate limit) */
  readonly perUserPerMinute: number;
}

export const DEFAULT_LOGIN_POLICY: LoginPolicy = { maxFailures: 5, lockMs: 15 * 60_000, perUserPerMinute: 10 };

export type LoginOutcome =
  | { readonly ok: true; readonly user: ServerUser }
  | { readonly ok: false; readonly statusCode: 401 | 429; readonly error: 'bad_credentials' | 'no_users' | 'locked' | 'too_many_attempts'; readonly message: string; readonly hint: string; readonly retryAfterS?: number };

/** The failures in a row of a user name since its last success, and the time of the last one. */
async function failuresInARow(warehouse: Warehouse, username: string): Promise<{ count: number; lastMs: number | null }> {
  const name = warehouse.dialect.literal(username);
  const [row] = await warehouse.query(
    `SELECT count(*) AS n, max(ts) AS last FROM login_attempts WHERE username = ${name} AND NOT ok AND ts > COALESCE((SELECT max(ts) FROM login_attempts WHERE username = ${name} AND ok), TIMESTAMP '1970-01-01')`,
  );
  const last = row!.last;
  return { count: Number(row!.n), lastMs: last instanceof Date ? last.getTime() : last === null ? null : Date.parse(String(last)) };
}

/**
 * Until when a user name is locked by failed logins in a row (`policy`),
 * null when it is not.
 *
 * Example: after 5 failures, the last at 10:00, `await lockedUntil(wh, 'ana')` → `Date(10:15)` (default policy)
 */
export async function lockedUntil(warehouse: Warehouse, username: string, policy: LoginPolicy = DEFAULT_LOGIN_POLICY, now: number = Date.now()): Promise<Date | null> {
  const failures = await failuresInARow(warehouse, username);
  if (failures.count < policy.maxFailures || failures.lastMs === null || now - failures.lastMs >= policy.lockMs) return null;
  return new Date(failures.lastMs + policy.lockMs);
}

/**
 * Checks a login: refused with no accounts at all (there is never a default
 * password), when the user name is locked after `maxFailures` failures in a
 * row (until `lockMs` after the last), or when it is tried too often; else
 * the password is checked (scrypt, constant time; an unknown name costs the
 * same). Every attempt is recorded in `login_attempts`; failures and
 * successes are audited.
 */
export function createLoginGuard(context: ServerContext, policy: LoginPolicy = DEFAULT_LOGIN_POLICY, now: () => number = Date.now) {
  const recent = new Map<string, number[]>();
  const warehouse = context.state;
  const record = async (username: string, ip: string, ok: boolean) => {
    const d = warehouse.dialect;
    await warehouse.execute(`INSERT INTO login_attempts (ts, username, ip, ok) VALUES (${d.timestamp(new Date(now()).toISOString())}, ${d.literal(username.slice(0, 200))}, ${d.literal(ip)}, ${ok})`);
  };
  return async function attemptLogin(username: string, password: string, ip: string): Promise<LoginOutcome> {
    if ((await countUsers(warehouse)) === 0) {
      return { ok: false, statusCode: 401, error: 'no_users', message: 'this server has no accounts yet (there is no default password)', hint: 'whoever runs the server creates the first: clvkit users add NAME --role admin --db PATH' };
    }
    const t = now();
    const times = (recent.get(username) ?? []).filter((x) => t - x < 60_000);
    times.push(t);
    recent.set(username, times);
    if (recent.size > 50_000) recent.clear();
    if (times.length > policy.perUserPerMinute) return { ok: false, statusCode: 429, error: 'too_many_attempts', message: 'too many login attempts for this user', hint: 'wait a minute', retryAfterS: 60 };
    const failures = await failuresInARow(warehouse, username);
    if (failures.count >= policy.maxFailures && failures.lastMs !== null && t - failures.lastMs < policy.lockMs) {
      const retryAfterS = Math.ceil((failures.lastMs + policy.lockMs - t) / 1000);
      return { ok: false, statusCode: 429, error: 'locked', message: `this user is locked after ${failures.count} failed logins`, hint: `try again in ${Math.ceil(retryAfterS / 60)} minutes, or ask an admin`, retryAfterS };
    }
    const user = await findUser(warehouse, username);
    const matches = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    await record(username, ip, user !== null && matches);
    if (!user || !matches) {
      await context.audit({ name: user ? user.name : 'unknown-user', role: user?.role ?? 'none' }, { action: 'login_failed', target: 'server', details: { ip, reason: user ? 'wrong password' : 'unknown user', failures_in_a_row: failures.count + 1 } });
      return { ok: false, statusCode: 401, error: 'bad_credentials', message: 'wrong user name or password', hint: `check both; after ${policy.maxFailures} failures in a row the user is locked for ${Math.round(policy.lockMs / 60_000)} minutes` };
    }
    await context.audit({ name: user.name, role: user.role }, { action: 'login', target: 'server', details: { ip } });
    return { ok: true, user: { name: user.name, role: user.role, createdAt: user.createdAt } };
  };
}
