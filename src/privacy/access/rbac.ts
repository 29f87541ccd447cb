import { UserError } from '../../core/errors/user-error.js';
import { AccessDeniedError } from '../../core/errors/access-denied-error.js';
import type { SensitivityClass } from './classification.js';

export type Role = 'admin' | 'analyst' | 'marketer' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'analyst', 'marketer', 'viewer'];

export type Action =
  | 'view_raw_pii'
  | 'view_tokens'
  | 'view_masked_pii'
  | 'view_aggregates'
  | 'export_audience'
  | 'export_customers'
  | 'reidentify'
  | 'erase'
  | 'rotate_keys'
  | 'ingest'
  | 'analyze'
  | 'apply_retention'
  | 'drop_ingest'
  | 'drop_campaign_audience'
  | 'read_audit'
  | 'manage_users';

/** What each action means (the rows of the matrix). */
export const ACTION_DESCRIPTIONS: Readonly<Record<Action, string>> = {
  view_raw_pii: 'see personal columns decrypted and unmasked',
  view_tokens: 'see customer tokens and per-customer internal data',
  view_masked_pii: 'see personal columns masked (z***@example.com)',
  view_aggregates: 'see aggregates (small groups suppressed)',
  export_audience: 'export a campaign audience (tokens, masked or raw contact columns as the role allows)',
  export_customers: 'export customer-level tables (scores, segments)',
  reidentify: 'turn a token back into the original customer id',
  erase: 'erase a customer (right to erasure)',
  rotate_keys: 'add a key, re-encrypt, retire old keys',
  ingest: 'load data into the warehouse',
  analyze: 'run analyses and fit models',
  apply_retention: 'purge data past its retention period',
  drop_ingest: 'remove the rows one ingested file brought, to read it again with other options',
  drop_campaign_audience: 'drop an audience that is the record of a campaign (evaluated, or drawn before a send date that has passed): who was treated and who was held out',
  read_audit: 'read and verify the audit log',
  manage_users: 'add and remove user accounts and API tokens (clvkit serve)',
};

/**
 * Who may do what. Principles: only `admin` touches raw personal data, keys,
 * erasure and the audit log; `analyst` works at customer level on tokens and
 * masked data and runs the pipeline; `marketer` builds and exports audiences
 * from masked data; `viewer` sees aggregates only (dashboards).
 */
export const PERMISSION_MATRIX: { readonly [A in Action]: { readonly [R in Role]: boolean } } = {
  view_raw_pii: { admin: true, analyst: false, marketer: false, viewer: false },
  view_tokens: { admin: true, analyst: true, marketer: true, viewer: false },
  view_masked_pii: { admin: true, analyst: true, marketer: true, viewer: false },
  view_aggregates: { admin: true, analyst: true, marketer: true, viewer: true },
  export_audience: { admin: true, analyst: false, marketer: true, viewer: false },
  export_customers: { admin: true, analyst: true, marketer: false, viewer: false },
  reidentify: { admin: true, analyst: false, marketer: false, viewer: false },
  erase: { admin: true, analyst: false, marketer: false, viewer: false },
  rotate_keys: { admin: true, analyst: false, marketer: false, viewer: false },
  ingest: { admin: true, analyst: true, marketer: false, viewer: false },
  analyze: { admin: true, analyst: true, marketer: false, viewer: false },
  apply_retention: { admin: true, analyst: false, marketer: false, viewer: false },
  drop_ingest: { admin: true, analyst: false, marketer: false, viewer: false },
  drop_campaign_audience: { admin: true, analyst: false, marketer: false, viewer: false },
  read_audit: { admin: true, analyst: false, marketer: false, viewer: false },
  manage_users: { admin: true, analyst: false, marketer: false, viewer: false },
};

export const ACTIONS: readonly Action[] = Object.keys(PERMISSION_MATRIX) as Action[];

/** True when `role` may perform `action`; unknown roles and actions are denied. */
export function can(role: string, action: string): boolean {
  if (!Object.hasOwn(PERMISSION_MATRIX, action)) return false;
  const row = PERMISSION_MATRIX[action as Action];
  return Object.hasOwn(row, role) && row[role as Role];
}

