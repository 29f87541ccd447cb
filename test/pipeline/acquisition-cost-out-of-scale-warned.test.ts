/**
 * A user trial (session 40): a customer profile with an acquisition cost of 1e9 — on a shop whose customers spend tens
 * — went into the mean acquisition cost, simple CLV and CLV:CAC without a word. analyze now warns in one line when a
 * cost exceeds 100 times the largest value any customer has (spent to date, or predicted over 12 months), counting the
 * profiles (below k: "fewer than k") and never printing one customer's cost.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COST_SCALE_FACTOR, outOfScaleCostWarning } from '../../src/pipeline/stages/acquisition-cost-out-of-scale.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

/** 40 customers with 1–3 orders of 10–50 in 2023; their profiles with an acquisition cost of 12.5, but `absurd` of 1e9. */
function shop(dir: string, absurd: number): string[] {
  const orders = ['order_id,customer_id,date,amount'];
  const profiles = ['customer_id,signup_date,acquisition_channel,acquisition_cost'];
  for (let c = 1; c <= 40; c++) {
    for (let k = 0; k <= c % 3; k++) orders.push(`O${c}-${k},C${c},2023-${String(1 + ((c + 4 * k) % 12)).padStart(2, '0')}-${String(1 + (c % 27)).padStart(2, '0')},${10 + c}`);
    profiles.push(`C${c},2022-12-01,email,${c <= absurd ? '1000000000' : '12.5'}`);
  }
  writeFileSync(join(dir, 'orders.csv'), orders.join('\n') + '\n');
  writeFileSync(join(dir, 'customers.csv'), profiles.join('\n') + '\n');
  return [join(dir, 'orders.csv'), '--customers', join(dir, 'customers.csv')];
}

const warnings = async (absurd: number): Promise<string[]> => {
  const dir = scratchDir();
  const run = await cli(['analyze', ...shop(dir, absurd), '--db', join(dir, 'w.duckdb'), '--out', join(dir, 'out'), '--skip-models', '--skip-patterns', '--skip-report', '--json']);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { warnings: string[] }).warnings;
};

describe('an acquisition cost out of scale with every customer value is warned about', () => {
  it('the words: counted at k or more, "fewer than k" below, the mean only over k or more costs', () => {
    expect(COST_SCALE_FACTOR).toBe(100);
    expect(outOfScaleCostWarning({ costed: 300, outOfScale: 1, meanCost: 3_333_345.5 }, 5)).toBe(
      "acquisition_cost of fewer than 5 of the 300 customer profiles with one is more than 100 times the largest value any customer has (spent to date or predicted over 12 months): the mean acquisition cost (3,333,345.5), simple CLV and CLV:CAC rest on it — a cost in cents, a misplaced decimal separator or a typo? check the profiles' acquisition_cost column",
    );
    expect(outOfScaleCostWarning({ costed: 4, outOfScale: 4, meanCost: 1e9 }, 5)).toMatch(/^acquisition_cost of fewer than 5 of the 4 customer profiles with one .*: the mean acquisition cost, simple CLV/);
    expect(outOfScaleCostWarning({ costed: 300, outOfScale: 0, meanCost: 12.5 }, 5)).toBeNull();
    expect(outOfScaleCostWarning(null, 5)).toBeNull();
  });

  it('analyze warns about one cost of 1e9 among 40 customers spending tens, and says nothing of ordinary costs', async () => {
    const one = await warnings(1);
    expect(one.filter((w) => w.startsWith('acquisition_cost of'))).toEqual([
      "acquisition_cost of fewer than 5 of the 40 customer profiles with one is more than 100 times the largest value any customer has (spent to date or predicted over 12 months): the mean acquisition cost (25,000,012.19), simple CLV and CLV:CAC rest on it — a cost in cents, a misplaced decimal separator or a typo? check the profiles' acquisition_cost column",
    ]);
    expect((await warnings(0)).filter((w) => w.includes('acquisition_cost'))).toEqual([]);
  }, 120_000);
});
