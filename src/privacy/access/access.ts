import { userInfo } from 'node:os';
import { parseRole, type Role } from './rbac.js';

/** Who acts and as which role; every privileged library entry point takes these. */
export interface AccessOptions {
  /** the person or service acting (audit log); default: the OS user name */
  readonly actor?: string;
  /** default `analyst` */
  readonly role?: Role | string;
}

export interface Access {
  readonly actor: string;
  readonly role: Role;
}

/** The role used when none is given. */
export const DEFAULT_ROLE: Role = 'analyst';

/** The OS user name (the default actor), or `unknown`. */
export function defaultActor(): string {
  try {
    const name = userInfo().username;
    if (name) return name;
  } catch {
    // no passwd entry (containers): fall through
  }
  return process.env.USER ?? process.env.USERNAME ?? 'unknown';
}

/**
 * Actor and role with defaults applied; `UserError` for an unknown role.
 *
 * Example: `resolveAccess({ role: 'Admin' })` → `{ actor: '<os user>', role: 'admin' }`
 */
export function resolveAccess(options: AccessOptions = {}): Access {
  const actor = options.actor?.trim() || defaultActor();
  return { actor, role: parseRole(options.role ?? DEFAULT_ROLE) };
}
