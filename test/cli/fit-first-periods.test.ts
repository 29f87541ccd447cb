import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { captureIo } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/warehouse.js';

describe('clvkit fit --model bgbb --first-periods N', () => {
  it("prints Hardie's in-sample fit table on the donations (3454.9 donors with 0 and 1253.1 with 6 repeat donations in 6 years)", async () => {
    const c = captureIo();
    expect(await runCli(['fit', `${FIXTURES}donations/donations.csv`, '--model', 'bgbb', '--first-periods', '6', '--json'], c.io), c.stderr()).toBe(0);
    const { firstPeriods } = JSON.parse(c.stdout());
    expect(firstPeriods.periods).toBe(6);
    expect(firstPeriods.customers).toBe(11_104);
    expect(firstPeriods.byTransactions.map((r: { transactions: number }) => r.transactions)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(Math.abs(firstPeriods.byTransactions[0].expectedCustomers - 3454.9)).toBeLessThan(0.15);
    expect(Math.abs(firstPeriods.byTransactions[6].expectedCustomers - 1253.1)).toBeLessThan(0.15);
    expect(firstPeriods.byPeriod).toHaveLength(6);
    expect(firstPeriods.byPeriod[5].period).toBe(6);
    // the mean of the count distribution is E[X(6)]
    const mean = firstPeriods.byTransactions.reduce((sum: number, r: { transactions: number; probability: number }) => sum + r.transactions * r.probability, 0);
    expect(Math.abs(mean - firstPeriods.byPeriod[5].expectedTransactions)).toBeLessThan(1e-9);
  });

  it('prints the table as text too', async () => {
    const c = captureIo();
    expect(await runCli(['fit', `${FIXTURES}donations/donations.csv`, '--model', 'bgbb', '--first-periods', '6'], c.io), c.stderr()).toBe(0);
    expect(c.stdout()).toContain('first 6 opportunities, 11,104 customers');
    expect(c.stdout()).toMatch(/\n\s+0\s+3454\.9\s/);
  });

  it('refuses --first-periods with another model or a bad N, with exit 2 and one line', async () => {
    for (const args of [['--model', 'bgnbd', '--first-periods', '6'], ['--model', 'bgbb', '--first-periods', '0'], ['--model', 'bgbb', '--first-periods', 'six']]) {
      const c = captureIo();
      expect(await runCli(['fit', `${FIXTURES}donations/donations.csv`, ...args], c.io)).toBe(2);
      expect(c.stderr().trim().split('\n')).toHaveLength(1);
      expect(c.stderr()).toContain('--first-periods');
    }
  });
});
