import { describe, expect, it } from 'vitest';
import {
  classifyColumn,
  classifyPiiRole,
  PII_ROLE_COLUMNS,
  PII_ROLES,
  stricterClass,
  WAREHOUSE_CLASSIFICATION,
} from '../../../src/privacy/access/classification.js';

describe('WAREHOUSE_CLASSIFICATION', () => {
  it('declares every column of the data contract with the expected class', () => {
    // table → class → columns, written out from the issue
    const expected: Record<string, Record<string, string[]>> = {
      transactions: {
        internal: [
          'order_id', 'customer_id', 'ts', 'quantity', 'unit_price', 'amount', 'cost', 'channel', 'region', 'country',
          'is_return', 'is_outlier', 'ingest_id', 'source', 'source_line', 'row_hash',
        ],
        public: ['product_id', 'description', 'category'],
      },
      customers: {
        internal: ['customer_id', 'signup_ts', 'acquisition_channel', 'acquisition_cost', 'region', 'country', 'ingest_id', 'write_seq'],
        personal: ['gender', 'birth_year', 'attributes', 'email_enc', 'phone_enc', 'name_enc', 'address_enc'],
        'personal-sensitive': ['note_enc'],
      },
      events: {
        internal: ['customer_id', 'anonymous_id', 'session_id', 'ts', 'ingest_id', 'source', 'source_line', 'row_hash'],
        public: ['type', 'product_id', 'category'],
        personal: ['query'],
      },
      quarantine: { internal: ['ingest_id', 'source', 'line', 'reason', 'customer_id', 'ts'], personal: ['raw', 'detail'] },
      ingests: { internal: ['ingest_id', 'source', 'file_sha256', 'started_at', 'rows_read', 'accepted', 'quarantined', 'report'] },
      customer_reid: { internal: ['customer_id', 'created_at'], personal: ['original_id_enc'] },
      warehouse_meta: { internal: ['name', 'value'] },
    };
    for (const [table, byClass] of Object.entries(expected)) {
      const declared = Object.keys(WAREHOUSE_CLASSIFICATION[table].columns).sort();
      expect(declared, table).toEqual(Object.values(byClass).flat().sort());
      for (const [cls, columns] of Object.entries(byClass)) {
        for (const column of columns) expect(classifyColumn(table, column).class, `${table}.${column}`).toBe(cls);
      }
    }
  });

  it('customer ids are pseudonymised tokens and PII columns are encrypted everywhere', () => {
    for (const table of ['transactions', 'customers', 'events', 'customer_reid', 'customer_scores', 'customer_summary', 'quarantine']) {
      expect(classifyColumn(table, 'customer_id').protection, table).toBe('pseudonymised');
    }
    for (const role of PII_ROLES) {
      const c = classifyColumn('customers', PII_ROLE_COLUMNS[role]);
      expect(c.protection, role).toBe('encrypted');
      expect(c.declared).toBe(true);
    }
    expect(classifyColumn('customer_reid', 'original_id_enc')).toMatchObject({ protection: 'encrypted', identifier: true });
  });

  it('no personal column is stored without protection', () => {
    for (const [table, spec] of Object.entries(WAREHOUSE_CLASSIFICATION)) {
      for (const [column, c] of [...Object.entries(spec.columns), ['*', spec.otherColumns] as const]) {
        if (c.class === 'personal' || c.class === 'personal-sensitive') expect(c.protection, `${table}.${column}`).not.toBe('none');
      }
    }
  });

  it('undeclared columns: the table default (customers → personal), unknown tables → personal', () => {
    expect(classifyColumn('customers', 'loyalty_tier')).toMatchObject({ class: 'personal', declared: false });
    expect(classifyColumn('customer_scores', 'segment')).toMatchObject({ class: 'internal', declared: false });
    expect(classifyColumn('mystery', 'x')).toMatchObject({ class: 'personal', protection: 'restricted', declared: false });
    expect(classifyColumn('customers', 'constructor')).toMatchObject({ class: 'personal', declared: false });
  });
});

describe('PII roles', () => {
  it('are personal by default; overrides can only make them stricter', () => {
    for (const role of PII_ROLES) expect(classifyPiiRole(role), role).toBe('personal');
    expect(classifyPiiRole('note', { note: 'personal-sensitive' })).toBe('personal-sensitive');
    expect(classifyPiiRole('email', { email: 'public' })).toBe('personal');
  });

  it('stricterClass orders personal-sensitive > personal > internal > public', () => {
    expect(stricterClass('public', 'internal')).toBe('internal');
    expect(stricterClass('personal-sensitive', 'personal')).toBe('personal-sensitive');
    expect(stricterClass('internal', 'personal')).toBe('personal');
  });
});

describe('coverage of the warehouse schema', () => {
  it('every column created by the schema migrations has a declared class', async () => {
    const { SCHEMA_MIGRATIONS } = await import('../../../src/engine/schema-migrations.js');
    const undeclared: string[] = [];
    let columns = 0;
    for (const migration of SCHEMA_MIGRATIONS) {
      for (const sql of migration.statements) {
        const create = /CREATE TABLE\s+(?:IF NOT EXISTS\s+)?(\w+)\s*\(([\s\S]*)\)/i.exec(sql);
        const added = /ALTER TABLE\s+(\w+)\s+ADD\s+(?:COLUMN\s+)?(?:IF NOT EXISTS\s+)?(\w+)/i.exec(sql);
        const pairs: Array<[string, string]> = create
          ? create[2].split(',').map((def) => [create[1], def.trim().split(/\s+/)[0]] as [string, string]).filter(([, c]) => /^\w+$/.test(c) && !/^(PRIMARY|UNIQUE|CHECK|FOREIGN|CONSTRAINT)$/i.test(c))
          : added
            ? [[added[1], added[2]]]
            : [];
        for (const [table, column] of pairs) {
          columns++;
          if (!classifyColumn(table, column).declared) undeclared.push(`${table}.${column}`);
        }
      }
    }
    expect(columns).toBeGreaterThan(40);
    expect(undeclared, 'declare these columns in src/privacy/access/classification.ts').toEqual([]);
  });
});
