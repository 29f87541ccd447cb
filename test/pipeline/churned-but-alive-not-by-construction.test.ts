/**
 * The "choose them by p_alive, not by stage" warning counted customers whose P(alive) is 1 by the model's construction
 * as evidence that the staged-churned are alive. Regression (QA pass): on Online Retail 618 of the 622 churned with
 * P(alive) ≥ 0.9 were BG/NBD one-time buyers (x = 0, P(alive) exactly 1 whatever their silence), and with
 * --as-of 2011-09-30 the chosen model had no dropout (P(alive) ≡ 1), yet the warning read "441 of 441 … choose them
 * by p_alive" while the run's own 1 − P(alive) AUC was 0.500.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type RunSummary } from '../../src/pipeline/analyze.js';
import { churnedButAliveAdvice, queryChurnedAliveCounts } from '../../src/pipeline/stages/lifecycle-stage.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { scratchDir, withMemoryWarehouse } from '../helpers/warehouse.js';

describe('analyze with BG/NBD on a shop of one-time buyers silent for over a year (1,500 customers, seed 11)', () => {
  let run: RunSummary;
  beforeAll(async () => {
    const dir = scratchDir('clvkit-churned-alive-');
    await generateShop({ outDir: dir, customers: 1500, seed: 11, events: false });
    run = await analyze({ files: [join(dir, 'transactions.csv')], db: ':memory:', outDir: join(dir, 'out'), model: 'bgnbd', skipChurn: true, skipPatterns: true, skipReport: true });
  }, 240_000);

  it('does not tell the user to choose the churned by p_alive, and says in one line why P(alive) cannot rank them', () => {
    // before: "732 of the 1,046 customers staged churned … are alive by the value model (P(alive) ≥ 0.9) …; choose them by p_alive, not by stage, …"
    expect(run.warnings.filter((w) => w.includes('by p_alive'))).toEqual([]);
    expect(run.warnings.filter((w) => w.startsWith('P(alive) cannot rank'))).toEqual([
      'P(alive) cannot rank the 1,046 customers staged churned: 732 of them have P(alive) = 1 by the model’s construction, not by their purchases (732 one-time buyers: BG/NBD gives every one-time buyer P(alive) = 1, however long their silence); p_alive does not tell which of them still buy',
    ]);
  });
});

type Row = readonly [id: string, stage: string, pAlive: number | null, frequency: number];

async function adviceOn(rows: readonly Row[], minGroupSize = 10, pAliveRanks?: { auc: number; aucInterval: readonly [number, number] }): Promise<string | null> {
  return withMemoryWarehouse(async (warehouse) => {
    await warehouse.execute('CREATE TABLE customer_summary (customer_id VARCHAR, frequency DOUBLE)');
    await warehouse.execute('CREATE TABLE customer_stages (customer_id VARCHAR, stage VARCHAR, p_alive DOUBLE)');
    await warehouse.append('customer_summary', { customer_id: rows.map((r) => r[0]), frequency: Float64Array.from(rows, (r) => r[3]) });
    await warehouse.append('customer_stages', { customer_id: rows.map((r) => r[0]), stage: rows.map((r) => r[1]), p_alive: rows.map((r) => r[2]) });
    return churnedButAliveAdvice(await queryChurnedAliveCounts(warehouse), minGroupSize, pAliveRanks);
  });
}

const many = (n: number, prefix: string, stage: string, pAlive: number | null, frequency: number): Row[] => Array.from({ length: n }, (_, i) => [`${prefix}${i}`, stage, pAlive, frequency] as const);

describe('churnedButAliveAdvice on the counts of customer_stages', () => {
  it('a model without dropout (P(alive) ≡ 1): no advice to use p_alive, and says P(alive) is 1 for everyone', async () => {
    const rows = [...many(441, 'c', 'churned', 1, 2), ...many(300, 'a', 'active', 1, 5)];
    expect(await adviceOn(rows)).toBe('P(alive) cannot rank the 441 customers staged churned: the value model has no dropout on this data, so P(alive) is 1 for every customer; p_alive does not tell which of them still buy');
  });

  it('counts the churned whose P(alive) the data put at 0.9 or more, not those at 1 by construction', async () => {
    // 40 repeat buyers at 0.95 of 100 churned: the advice stands, on those 40 alone
    const rows = [...many(40, 'r', 'churned', 0.95, 3), ...many(30, 'o', 'churned', 1, 0), ...many(30, 'd', 'churned', 0.1, 2), ...many(50, 'a', 'active', 0.99, 4)];
    expect(await adviceOn(rows)).toBe(
      '40 of the 100 customers staged churned (no purchase for more than 365 days, or far past their usual gap) are alive by the value model (P(alive) ≥ 0.9): slow buyers whom the stage rules call churned; choose them by p_alive, not by stage, before a win-back or last offer',
    );
  });

  it("gives no advice to use p_alive when the run's own validation found 1 − P(alive) ranking churners no better than chance", async () => {
    // Online Retail, whole data: BG/NBD with almost no dropout (a = 0.003, b = 7.3); 140 repeat buyers at 0.94–0.997
    // were still "evidence", while the run's 1 − P(alive) AUC was 0.500 — of the calibration-window fit (the NBD
    // limit, p_alive 1), not of the refit whose p_alive was published: the warning says which fit it validated
    const rows = [...many(40, 'r', 'churned', 0.95, 3), ...many(30, 'o', 'churned', 1, 0), ...many(30, 'd', 'churned', 0.1, 2), ...many(50, 'a', 'active', 0.99, 4)];
    expect(await adviceOn(rows, 10, { auc: 0.5, aucInterval: [0.47, 0.53] })).toBe(
      'P(alive) cannot rank the 100 customers staged churned: in this run\'s validation 1 − P(alive) was not shown to rank churners better than chance (AUC 0.500 [0.470, 0.530]; of the model fitted up to the calibration end, not of the refit on all data whose p_alive customers.csv carries); p_alive does not tell which of them still buy',
    );
    // a validation where it ranks: the advice stands
    expect(await adviceOn(rows, 10, { auc: 0.71, aucInterval: [0.66, 0.75] })).toMatch(/^40 of the 100 customers staged churned .*choose them by p_alive/);
    // no AUC (nobody churned in the validation window): no evidence either way, the advice stands
    expect(await adviceOn(rows, 10, { auc: NaN, aucInterval: [NaN, NaN] })).toMatch(/^40 of the 100 customers staged churned .*choose them by p_alive/);
  });

  it('says nothing when neither count reaches a tenth of the churned', async () => {
    const rows = [...many(5, 'o', 'churned', 1, 0), ...many(95, 'd', 'churned', 0.2, 1), ...many(20, 'p', 'prospect', null, 0)];
    expect(await adviceOn(rows)).toBeNull();
  });
});
