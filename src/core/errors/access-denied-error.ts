import { UserError } from './user-error.js';

/**
 * A role tried an action the permission matrix does not grant it
 * (see `rbac.ts`). The message names the role and the action, the hint the
 * roles that may do it.
 *
 * Example: `throw new AccessDeniedError('role marketer may not reidentify', 'roles allowed: admin')`
 */
export class AccessDeniedError extends UserError {
  /** the roles that may do what was refused, most privileged first (the CLI suggests the last) */
  readonly allowedRoles: readonly string[];

  constructor(message: string, hint?: string, allowedRoles: readonly string[] = []) {
    super(message, hint);
    this.allowedRoles = allowedRoles;
    // UserError types `name` as the literal 'UserError'; set ours at run time.
    Object.defineProperty(this, 'name', { value: 'AccessDeniedError', configurable: true, writable: true });
  }
}
