/**
 * RFM's frequency score is a quintile too: on a shop where everybody buys often, the recent customers with the fewest
 * purchases score F = 1 and land in "New" and "Promising" (recency score 4–5, FM 1) although they have bought for
 * years. A QA pass: on a synthetic shop of regular buyers all 58 "New" customers had 20–21 orders and had first bought
 * 22 months before, the report advised "onboarding; make the second purchase easy", the lifecycle stage `new` held
 * nobody — and nothing said the segment names misled (the low-recency segments had such a line already).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/pipeline/analyze.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { newByRfmButEstablishedWarning, queryNewByRfmButEstablished } from '../../src/pipeline/stages/new-rfm-but-established.js';
import { scratchDir, withMemoryWarehouse } from '../helpers/warehouse.js';

type Row = readonly [id: string, rScore: number, fmScore: number, segment: string, frequency: number, stage: string];

async function warningOn(rows: readonly Row[], minGroupSize = 10): Promise<string | null> {
  return withMemoryWarehouse(async (warehouse) => {
    await warehouse.execute('CREATE TABLE customer_rfm (customer_id VARCHAR, r_score BIGINT, fm_score BIGINT, segment VARCHAR, frequency BIGINT)');
    await warehouse.execute('CREATE TABLE customer_stages (customer_id VARCHAR, stage VARCHAR)');
    await warehouse.append('customer_rfm', { customer_id: rows.map((r) => r[0]), r_score: rows.map((r) => r[1]), fm_score: rows.map((r) => r[2]), segment: rows.map((r) => r[3]), frequency: rows.map((r) => r[4]) });
    await warehouse.append('customer_stages', { customer_id: rows.map((r) => r[0]), stage: rows.map((r) => r[5]) });
    return newByRfmButEstablishedWarning(await queryNewByRfmButEstablished(warehouse), minGroupSize);
  });
}

const many = (n: number, prefix: string, rScore: number, fmScore: number, segment: string, frequency: number, stage: string): Row[] =>
  Array.from({ length: n }, (_, i) => [`${prefix}${i}`, rScore, fmScore, segment, frequency + (i % 2), stage] as const);

describe('customers RFM names new whom the lifecycle stages do not call new', () => {
  it('are named in one line, with the fewest purchases among them, when they are a tenth or more of those segments', async () => {
    const rows = [...many(40, 'n', 5, 1, 'New', 20, 'active'), ...many(18, 'p', 4, 1, 'Promising', 21, 'reactivated'), ...many(5, 'f', 5, 1, 'New', 0, 'new'), ...many(100, 'c', 5, 5, 'Champions', 30, 'active')];
    expect(await warningOn(rows)).toBe(
      "58 of the 63 customers in the recent low-frequency RFM segments (recency score 4–5, FM score 1: New, Promising) are not new by the lifecycle stages (active, reactivated; 20 or more purchases each): RFM scores frequency against the other customers (quintiles), so these segments hold this shop's least frequent recent buyers, not its newcomers; choose onboarding audiences by stage new, not by these segment names",
    );
  });

  it('says nothing when most of them are new, or when they are fewer than the smallest group shown', async () => {
    const mostlyNew = [...many(5, 'n', 5, 1, 'New', 2, 'active'), ...many(95, 'f', 5, 1, 'New', 0, 'new')];
    expect(await warningOn(mostlyNew)).toBeNull();
    expect(await warningOn(many(8, 'n', 5, 1, 'New', 20, 'active'), 10)).toBeNull();
  });
});

describe('analyze on a shop of regular buyers (300 customers, seed 3)', () => {
  it('says that the customers in the New and Promising segments are not new', async () => {
    const dir = scratchDir('clvkit-new-rfm-');
    await generateShop({ outDir: dir, customers: 300, seed: 3, events: false, shape: 'regular' });
    const run = await analyze({ files: [join(dir, 'transactions.csv')], db: ':memory:', outDir: join(dir, 'out'), skipChurn: true, skipPatterns: true, skipReport: true, regularityCheck: false });
    const said = run.warnings.filter((w) => w.includes('recent low-frequency RFM segments'));
    expect(said).toHaveLength(1);
    const [, established, all] = /^([\d,]+) of the ([\d,]+) customers/.exec(said[0]!)!;
    expect(Number(established)).toBeGreaterThanOrEqual(0.1 * Number(all));
    expect(said[0]).toMatch(/; (\d+) or more purchases each\)/);
  }, 120_000);
});
