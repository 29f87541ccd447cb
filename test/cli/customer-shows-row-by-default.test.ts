/**
 * A QA pass (a new user): `clvkit customer <id> --db W` without a view flag said "say what to show about the customer".
 * It now shows the customer's row — the customer 360's scores as GET /api/customers/:token reads them (CLV, P(alive),
 * expected purchases, segment, stage, churn risk, next order) — masked by role as the API masks it, audited as the
 * API's read is. A prospect is said to be one (with stage, conversion propensity, predicted_clv_12m and its interval, and
 * the browse stage), an id never held is refused.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKeyring } from '../../src/privacy/keys/load-keyring.js';
import { createPseudonymiser } from '../../src/privacy/tokens/pseudonymise.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { cli, useFixedKey } from '../helpers/cli.js';
import { prospectsWarehouse } from '../helpers/prospects-warehouse.js';
import { openTestServer, sessionHeaders } from '../server/server-fixture.js';

describe('clvkit customer <id> --db W without a view flag', () => {
  useFixedKey(31);
  let db: string;
  let token: string;
  let originalId: string;
  let row: Record<string, unknown>;
  let prospect: { token: string; propensity: number };
  beforeAll(async () => {
    const made = await prospectsWarehouse();
    db = made.db;
    const warehouse = await openDuckDbWarehouse(db);
    try {
      const [buyer] = await warehouse.query(`SELECT s.customer_id, s.p_alive, s.predicted_clv_12m, s.expected_purchases_90d, g.stage, r.segment, c.churn_probability, c.churn_risk_band
        FROM customer_scores s JOIN customer_stages g USING (customer_id) JOIN customer_rfm r USING (customer_id) JOIN customer_churn c USING (customer_id)
        WHERE s.p_alive IS NOT NULL ORDER BY s.predicted_clv_12m DESC LIMIT 1`);
      row = buyer!;
      token = String(buyer!.customer_id);
      const [p] = await warehouse.query(`SELECT q.customer_id, q.conversion_propensity FROM customer_prospects q JOIN customer_stages g USING (customer_id)
        WHERE g.stage = 'prospect' AND q.conversion_propensity IS NOT NULL ORDER BY q.customer_id LIMIT 1`);
      prospect = { token: String(p!.customer_id), propensity: Number(p!.conversion_propensity) };
    } finally {
      await warehouse.close();
    }
    // the original id behind the token: the synthetic shop's ids, tokenised with the test's key
    const tokenOf = createPseudonymiser(loadKeyring());
    const ids = readFileSync(join(made.dir, 'shop', 'customers.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(',')[0]!);
    originalId = ids.find((id) => tokenOf(id) === token)!;
    expect(originalId).toBeTruthy();
  }, 180_000);

  it('prints the row: stage, segment, P(alive), churn risk, expected purchases, CLV (text)', async () => {
    const run = await cli(['customer', token, '--db', db]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`customer ${token}: stage ${row.stage}, segment ${row.segment}`);
    expect(run.stdout).toContain(`  P(alive) ${Number(row.p_alive).toFixed(4)}, churn probability ${Number(row.churn_probability).toFixed(6)} (band ${row.churn_risk_band} by rank: high the riskiest 20%, medium the next 30%)\n`);
    expect(run.stdout).toMatch(new RegExp(`  expected purchases: [0-9.]+ in 30 days, ${Number(row.expected_purchases_90d).toFixed(4)} in 90 days, [0-9.]+ in 365 days\\n`));
    expect(run.stdout).toMatch(new RegExp(`  CLV: historic [0-9.]+, predicted 12 months ${Number(row.predicted_clv_12m).toFixed(2)} \\(90% interval, 5th–95th percentile: [0-9.]+ … [0-9.]+\\)\\n`));
    expect(run.stdout).toMatch(/ {2}next order: /);
  });

  it('--json is the API customer 360\'s row, masked as the API masks it for the same role', async () => {
    // the CLI's reads first, then the API's (one process may not hold the warehouse open twice)
    const shown: Record<string, Record<string, unknown>> = {};
    for (const role of ['analyst', 'marketer'] as const) {
      const run = await cli(['customer', token, '--db', db, '--json', '--role', role]);
      expect(run.code, run.stderr).toBe(0);
      shown[role] = JSON.parse(run.stdout);
      expect((shown[role]!.scores as { customer_scores: { p_alive: number } }).customer_scores.p_alive).toBe(row.p_alive);
      expect(shown[role]).not.toHaveProperty('originalId');
    }
    // the original id, as given, finds the same customer (by its token)
    expect(JSON.parse((await cli(['customer', originalId, '--db', db, '--json'])).stdout).customer).toBe(token);
    // an admin with --reveal-ids sees the original id
    const admin = await cli(['customer', token, '--db', db, '--json', '--role', 'admin', '--reveal-ids']);
    expect(admin.code, admin.stderr).toBe(0);
    expect((await cli(['customer', token, '--db', db, '--role', 'admin', '--reveal-ids'])).stdout.split('\n')[0]).toBe(`customer ${token} (${originalId}): stage ${row.stage}, segment ${row.segment}`);
    // a marketer may not reveal ids; a viewer sees no customer
    const marketer = await cli(['customer', token, '--db', db, '--role', 'marketer', '--reveal-ids']);
    expect([marketer.code, marketer.stdout, marketer.stderr.trimEnd().split('\n').length]).toEqual([2, '', 1]);
    expect((await cli(['customer', token, '--db', db, '--role', 'viewer'])).code).toBe(2);

    const server = await openTestServer({ db });
    try {
      for (const role of ['analyst', 'marketer'] as const) {
        const api = (await server.app.inject({ method: 'GET', url: `/api/customers/${token}`, headers: sessionHeaders(await server.login(role)) })).json();
        expect(shown[role]).toEqual({ customer: api.customer, revealed: false, pii: api.pii, piiShown: api.piiShown, scores: api.scores, audiences: api.audiences });
      }
      const api = (await server.app.inject({ method: 'GET', url: `/api/customers/${token}?reveal=1`, headers: sessionHeaders(await server.login('admin')) })).json();
      expect(api.originalId).toBe(originalId);
      expect(JSON.parse(admin.stdout)).toEqual({ customer: token, originalId, revealed: true, pii: api.pii, piiShown: api.piiShown, scores: api.scores, audiences: api.audiences });
    } finally {
      await server.close();
    }
  });

  it('is audited as the API read is: view_tokens (view_raw_pii had raw values been shown), and reidentify with --reveal-ids, on the customer\'s token', async () => {
    const entries = async () => JSON.parse((await cli(['audit', 'list', '--db', db, '--role', 'admin', '--json'])).stdout) as { action: string; target: unknown; details: Record<string, unknown> }[];
    const before = (await entries()).length;
    expect((await cli(['customer', token, '--db', db])).code).toBe(0);
    expect((await cli(['customer', token, '--db', db, '--role', 'admin', '--reveal-ids'])).code).toBe(0);
    const added = (await entries()).slice(before).filter((e) => e.details.command === 'customer');
    // this shop maps no personal column: --reveal-ids showed the original id (reidentify) and no raw value, so the read
    // itself is view_tokens, not view_raw_pii (test/server/customer-read-audit-says-what-was-shown.test.ts: with values)
    expect(added.map((e) => [e.action, e.target])).toEqual([['view_tokens', `customer:${token}`], ['view_tokens', `customer:${token}`], ['reidentify', `customer:${token}`]]);
    expect(added.slice(0, 2).map((e) => [e.details.pii, e.details.piiMasked])).toEqual([[[], []], [[], []]]);
  });

  it('a prospect is said to be one, with stage and conversion propensity; an id never held is one line, exit 2', async () => {
    const run = await cli(['customer', prospect.token, '--db', db]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(`customer ${prospect.token} is a known prospect (a profile or events, no purchase yet): stage prospect, conversion propensity ${prospect.propensity.toFixed(4)}`);
    // and its predicted_clv_12m with the interval, and the browse stage, as customers.csv has them
    expect(run.stdout.split('\n')[1]).toMatch(/^ {2}CLV: predicted 12 months [0-9.]+ \(90% interval, 5th–95th percentile: [0-9.]+ … [0-9.]+\) = conversion propensity × [0-9.]+, the first-year value of a new customer like them$/);
    expect(run.stdout.split('\n')[2]).toMatch(/^ {2}browsing: (no sessions|stage [a-z_]+, \d+ sessions?, last event \d{4}-\d\d-\d\d)$/);
    const never = await cli(['customer', 'NOBODY', '--db', db]);
    expect([never.code, never.stdout]).toEqual([2, '']);
    expect(never.stderr).toMatch(/^clvkit: error: no customer NOBODY in the last analysis \(hint: [^\n]*\)\n$/);
  });
});
