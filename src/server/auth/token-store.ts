import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { UserError } from '../../core/errors/user-error.js';
import type { Warehouse } from '../../engine/warehouse.js';
import { parseRole, type Role } from '../../privacy/access/rbac.js';

/** An API token as listed (table `api_tokens`, migration 6): never the secret, never its hash. */
export interface ApiTokenInfo {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
}

/** Default lifetime of a token. */
export const DEFAULT_TOKEN_DAYS = 90;
const PREFIX = 'clv_';

/** The stored form of a secret: SHA-256 (the secret is 256 random bits, so no slow hash is needed). */
const digest = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));

function infoOf(r: Record<string, unknown>): ApiTokenInfo {
  return { id: String(r.token_id), name: String(r.name), role: parseRole(String(r.role)), createdAt: iso(r.created_at), expiresAt: iso(r.expires_at), revokedAt: r.revoked_at === null ? null : iso(r.revoked_at) };
}

/**
 * Creates a token `clv_<id>_<secret>` (id: 12 hex digits to look it up;
 * secret: 32 random bytes, base64url) and stores only the SHA-256 of the
 * secret. The token text is returned once and cannot be recovered.
 *
 * Example: `await createApiToken(wh, { name: 'shop-backend', role: 'analyst', expiresDays: 90 })` → `{ token: 'clv_3f9a…_…', info }`
 */
export async function createApiToken(warehouse: Warehouse, options: { name: string; role: Role; expiresDays: number; now?: Date }): Promise<{ token: string; info: ApiTokenInfo }> {
  if (!(options.expiresDays > 0 && options.expiresDays <= 3650)) throw new UserError(`--expires-days ${options.expiresDays} is not between 0 and 3650`, 'e.g. --expires-days 90');
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const now = options.now ?? new Date();
  const expires = new Date(now.getTime() + options.expiresDays * 86_400_000);
  const d = warehouse.dialect;
  await warehouse.execute(
    `INSERT INTO api_tokens (token_id, name, role, secret_sha256, created_at, expires_at, revoked_at) VALUES (${d.literal(id)}, ${d.literal(options.name)}, ${d.literal(options.role)}, ${d.literal(digest(secret))}, ${d.timestamp(now.toISOString())}, ${d.timestamp(expires.toISOString())}, NULL)`,
  );
  return { token: `${PREFIX}${id}_${secret}`, info: { id, name: options.name, role: options.role, createdAt: now.toISOString(), expiresAt: expires.toISOString(), revokedAt: null } };
}

export async function listApiTokens(warehouse: Warehouse): Promise<ApiTokenInfo[]> {
  return (await warehouse.query('SELECT token_id, name, role, created_at, expires_at, revoked_at FROM api_tokens ORDER BY created_at, token_id')).map(infoOf);
}

/** Revokes a token by its id (or the whole token text); `UserError` when there is none. */
export async function revokeApiToken(warehouse: Warehouse, idOrToken: string, now = new Date()): Promise<ApiTokenInfo> {
  const id = splitToken(idOrToken)?.id ?? idOrToken.trim();
  const d = warehouse.dialect;
  return warehouse.transaction(async () => {
    const [row] = await warehouse.query(`SELECT token_id, name, role, created_at, expires_at, revoked_at FROM api_tokens WHERE token_id = ${d.literal(id)}`);
    if (!row) throw new UserError(`no API token ${id}`, 'clvkit tokens list shows the token ids');
    await warehouse.execute(`UPDATE api_tokens SET revoked_at = ${d.timestamp(now.toISOString())} WHERE token_id = ${d.literal(id)} AND revoked_at IS NULL`);
    return { ...infoOf(row), revokedAt: row.revoked_at === null ? now.toISOString() : iso(row.revoked_at) };
  });
}

function splitToken(token: string): { id: string; secret: string } | null {
  const match = /^clv_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/.exec(token.trim());
  return match ? { id: match[1]!, secret: match[2]! } : null;
}

/** Why a presented token is refused: never say which part was wrong to the client, but the log may. */
export type TokenCheck = { ok: true; info: ApiTokenInfo } | { ok: false; reason: 'malformed' | 'unknown' | 'revoked' | 'expired' };

/** Checks a presented token against the store: known id, matching secret (constant time), not revoked, not expired. */
export async function verifyApiToken(warehouse: Warehouse, token: string, now = new Date()): Promise<TokenCheck> {
  const parts = splitToken(token);
  if (!parts) return { ok: false, reason: 'malformed' };
  const [row] = await warehouse.query(`SELECT token_id, name, role, created_at, expires_at, revoked_at, secret_sha256 FROM api_tokens WHERE token_id = ${warehouse.dialect.literal(parts.id)}`);
  if (!row || !timingSafeEqual(Buffer.from(String(row.secret_sha256), 'hex'), Buffer.from(digest(parts.secret), 'hex'))) return { ok: false, reason: 'unknown' };
  const info = infoOf(row);
  if (info.revokedAt !== null) return { ok: false, reason: 'revoked' };
  if (Date.parse(info.expiresAt) <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, info };
}
