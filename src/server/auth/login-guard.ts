import { keyedTag } from '../../privacy/warehouse/audit-log.js';
import type { Warehouse } from '../../engine/warehouse.js';
import type { Keyring } from '../../privacy/keys/keyring.js';
import type { ServerContext } from '../server-context.js';
import { auditRefusal } from '../audit-refusal.js';
import { auditedNetwork, clientNetwork } from './client-network.js';
import { DUMMY_PASSWORD_HASH, verifyPassword } from './password-hash.js';
import { countUsers, findUser, type ServerUser } from './user-store.js';

/** How hard the login is to guess at. */
export interface LoginPolicy {
  /** failed attempts in a row (per user name and client address) that lock the name at that address (an address: `clientNetwork`, an IPv6 client's /64) */
  readonly maxFailures: number;
  /** how long the first lock lasts; each failure after a lock ended doubles it, up to `maxLockMs` */
  readonly lockMs: number;
  /** attempts per user name and client address per minute, whatever their outcome (the per-IP limit is the route's rate limit) */
  readonly perUserPerMinute: number;
  /** the longest lock (default 24 hours) */
  readonly maxLockMs?: number;
}

export const DEFAULT_LOGIN_POLICY: LoginPolicy = { maxFailures: 5, lockMs: 15 * 60_000, perUserPerMinute: 10, maxLockMs: 24 * 60 * 60_000 };

export type LoginOutcome =
  | { readonly ok: true; readonly user: ServerUser }
  | { readonly ok: false; readonly statusCode: 401 | 429; readonly error: 'bad_credentials' | 'no_users' | 'locked' | 'too_many_attempts'; readonly message: string; readonly hint: string; readonly retryAfterS?: number; /** an entry was written for this attempt (login_failed, or the login_refused of its lock or minute): else the server tallies it */ readonly audited: boolean };

const msOf = (v: unknown) => (v instanceof Date ? v.getTime() : v === null ? null : Date.parse(String(v)));

/**
 * The failures in a row of a user name at each client address (`ip`: one address, else every one) since that address's
 * last success, and the time of the last. A success at another address does not reset them: an address that guessed
 * stays locked when the user logs in elsewhere.
 */
async function failuresInARow(warehouse: Warehouse, username: string, ip?: string): Promise<{ ip: string | null; count: number; lastMs: number | null }[]> {
  const d = warehouse.dialect;
  const name = d.literal(username);
  const rows = await warehouse.query(
    `SELECT a.ip, count(*) AS n, max(a.ts) AS last FROM login_attempts a WHERE a.username = ${name} AND NOT a.ok${ip === undefined ? '' : ` AND a.ip = ${d.literal(ip)}`}
       AND a.ts > COALESCE((SELECT max(b.ts) FROM login_attempts b WHERE b.username = ${name} AND b.ok AND b.ip IS NOT DISTINCT FROM a.ip), TIMESTAMP '1970-01-01')
     GROUP BY a.ip`,
  );
  return rows.map((row) => ({ ip: row.ip === null ? null : String(row.ip), count: Number(row.n), lastMs: msOf(row.last) }));
}

/** When the lock of `failures` in a row, the last at `lastMs`, ends (null: not locked): `lockMs` after the last, doubled for each failure past `maxFailures`. */
function lockEnd(failures: { count: number; lastMs: number | null }, policy: LoginPolicy, now: number): number | null {
  if (failures.count < policy.maxFailures || failures.lastMs === null) return null;
  const length = Math.min(policy.lockMs * 2 ** Math.min(failures.count - policy.maxFailures, 30), policy.maxLockMs ?? Number.POSITIVE_INFINITY);
  return now - failures.lastMs >= length ? null : failures.lastMs + length;
}

/**
 * Until when a user name is locked by failed logins in a row (`policy`) at some client address — the latest such
 * lock — null when it is locked nowhere.
 *
 * Example: after 5 failures from one address, the last at 10:00, `await lockedUntil(wh, 'ana')` → `Date(10:15)` (default policy)
 */
