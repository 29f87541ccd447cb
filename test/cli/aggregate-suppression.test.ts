/**
 * The aggregate commands (segments, lifecycle, cohorts, rules) suppress
 * groups of fewer than --min-group-size customers (default 5) in their table
 * and in --json, and take the access flags.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

async function json(args: string[]): Promise<any> {
  const run = await cli([...args, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

/** 6 customers: A, B, C, D, G, I (tiny-shop.csv); by 2023-06-30 in four RFM segments of 1 and one of 2. */
const SHOP = `${FIXTURES}shop/tiny-shop.csv`;

/**
 * Orders for rules, one customer group per country:
 * - UK: one customer, W, buys P1 + P2 in 60 orders;
 * - FR: 6 customers buy P1 + P2 in 10 orders each; F1 also buys P3 + P4 in 10 more;
 * - DE: 7 customers buy P1 + P2 in 8 orders each; 3 of them also buy P5 + P6 once.
 * P1 ⇒ P2 rests on 14 customers, P3 ⇒ P4 on 1 (in 10 baskets), P5 ⇒ P6 on 3.
 */
function writeRuleOrders(dir: string): string {
  const lines = ['order_id,customer_id,date,product_id,quantity,unit_price,country'];
  let order = 1000;
  const day = (n: number) => new Date(Date.UTC(2023, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
  const buy = (customer: string, country: string, n: number, products: string[]) => {
    order++;
    for (const p of products) lines.push(`${order},${customer},${day(n)} 10:00:00,${p},1,10.00,${country}`);
  };
  for (let n = 0; n < 60; n++) buy('W', 'UK', n, ['P1', 'P2']);
  for (let c = 1; c <= 6; c++) for (let n = 0; n < 10; n++) buy(`F${c}`, 'FR', 7 * n + c, ['P1', 'P2']);
  for (let n = 0; n < 10; n++) buy('F1', 'FR', 3 * n + 100, ['P3', 'P4']);
  for (let c = 1; c <= 7; c++) for (let n = 0; n < 8; n++) buy(`D${c}`, 'DE', 9 * n + c, ['P1', 'P2']);
  for (let c = 1; c <= 3; c++) buy(`D${c}`, 'DE', 200 + c, ['P5', 'P6']);
  const path = join(dir, 'rules.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

// P1 and P2 are in nearly every basket (lift 1.05–1.17): --min-lift 1 keeps them, these tests are about suppression
const RULE_FLAGS = ['--min-support', '0.005', '--min-confidence', '0.1', '--min-lift', '1'];
const ruleNames = (rules: { antecedentLabels: string[]; consequentLabels: string[] }[]) => rules.map((r) => `${r.antecedentLabels.join('+')}>${r.consequentLabels.join('+')}`).sort();

describe('segments, lifecycle and cohorts suppress small groups', () => {
  it('segments: with k = 5 every non-empty segment and tier of the 6-customer shop is withheld; with k = 2 the groups of 2 and 3 show', async () => {
    const byDefault = await json(['segments', SHOP, '--as-of', '2023-06-30']);
    expect(byDefault.minGroupSize).toBe(5);
    expect(byDefault.rfm.customers).toBe(6); // the total stays
    for (const s of byDefault.rfm.segments) expect(s.customers === 0 || (s.customers === null && s.revenue === null && s.suppression !== null)).toBe(true);
    expect(byDefault.valueTiers.tiers.map((t: { customers: number | null }) => t.customers)).toEqual([null, 0, null]);
    const k2 = await json(['segments', SHOP, '--as-of', '2023-06-30', '--min-group-size', '2']);
    const shown = k2.rfm.segments.filter((s: { customers: number | null }) => s.customers !== null && s.customers > 0);
    expect(shown.map((s: { name: string; customers: number }) => [s.name, s.customers])).toEqual([['Potential loyalist', 2]]);
    expect(k2.rfm.segments.filter((s: { suppression: string | null }) => s.suppression === 'small-group')).toHaveLength(4);
    // tiers of 3 and 3; the top tier's highest value and the bottom tier's lowest are one customer's own
    expect(k2.valueTiers.tiers.map((t: { customers: number; historicValue: number }) => [t.customers, t.historicValue])).toEqual([[3, 210], [0, 0], [3, 62.25]]);
    expect(k2.valueTiers.tiers[0].maxValue).toBeNull();
    expect(k2.valueTiers.tiers[2].minValue).toBeNull();
    // F bands 3 (one-time buyers, F 1), 1 (D, F 4), 2 (A and I, F 5): F 5 is withheld too, or 6 − 3 − 2 would give F 4's one customer
    expect(k2.suppressed).toMatchObject({ minGroupSize: 2, smallGroups: expect.any(Number), complementary: 1 });
    expect(k2.rfm.scoreBands.map((b: { customersF: number | null }) => b.customersF)).toEqual([3, 0, 0, null, null]);
  });

  it('segments prints <k for a withheld group and says what the marks mean', async () => {
    const run = await cli(['segments', SHOP, '--as-of', '2023-06-30']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/RFM segments as of 2023-06-30 \(6 customers\)/);
    expect(run.stdout).toMatch(/^Lost\s+<5\s+—\s+—\s+—$/m);
    expect(run.stdout).toMatch(/^Loyal\s+0\s+0\.0%/m);
    expect(run.stdout).toContain('suppressed (--min-group-size 5): <5 a group of fewer than 5 customers');
  });

  it('lifecycle: stages of 1 are withheld at k = 2, of 2 shown; at k = 5 every non-empty stage is withheld', async () => {
    const args = ['lifecycle', SHOP, '--as-of', '2023-03-31', '--holdout-end', '2023-06-30'];
    const k2 = await json([...args, '--min-group-size', '2']);
    const stage = (name: string) => k2.stages.find((s: { stage: string }) => s.stage === name);
    expect([stage('new').customers, stage('dormant').customers, stage('active').customers, stage('churned').customers]).toEqual([2, 2, null, null]);
    expect(stage('active')).toMatchObject({ suppression: 'small-group', share: null, spend: null });
    const byDefault = await json(args);
    expect(byDefault.stages.filter((s: { customers: number | null }) => s.customers !== null && s.customers > 0)).toEqual([]);
    expect(byDefault.validation.stages.filter((s: { customers: number | null }) => s.customers !== null && s.customers > 0)).toEqual([]);
    expect(byDefault.suppressed.tables).toMatchObject({ stages: 4 });
  });

  it('cohorts: the January cohort of 4 shows at k = 2 with its months of 1 or 3 buyers withheld; nothing shows at k = 5', async () => {
    const k2 = await json(['cohorts', SHOP, '--as-of', '2023-06-30', '--min-group-size', '2']);
    expect(k2.cohorts.map((c: { label: string; customers: number | null }) => [c.label, c.customers])).toEqual([['2023-01', 4], ['2023-02', null], ['2023-03', null]]);
    const january = k2.cohorts[0];
    expect(january.retention[0]).toBe(1);
    expect(january.periodSuppression.slice(0, 4)).toEqual([null, 'small-group', 'small-group', 'small-group']);
    expect(january.activeCustomers.slice(1, 4)).toEqual([null, null, null]);
    const byDefault = await json(['cohorts', SHOP, '--as-of', '2023-06-30']);
    expect(byDefault.cohorts.map((c: { customers: number | null }) => c.customers)).toEqual([null, null, null]);
    const text = await cli(['cohorts', SHOP, '--as-of', '2023-06-30', '--min-group-size', '2']);
    // cohort, customers, revenue and value per customer (withheld: their months of 1 or 3 buyers would show), m0 100%,
    // m1–m3 withheld for their size (periodSuppression small-group: <k, as the legend says since e6de5ae3)
    expect(text.stdout).toMatch(/^2023-01\s+4\s+—\s+—\s+100%\s+<2\s+<2\s+<2/m);
    expect(text.stdout).toMatch(/^2023-02\s+<2\s+—/m);
  });

  it('rejects a group size below 2, and takes the access flags', async () => {
    const bad = await cli(['cohorts', SHOP, '--min-group-size', '1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--min-group-size 1 is not a whole number ≥ 2/);
    const viewer = await cli(['segments', SHOP, '--role', 'viewer', '--actor', 'vic', '--json']);
    expect(viewer.code, viewer.stderr).toBe(0);
    expect((await cli(['lifecycle', SHOP, '--role', 'nobody'])).code).toBe(2);
    for (const command of ['segments', 'lifecycle', 'cohorts', 'rules']) {
      const help = await cli([command, '--help']);
      expect(help.stdout, command).toMatch(/--min-group-size <k>/);
      expect(help.stdout, command).toMatch(/--role <role>/);
      expect(help.stdout, command).toMatch(/--key-file <path>/);
    }
  });
});

describe('rules suppresses rules and groups of few customers', () => {
  it('leaves out rules of fewer than k customers — counted as customers, not baskets', async () => {
    const dir = scratchDir();
    const orders = writeRuleOrders(dir);
    const byDefault = await json(['rules', orders, ...RULE_FLAGS]);
    // P3 ⇒ P4 has 10 baskets but one customer; P5 ⇒ P6 three customers
    expect(ruleNames(byDefault.rules)).toEqual(['P1>P2', 'P2>P1']);
    expect(byDefault.rules.find((r: { antecedentLabels: string[] }) => r.antecedentLabels[0] === 'P1')).toMatchObject({ count: 60 + 60 + 56, customers: 14 });
    expect(byDefault).toMatchObject({ minGroupSize: 5, withheld: 4 });
    const k2 = await json(['rules', orders, ...RULE_FLAGS, '--min-group-size', '2']);
    expect(ruleNames(k2.rules)).toEqual(['P1>P2', 'P2>P1', 'P5>P6', 'P6>P5']);
    expect(k2.withheld).toBe(2);
    const text = await cli(['rules', orders, ...RULE_FLAGS]);
    expect(text.stdout).toContain('(176 baskets, 14 customers)');
    expect(text.stdout).toContain('4 rules bought by fewer than 5 customers left out (--min-group-size)');
  });

  it('--per: a group of one customer shows neither size nor rules; its partner hides its size; the rest shows', async () => {
    const dir = scratchDir();
    const db = join(dir, 'wh.duckdb');
    const ingest = await cli(['ingest', writeRuleOrders(dir), '--db', db]);
    expect(ingest.code, ingest.stderr).toBe(0);
    const warehouse = await openDuckDbWarehouse(db);
    try {
      await warehouse.execute('CREATE TABLE customer_country AS SELECT customer_id, any_value(country) AS country FROM transactions GROUP BY customer_id');
    } finally {
      await warehouse.close();
    }
    const group = (result: { groups: { group: string }[] }, name: string) => result.groups.find((g) => g.group === name) as any;
    const byDefault = await json(['rules', '--db', db, '--per', 'customer_country.country', ...RULE_FLAGS]);
    expect(group(byDefault, 'UK')).toMatchObject({ customers: null, baskets: null, suppression: 'small-group', rules: [] });
    // UK (1) needs a partner: FR (6) is the smallest other group; it keeps P1 ⇔ P2 (6 customers), not P3 ⇔ P4 (1)
    expect(group(byDefault, 'FR')).toMatchObject({ customers: null, baskets: null, suppression: 'complementary', withheld: 2 });
    expect(ruleNames(group(byDefault, 'FR').rules)).toEqual(['P1>P2', 'P2>P1']);
    // DE (7 customers, 59 baskets): P5 ⇔ P6 rests on 3
    expect(group(byDefault, 'DE')).toMatchObject({ customers: 7, baskets: 59, suppression: null, withheld: 2 });
    const k2 = await json(['rules', '--db', db, '--per', 'customer_country.country', ...RULE_FLAGS, '--min-group-size', '2']);
    expect(group(k2, 'UK').suppression).toBe('small-group'); // 1 < 2
    expect(ruleNames(group(k2, 'DE').rules)).toEqual(['P1>P2', 'P2>P1', 'P5>P6', 'P6>P5']);
    const text = await cli(['rules', '--db', db, '--per', 'customer_country.country', ...RULE_FLAGS]);
    expect(text.stdout).toContain('== UK: fewer than 5 customers (size suppressed)\nrules of a group of fewer than 5 customers are not shown (--min-group-size)');
    expect(text.stdout).toContain('== DE: 7 customers, 59 baskets');
  });

  it('--per a table with two groups for a customer is refused in one line (the row read last decided the group)', async () => {
    const dir = scratchDir();
    const db = join(dir, 'wh.duckdb');
    expect((await cli(['ingest', writeRuleOrders(dir), '--db', db])).code).toBe(0);
    const warehouse = await openDuckDbWarehouse(db);
    try {
      // every country a customer bought from, and the customer's single one again (a repeated group is no conflict)
      await warehouse.execute("CREATE TABLE customer_countries AS SELECT DISTINCT customer_id, country FROM transactions UNION ALL SELECT customer_id, 'XX' FROM transactions WHERE customer_id = (SELECT min(customer_id) FROM transactions)");
      await warehouse.execute('CREATE TABLE customer_country AS SELECT customer_id, any_value(country) AS country FROM transactions GROUP BY customer_id');
      await warehouse.execute('INSERT INTO customer_country SELECT * FROM customer_country');
    } finally {
      await warehouse.close();
    }
    const refused = await cli(['rules', '--db', db, '--per', 'customer_countries.country', ...RULE_FLAGS]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^clvkit: error: --per customer_countries\.country: customers have more than one country in customer_countries \(e\.g\. \w+ and \w+\) \(hint: name a table with one row per customer, e\.g\. --per customer_segments\.segment\)\n$/);
    expect((await cli(['rules', '--db', db, '--per', 'customer_country.country', ...RULE_FLAGS])).code).toBe(0);
  });
});