/**
 * Throws `AccessDeniedError` unless `role` may perform `action`.
 *
 * Example: `assertCan('marketer', 'reidentify')` → throws "role marketer may not reidentify (turn a token back…)"
 */
export function assertCan(role: string, action: string): void {
  if (can(role, action)) return;
  if (!Object.hasOwn(PERMISSION_MATRIX, action)) throw new AccessDeniedError(`unknown action ${JSON.stringify(action)}`, `actions: ${ACTIONS.join(', ')}`);
  if (!isRole(role)) throw new AccessDeniedError(`unknown role ${JSON.stringify(role)}`, `roles: ${ROLES.join(', ')}`);
  const allowed = ROLES.filter((r) => PERMISSION_MATRIX[action as Action][r]);
  throw new AccessDeniedError(`role ${role} may not ${action} (${ACTION_DESCRIPTIONS[action as Action]})`, `roles allowed: ${allowed.join(', ')}`, allowed);
}

/**
 * The first of `actions` that `role` may perform; `AccessDeniedError` when it
 * may do none of them (for one action, exactly as `assertCan`).
 *
 * Example: `permittedAction('marketer', ['export_customers', 'export_audience'])` → `'export_audience'`
 */
export function permittedAction(role: string, actions: readonly Action[]): Action {
  const action = actions.find((a) => can(role, a));
  if (action) return action;
  if (actions.length === 1) assertCan(role, actions[0]!);
  const allowed = ROLES.filter((r) => actions.some((a) => PERMISSION_MATRIX[a][r]));
  throw new AccessDeniedError(`role ${role} may not ${actions.join(' or ')}`, `roles allowed: ${allowed.join(', ')}`, allowed);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Parses a role name (e.g. from `--role`), `UserError` if unknown. */
export function parseRole(value: string): Role {
  const role = value.trim().toLowerCase();
  if (!isRole(role)) throw new UserError(`unknown role ${JSON.stringify(value)}`, `roles: ${ROLES.join(', ')}`);
  return role;
}

/** How a column is shown: the value, its mask, the customer token in its place, or not at all. */
export type Presentation = 'raw' | 'masked' | 'token' | 'hidden';

export interface PresentColumnOptions {
  /** the column identifies one person (e.g. the original customer id): shown as a token instead of masked */
  readonly identifier?: boolean;
}

/**
 * How a column of class `cls` is shown to `role`, derived from the matrix:
 *
 * | class | shown as |
 * | --- | --- |
 * | public | raw to everyone |
 * | internal | raw with `view_tokens`, else hidden |
 * | personal | raw with `view_raw_pii`; else masked with `view_masked_pii` (token instead when the column is an identifier and the role has `view_tokens`); else hidden |
 * | personal-sensitive | raw with `view_raw_pii`, else hidden (a mask of free text still leaks) |
 *
 * Example: `presentColumn('marketer', 'personal')` → `'masked'`
 */
export function presentColumn(role: Role, cls: SensitivityClass, options: PresentColumnOptions = {}): Presentation {
  switch (cls) {
    case 'public':
      return 'raw';
    case 'internal':
      return can(role, 'view_tokens') ? 'raw' : 'hidden';
    case 'personal':
      if (can(role, 'view_raw_pii')) return 'raw';
      if (options.identifier) return can(role, 'view_tokens') ? 'token' : 'hidden';
      return can(role, 'view_masked_pii') ? 'masked' : 'hidden';
    case 'personal-sensitive':
      return can(role, 'view_raw_pii') ? 'raw' : 'hidden';
  }
}

/**
 * The matrix as a Markdown table (✓ allowed, · denied), for docs and `--help`.
 */
export function permissionMatrixMarkdown(): string {
  const header = `| action | ${ROLES.join(' | ')} | meaning |`;
  const rule = `| --- | ${ROLES.map(() => ':---:').join(' | ')} | --- |`;
  const rows = ACTIONS.map((a) => `| \`${a}\` | ${ROLES.map((r) => (PERMISSION_MATRIX[a][r] ? '✓' : '·')).join(' | ')} | ${ACTION_DESCRIPTIONS[a]} |`);
  return [header, rule, ...rows].join('\n') + '\n';
}
