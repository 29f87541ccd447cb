import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors/user-error.js';
import { AccessDeniedError } from '../../../src/core/errors/access-denied-error.js';
import { SENSITIVITY_CLASSES } from '../../../src/privacy/access/classification.js';
import {
  ACTIONS,
  assertCan,
  can,
  parseRole,
  permissionMatrixMarkdown,
  permittedAction,
  presentColumn,
  ROLES,
  type Action,
  type Role,
} from '../../../src/privacy/access/rbac.js';

// The expected matrix, written out by hand (not derived from PERMISSION_MATRIX).
// Columns: admin analyst marketer viewer. Y = allowed, - = denied.
const EXPECTED = `
view_raw_pii      Y - - -
view_tokens       Y Y Y -
view_masked_pii   Y Y Y -
view_aggregates   Y Y Y Y
export_audience   Y - Y -
export_customers  Y Y - -
reidentify        Y - - -
erase             Y - - -
rotate_keys       Y - - -
ingest            Y Y - -
analyze           Y Y - -
apply_retention   Y - - -
drop_ingest       Y - - -
drop_campaign_audience Y - - -
read_audit        Y - - -
manage_users      Y - - -
`;
const ROLE_ORDER: Role[] = ['admin', 'analyst', 'marketer', 'viewer'];
const expected = new Map<string, boolean[]>(
  EXPECTED.trim()
    .split('\n')
    .map((line) => {
      const [action, ...flags] = line.trim().split(/\s+/);
      return [action, flags.map((f) => f === 'Y')];
    }),
);

describe('permission matrix', () => {
  it('lists exactly the 16 actions and 4 roles of the expected table', () => {
    expect([...ACTIONS].sort()).toEqual([...expected.keys()].sort());
    expect([...ROLES]).toEqual(ROLE_ORDER);
  });

  for (const action of [...expected.keys()]) {
    for (const [r, role] of ROLE_ORDER.entries()) {
      const allowed = expected.get(action)![r];
      it(`${role} ${allowed ? 'may' : 'may not'} ${action}`, () => {
        expect(can(role, action)).toBe(allowed);
        if (allowed) {
          expect(() => assertCan(role, action)).not.toThrow();
        } else {
          let error: unknown;
          try {
            assertCan(role, action);
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(AccessDeniedError);
          expect(error).toBeInstanceOf(UserError);
          expect((error as Error).message).toMatch(new RegExp(`^role ${role} may not ${action} \\(`));
          const allowedRoles = ROLE_ORDER.filter((_, i) => expected.get(action)![i]);
          expect((error as UserError).hint).toBe(`roles allowed: ${allowedRoles.join(', ')}`);
        }
      });
    }
  }

  it('denies unknown roles and actions', () => {
    expect(can('root', 'erase')).toBe(false);
    expect(can('admin', 'drop_tables')).toBe(false);
    expect(can('admin', 'toString')).toBe(false);
    expect(can('constructor', 'erase')).toBe(false);
    expect(() => assertCan('root', 'erase')).toThrow('unknown role "root"');
    expect(() => assertCan('admin', 'drop_tables')).toThrow('unknown action "drop_tables"');
  });

  it('parseRole accepts known roles case-insensitively and rejects others', () => {
    expect(parseRole(' Analyst ')).toBe('analyst');
    expect(() => parseRole('owner')).toThrow(UserError);
  });
});

describe('permissionMatrixMarkdown', () => {
  it('renders one row per action with ✓/· matching the expected table', () => {
    const md = permissionMatrixMarkdown();
    const lines = md.trim().split('\n');
    expect(lines[0]).toBe('| action | admin | analyst | marketer | viewer | meaning |');
    expect(lines).toHaveLength(2 + 16);
    for (const line of lines.slice(2)) {
      const cells = line.split('|').map((c) => c.trim());
      const action = cells[1].replace(/`/g, '');
      expect(cells.slice(2, 6).map((c) => c === '✓'), action).toEqual(expected.get(action));
    }
  });
});

describe('presentColumn', () => {
  // class × role → presentation, written out by hand.
  const PRESENT: Record<string, Record<Role, string>> = {
    public: { admin: 'raw', analyst: 'raw', marketer: 'raw', viewer: 'raw' },
    internal: { admin: 'raw', analyst: 'raw', marketer: 'raw', viewer: 'hidden' },
    personal: { admin: 'raw', analyst: 'masked', marketer: 'masked', viewer: 'hidden' },
    'personal-sensitive': { admin: 'raw', analyst: 'hidden', marketer: 'hidden', viewer: 'hidden' },
  };
  const PRESENT_IDENTIFIER: Record<Role, string> = { admin: 'raw', analyst: 'token', marketer: 'token', viewer: 'hidden' };

  it('follows the class × role table for every pair', () => {
    for (const cls of SENSITIVITY_CLASSES) {
      for (const role of ROLE_ORDER) {
        expect(presentColumn(role, cls), `${role} × ${cls}`).toBe(PRESENT[cls][role]);
      }
    }
  });

  it('shows personal identifiers as tokens to roles without raw access', () => {
    for (const role of ROLE_ORDER) {
      expect(presentColumn(role, 'personal', { identifier: true }), role).toBe(PRESENT_IDENTIFIER[role]);
    }
  });

  it('never shows raw personal data to a role without view_raw_pii', () => {
    for (const role of ROLE_ORDER) {
      for (const cls of ['personal', 'personal-sensitive'] as const) {
        if (!can(role, 'view_raw_pii' satisfies Action)) expect(presentColumn(role, cls)).not.toBe('raw');
      }
    }
  });

  it('permittedAction names the first of several actions a role may do, or refuses with the roles that may', () => {
    expect(permittedAction('analyst', ['export_customers', 'export_audience'])).toBe('export_customers');
    expect(permittedAction('marketer', ['export_customers', 'export_audience'])).toBe('export_audience');
    try {
      permittedAction('viewer', ['export_customers', 'export_audience']);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AccessDeniedError);
      expect((error as AccessDeniedError).message).toBe('role viewer may not export_customers or export_audience');
      expect((error as AccessDeniedError).allowedRoles).toEqual(['admin', 'analyst', 'marketer']);
    }
    expect(() => permittedAction('viewer', ['erase'])).toThrow('role viewer may not erase (erase a customer (right to erasure))');
  });
});
