import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { captureIo } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/warehouse.js';

const SHOP = `${FIXTURES}shop/tiny-shop.csv`;

describe('clvkit rules, sequences, recommend', () => {
  it('rules --json on the tiny shop: every basket holds one product, so there is no rule', async () => {
    const c = captureIo();
    expect(await runCli(['rules', SHOP, '--min-support', '0.05', '--min-confidence', '0.1', '--json'], c.io), c.stderr()).toBe(0);
    const result = JSON.parse(c.stdout());
    expect(result).toMatchObject({ level: 'product', baskets: 12, items: 5 });
    expect(result.rules).toEqual([]);
  });

  it('sequences --json finds that customers who bought P1 buy P2 later', async () => {
    const c = captureIo();
    expect(await runCli(['sequences', SHOP, '--min-support', '0.3', '--json', '--min-group-size', '2'], c.io), c.stderr()).toBe(0);
    const result = JSON.parse(c.stdout());
    expect(result.customers).toBe(5);
    // A: P1 → P2 → P1; I: P1 → P2 → P3 → P1: 2 of 5 customers
    const rule = result.rules.find((r: { after: string[][]; next: string[] }) => r.after[0][0] === 'P1' && r.next[0] === 'P2');
    expect(rule).toMatchObject({ count: 2, support: 0.4 });
    // by default no pattern of fewer than 5 customers is shown
    const d = captureIo();
    expect(await runCli(['sequences', SHOP, '--min-support', '0.3', '--json'], d.io)).toBe(0);
    expect(JSON.parse(d.stdout())).toMatchObject({ rules: [], withheld: result.rules.length });
  });

  it('recommend --customer prints that customer’s list; unknown customers and missing flags exit 2', async () => {
    const c = captureIo();
    expect(await runCli(['recommend', SHOP, '--customer', 'B', '--top', '3'], c.io), c.stderr()).toBe(0);
    const lines = c.stdout().trim().split('\n');
    expect(lines[0]).toBe('customer_id,rank,product_id,description,score,source');
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(['B', 'B', 'B']);
    expect(lines.slice(1).some((line) => line.includes(',P3,'))).toBe(false); // B already bought P3, not a repeat item
    const d = captureIo();
    expect(await runCli(['recommend', SHOP, '--customer', 'nobody'], d.io)).toBe(2);
    expect(d.stderr()).toMatch(/no customer nobody/);
    const e = captureIo();
    expect(await runCli(['recommend', SHOP], e.io)).toBe(2);
    expect(e.stderr()).toMatch(/--customer ID or --all/);
  });
});

describe('clvkit segments, lifecycle, cohorts', () => {
  it('lifecycle --json with a holdout gives every stage its repurchase rate', async () => {
    const c = captureIo();
    // k = 2, the smallest allowed: with the default 5 every stage of this 6-customer shop is suppressed
    expect(await runCli(['lifecycle', SHOP, '--as-of', '2023-03-31', '--holdout-end', '2023-06-30', '--json', '--min-group-size', '2'], c.io), c.stderr()).toBe(0);
    const result = JSON.parse(c.stdout());
    expect(result.asOf).toBe('2023-03-31');
    const total = result.stages.reduce((sum: number, s: { customers: number | null }) => sum + (s.customers ?? 0), 0);
    // A, B, C, D, G, I bought before 2023-03-31: 4 in stages of 2, 2 alone in their stage (suppressed: 1 < k)
    expect(total).toBe(4);
    expect(result.stages.filter((s: { suppression: string | null }) => s.suppression === 'small-group')).toHaveLength(2);
    expect(result.validation.stages.length).toBeGreaterThan(0);
  });

  it('segments and cohorts print tables', async () => {
    const s = captureIo();
    expect(await runCli(['segments', SHOP, '--as-of', '2023-06-30'], s.io), s.stderr()).toBe(0);
    expect(s.stdout()).toMatch(/RFM segments as of 2023-06-30 \(6 customers\)/);
    const c = captureIo();
    expect(await runCli(['cohorts', SHOP, '--as-of', '2023-06-30', '--json', '--min-group-size', '2'], c.io), c.stderr()).toBe(0); // the 2023-01 cohort has 4 customers
    expect(JSON.parse(c.stdout()).cohorts[0].retention[0]).toBe(1);
  });
});