export async function lockedUntil(warehouse: Warehouse, username: string, policy: LoginPolicy = DEFAULT_LOGIN_POLICY, now: number = Date.now()): Promise<Date | null> {
  const ends = (await failuresInARow(warehouse, username)).map((f) => lockEnd(f, policy, now)).filter((end): end is number => end !== null);
  return ends.length === 0 ? null : new Date(Math.max(...ends));
}

/**
 * What `login_attempts.username` keeps of a name typed at the login: an existing user's name, else `~` and 32 hex
 * digits of an HMAC of the text under the warehouse's root key — a password pasted in the name field, or a customer's
 * e-mail address, is never kept in clear, and the same text typed again is the same entry (its failures lock it as a
 * user's would: the answers do not tell which names exist). Never a user name (those start with a letter or digit).
 */
export function attemptName(keyring: Keyring, typed: string, user: { name: string } | null): string {
  if (user) return user.name;
  return `~${keyedTag(keyring, 'login-name', typed)}`;
}

/**
 * Rows of `login_attempts` written before `attemptName` (session 41) kept whatever was typed in the name field: each
 * name that is no user's is rewritten as `attemptName` keeps it now (`~` and the keyed hash), so a password pasted there
 * earlier is not kept in clear either; run when the server starts. Answers how many names were rewritten.
 *
 * Example: `await hashTypedNamesKept(state, keyring)` → `1` (a row of 'Hunter2-typed' is now '~3f…')
 */
export async function hashTypedNamesKept(state: Warehouse, keyring: Keyring): Promise<number> {
  const d = state.dialect;
  const typed = (await state.query("SELECT DISTINCT username FROM login_attempts WHERE username NOT LIKE '~%' AND username NOT IN (SELECT name FROM users)")).map((r) => String(r.username));
  for (const name of typed) await state.execute(`UPDATE login_attempts SET username = ${d.literal(attemptName(keyring, name, null))} WHERE username = ${d.literal(name)}`);
  return typed.length;
}

/**
 * Checks a login: refused with no accounts at all (there is never a default
 * password), when the user name is locked at this client address after
 * `maxFailures` failures in a row from it (until `lockMs` after the last,
 * doubled for each failure after a lock ended; another address is not
 * locked, and an admin unlocks: `clearLoginFailures`), or when it is tried
 * too often from this address; else
 * the password is checked (scrypt, constant time; an unknown name costs the
 * same). Every attempt whose password is checked is recorded in
 * `login_attempts`; failures (`login_failed`) and successes (`login`) are
 * audited, and so are refusals before the password is checked
 * (`login_refused`): the first of each lock, and the first of each minute
 * over the per-user limit, not every one — the log is never purged, and an
 * attacker knocking at a lock for its 24 hours would write 10 entries a
 * minute while the failures that locked it are bounded by the lock. A
 * refusal names what was typed as `login_attempts` keeps it
 * (`attempt_name`), never the text.
 */
