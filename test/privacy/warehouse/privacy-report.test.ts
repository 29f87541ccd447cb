import { describe, expect, it } from 'vitest';
import { keyringFromKey, rotateKey } from '../../../src/privacy/keys/keyring.js';
import { buildPrivacyReport, privacyReportMarkdown } from '../../../src/privacy/warehouse/privacy-report.js';
import { parseRetentionPolicy } from '../../../src/privacy/warehouse/retention.js';

const KEY = Buffer.alloc(32, 0x5a);
const now = new Date('2025-06-01T00:00:00Z');

describe('buildPrivacyReport', () => {
  it('describes held tables column by column, with counts, keys and retention', () => {
    const keyring = rotateKey(keyringFromKey(KEY, { source: 'env' }), { key: Buffer.alloc(32, 0x5b), now });
    const report = buildPrivacyReport({
      tables: {
        customers: { columns: ['customer_id', 'email_enc', 'note_enc', 'loyalty_tier'], rowCount: 120 },
        transactions: { columns: ['order_id', 'customer_id', 'amount'], rowCount: 900 },
      },
      keyring,
      retention: parseRetentionPolicy('customers=3y'),
      now,
    });
    expect(report.generatedAt).toBe('2025-06-01T00:00:00.000Z');
    expect(report.tables.map((t) => t.table)).toEqual(['customers', 'transactions']);
    const customers = report.tables[0];
    expect(customers.rowCount).toBe(120);
    expect(customers.retention).toBe('3 years');
    expect(customers.columns).toEqual([
      { column: 'customer_id', class: 'internal', protection: 'pseudonymised', mask: 'none', description: expect.any(String), declared: true },
      { column: 'email_enc', class: 'personal', protection: 'encrypted', mask: 'email', description: 'e-mail address', declared: true },
      { column: 'note_enc', class: 'personal-sensitive', protection: 'encrypted', mask: 'redact', description: expect.any(String), declared: true },
      { column: 'loyalty_tier', class: 'personal', protection: 'restricted', mask: 'partial', description: expect.any(String), declared: false },
    ]);
    expect(report.columnsByClass).toEqual({ 'personal-sensitive': 1, personal: 2, internal: 4, public: 0 });
    expect(report.keys?.keys.map((k) => [k.active, k.root])).toEqual([
      [false, true],
      [true, false],
    ]);
    expect(report.warnings).toEqual(['customers.loyalty_tier is not declared; treated as personal (restricted)']);
    const json = JSON.stringify(report);
    expect(json).not.toContain(KEY.toString('base64'));
    expect(json).not.toContain(Buffer.alloc(32, 0x5b).toString('base64'));
  });

  it('without tables describes the declared schema and warns about personal tables without retention', () => {
    const report = buildPrivacyReport({ now });
    expect(report.tables.map((t) => t.table)).toEqual(['api_tokens', 'audience_members', 'audiences', 'audit_log', 'campaign_evaluations', 'customer_behaviour', 'customer_churn', 'customer_clusters', 'customer_cohorts', 'customer_prospects', 'customer_reid', 'customer_rfm', 'customer_scores', 'customer_stages', 'customer_summary', 'customer_value_tiers', 'customers', 'dropped_ingests', 'erased_customers', 'events', 'ingest_batches', 'ingest_copies', 'ingests', 'login_attempts', 'model_runs', 'playbook_runs', 'quarantine', 'schema_migrations', 'server_runs', 'transactions', 'users', 'warehouse_meta']);
    expect(report.keys).toBeNull();
    expect(report.warnings).toEqual([
      'api_tokens holds personal data and has no retention period',
      'audit_log holds personal data and has no retention period',
      'customer_reid holds personal data and has no retention period',
      'customers holds personal data and has no retention period',
      'events holds personal data and has no retention period',
      'login_attempts holds personal data and has no retention period',
      'quarantine holds personal data and has no retention period',
    ]);
    // accounts are kept while they exist (an admin removes them), not by a period
    expect(report.tables.find((t) => t.table === 'users')!.retention).toMatch(/^while the account exists/);
  });

  it('renders Markdown with a row per column and the key table, no key bytes', () => {
    const keyring = keyringFromKey(KEY);
    const md = privacyReportMarkdown(buildPrivacyReport({ tables: { customers: { columns: ['email_enc'], rowCount: 2 } }, keyring, now }));
    expect(md).toContain('## customers');
    expect(md).toContain('| email_enc | personal | encrypted | email | e-mail address |');
    expect(md).toContain(`| ${keyring.activeKeyId} | unknown | yes | yes |`);
    expect(md).toContain('- customers holds personal data and has no retention period');
    expect(md).not.toContain(KEY.toString('base64'));
  });
});
