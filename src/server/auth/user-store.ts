import { UserError } from '../../core/errors/user-error.js';
import type { Warehouse } from '../../engine/warehouse.js';
import { parseRole, type Role } from '../../privacy/access/rbac.js';

/** An account of the dashboard (table `users`, migration 6); the password hash never leaves the store. */
export interface ServerUser {
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
}

/** A user name: letters, digits and `_ . @ -`, 1–64 characters (it appears in the audit log). */
export function parseUserName(value: string): string {
  const name = value.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/.test(name)) throw new UserError(`user name ${JSON.stringify(value)} is not usable`, 'use 1–64 letters, digits and _ . @ - (starting with a letter or digit)');
  return name;
}

/** The change would leave no admin: refused (the API answers 409, the CLI exits 2). */
export class LastAdminError extends UserError {
  constructor(readonly userName: string) {
    super(`${userName} is the last admin`, 'add another admin first: clvkit users add NAME --role admin');
  }
}

/** Refuses a change that takes the role admin away from `existing` when it is the only admin. */
async function keepAnAdmin(warehouse: Warehouse, existing: { name: string; role: Role } | null, newRole: Role | null): Promise<void> {
  if (!existing || existing.role !== 'admin' || newRole === 'admin') return;
  const [row] = await warehouse.query("SELECT count(*) AS n FROM users WHERE role = 'admin'");
  if (Number(row!.n) <= 1) throw new LastAdminError(existing.name);
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));

export async function listUsers(warehouse: Warehouse): Promise<ServerUser[]> {
  const rows = await warehouse.query('SELECT name, role, created_at FROM users ORDER BY name');
  return rows.map((r) => ({ name: String(r.name), role: parseRole(String(r.role)), createdAt: iso(r.created_at) }));
}

export async function countUsers(warehouse: Warehouse): Promise<number> {
  const [row] = await warehouse.query('SELECT count(*) AS n FROM users');
  return Number(row!.n);
}

/** The user and its password hash, null when there is none of that name. */
export async function findUser(warehouse: Warehouse, name: string): Promise<(ServerUser & { passwordHash: string }) | null> {
  const [row] = await warehouse.query(`SELECT name, role, created_at, password_hash FROM users WHERE name = ${warehouse.dialect.literal(name)}`);
  return row ? { name: String(row.name), role: parseRole(String(row.role)), createdAt: iso(row.created_at), passwordHash: String(row.password_hash) } : null;
}

/**
 * Adds a user, or replaces the role and password of an existing one when `replace` is set (its failed logins are
 * cleared: no lock is left on the new password); `LastAdminError` when that would demote the only admin.
 */
export async function addUser(warehouse: Warehouse, user: { name: string; role: Role; passwordHash: string }, { replace = false } = {}): Promise<'added' | 'replaced'> {
  const d = warehouse.dialect;
  return warehouse.transaction(async () => {
    const existing = await findUser(warehouse, user.name);
    if (existing && !replace) throw new UserError(`user ${user.name} exists already`, `pass --replace to set a new role and password, or clvkit users remove ${user.name} first`);
    await keepAnAdmin(warehouse, existing, user.role);
    if (existing) {
      await warehouse.execute(`DELETE FROM users WHERE name = ${d.literal(user.name)}`);
      await deleteLoginFailures(warehouse, user.name);
    }
    await warehouse.execute(`INSERT INTO users (name, role, password_hash, created_at) VALUES (${d.literal(user.name)}, ${d.literal(user.role)}, ${d.literal(user.passwordHash)}, ${d.timestamp(new Date().toISOString())})`);
    return existing ? 'replaced' : 'added';
  });
}

/** Removes a user; `LastAdminError` for the only admin. */
export async function removeUser(warehouse: Warehouse, name: string): Promise<void> {
  const d = warehouse.dialect;
  await warehouse.transaction(async () => {
    const existing = await findUser(warehouse, name);
    if (!existing) throw new UserError(`no user ${name}`, 'clvkit users list shows the users');
    await keepAnAdmin(warehouse, existing, null);
    await warehouse.execute(`DELETE FROM users WHERE name = ${d.literal(name)}`);
  });
}

/**
 * Unlocks a user: deletes its failed logins (`login_attempts`), at every address, so that no lock is left
 * (login-guard.ts); the audit log keeps each failure (`login_failed`). Returns how many were cleared.
 */
export async function clearLoginFailures(warehouse: Warehouse, name: string): Promise<number> {
  return warehouse.transaction(async () => {
    if (!(await findUser(warehouse, name))) throw new UserError(`no user ${name}`, 'clvkit users list (GET /api/users) shows the users');
    return deleteLoginFailures(warehouse, name);
  });
}

async function deleteLoginFailures(warehouse: Warehouse, name: string): Promise<number> {
  const where = `username = ${warehouse.dialect.literal(name)} AND NOT ok`;
  const [row] = await warehouse.query(`SELECT count(*) AS n FROM login_attempts WHERE ${where}`);
  await warehouse.execute(`DELETE FROM login_attempts WHERE ${where}`);
  return Number(row!.n);
}