export function createLoginGuard(context: ServerContext, policy: LoginPolicy = DEFAULT_LOGIN_POLICY, now: () => number = Date.now) {
  const recent = new Map<string, number[]>();
  // the refusals audited: per name typed and client network, when the last over the per-user limit was; per attempt name and network, the end of the lock last audited
  const limitAudited = new Map<string, number>();
  const lockAudited = new Map<string, number>();
  const warehouse = context.state;
  // who an attempt's entry names: the user, or an unknown name
  const actorOf = (user: ServerUser | null) => ({ name: user ? user.name : 'unknown-user', role: user?.role ?? ('none' as const) });
  // a refusal's entry, marked in `audited` under `key` before it is written (a concurrent refusal does not write it
  // twice) and unmarked when it could not be: the refusal is answered as it is (its 429 and wait), the failed write
  // goes to the server's log, and the next refusal of the lock tries again
  const refused = async (audited: Map<string, number>, key: string, user: ServerUser | null, kept: string, clientIp: string, details: Record<string, string | number>) => {
    const written = await auditRefusal(context, context.log, actorOf(user), { action: 'login_refused', target: 'server', details: { client_network: auditedNetwork(clientIp), ...details, attempt_name: kept } });
    if (!written) audited.delete(key);
    return written;
  };
  const record = async (username: string, ip: string, ok: boolean) => {
    const d = warehouse.dialect;
    // an existing user's name, else a keyed hash of what was typed (`attemptName`)
    await warehouse.execute(`INSERT INTO login_attempts (ts, username, ip, ok) VALUES (${d.timestamp(new Date(now()).toISOString())}, ${d.literal(username)}, ${d.literal(ip)}, ${ok})`);
  };
  return async function attemptLogin(username: string, password: string, clientIp: string): Promise<LoginOutcome> {
    // counted by the client's network: an IPv6 client rotating addresses inside its /64 is one client (`clientNetwork`)
    const ip = clientNetwork(clientIp);
    if ((await countUsers(warehouse)) === 0) {
      return { ok: false, statusCode: 401, error: 'no_users', message: 'this server has no accounts yet (there is no default password)', hint: 'whoever runs the server creates the first: clvkit users add NAME --role admin --db PATH', audited: false };
    }
    const t = now();
    const attempts = JSON.stringify([username, ip]);
    const times = (recent.get(attempts) ?? []).filter((x) => t - x < 60_000);
    times.push(t);
    recent.set(attempts, times);
    if (recent.size > 50_000) recent.clear();
    if (times.length > policy.perUserPerMinute) {
      let written = false;
      const audited = limitAudited.get(attempts);
      if (audited === undefined || t - audited >= 60_000) {
        if (limitAudited.size > 50_000) limitAudited.clear(); // at worst one entry more for a name and network
        limitAudited.set(attempts, t);
        const user = await findUser(warehouse, username);
        written = await refused(limitAudited, attempts, user, attemptName(context.keyring, username, user), clientIp, { reason: 'too many attempts', per_minute_limit: policy.perUserPerMinute });
      }
      return { ok: false, statusCode: 429, error: 'too_many_attempts', message: 'too many login attempts for this user', hint: 'wait a minute', retryAfterS: 60, audited: written };
    }
    const user = await findUser(warehouse, username);
    const kept = attemptName(context.keyring, username, user);
    const failures = (await failuresInARow(warehouse, kept, ip))[0] ?? { count: 0, lastMs: null };
    const end = lockEnd(failures, policy, t);
    if (end !== null) {
      let written = false;
      const lock = JSON.stringify([kept, ip]);
      if (lockAudited.get(lock) !== end) {
        if (lockAudited.size > 50_000) for (const [k, e] of lockAudited) if (e <= t) lockAudited.delete(k);
        if (lockAudited.size > 50_000) lockAudited.clear(); // at worst one entry more for a lock
        lockAudited.set(lock, end);
        written = await refused(lockAudited, lock, user, kept, clientIp, { reason: 'locked', failures_in_a_row: failures.count, locked_until: new Date(end).toISOString() });
      }
      const retryAfterS = Math.ceil((end - t) / 1000);
      return { ok: false, statusCode: 429, error: 'locked', message: `this user is locked at this address after ${failures.count} failed logins`, hint: `try again in ${Math.ceil(retryAfterS / 60)} minutes, or ask an admin to unlock it`, retryAfterS, audited: written };
    }
    const matches = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    await record(kept, ip, user !== null && matches);
    if (!user || !matches) {
      await context.audit(actorOf(user), { action: 'login_failed', target: 'server', details: { client_network: auditedNetwork(clientIp), reason: user ? 'wrong password' : 'unknown user', failures_in_a_row: failures.count + 1, attempt_name: kept } });
      return { ok: false, statusCode: 401, error: 'bad_credentials', message: 'wrong user name or password', hint: `check both; after ${policy.maxFailures} failures in a row the user is locked at this address for ${Math.round(policy.lockMs / 60_000)} minutes`, audited: true };
    }
    await context.audit({ name: user.name, role: user.role }, { action: 'login', target: 'server', details: { client_network: auditedNetwork(clientIp) } });
    return { ok: true, user: { name: user.name, role: user.role, createdAt: user.createdAt } };
  };
}
