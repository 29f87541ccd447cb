/**
 * RFM's recency score is a quintile: on a shop of steady buyers its lowest two quintiles ("At risk", "Lost",
 * "Hibernating", "Can't lose them") still hold customers who bought within their usual gap. A QA pass: on a synthetic
 * shop of monthly buyers 30 "Lost" and 41 "At risk" customers were stage `active` with P(alive) 1.0 and the next order
 * due within 5 weeks, while the report advised "revive interest … otherwise ignore" — and nothing said so.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/pipeline/analyze.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { lapsedByRfmButActiveWarning, queryLapsedByRfmButActive } from '../../src/pipeline/stages/lapsed-rfm-but-active.js';
import { scratchDir, withMemoryWarehouse } from '../helpers/warehouse.js';

type Row = readonly [id: string, rScore: number, segment: string, stage: string];

async function warningOn(rows: readonly Row[], minGroupSize = 10): Promise<string | null> {
  return withMemoryWarehouse(async (warehouse) => {
    await warehouse.execute('CREATE TABLE customer_rfm (customer_id VARCHAR, r_score BIGINT, segment VARCHAR)');
    await warehouse.execute('CREATE TABLE customer_stages (customer_id VARCHAR, stage VARCHAR)');
    await warehouse.append('customer_rfm', { customer_id: rows.map((r) => r[0]), r_score: rows.map((r) => r[1]), segment: rows.map((r) => r[2]) });
    await warehouse.append('customer_stages', { customer_id: rows.map((r) => r[0]), stage: rows.map((r) => r[3]) });
    return lapsedByRfmButActiveWarning(await queryLapsedByRfmButActive(warehouse), minGroupSize);
  });
}

const many = (n: number, prefix: string, rScore: number, segment: string, stage: string): Row[] => Array.from({ length: n }, (_, i) => [`${prefix}${i}`, rScore, segment, stage] as const);

describe('customers RFM ranks as long gone whom the lifecycle stages call active', () => {
  it('are named in one line when they are a tenth or more of the low-recency segments', async () => {
    const rows = [...many(30, 'l', 1, 'Lost', 'active'), ...many(41, 'r', 2, 'At risk', 'active'), ...many(29, 'd', 1, 'Lost', 'churned'), ...many(100, 'c', 5, 'Champions', 'active')];
    expect(await warningOn(rows)).toBe(
      '71 of the 100 customers in the low-recency RFM segments (recency score 1–2: At risk, Lost) are active by their own purchase rhythm (stage active: not overdue on their usual gap): RFM scores recency against the other customers (quintiles), not against each customer\'s gap; choose win-back audiences by stage or p_alive, not by these segment names',
    );
  });

  it('says nothing when few of them are active, or when they are fewer than the smallest group shown', async () => {
    const few = [...many(5, 'l', 1, 'Lost', 'active'), ...many(95, 'd', 1, 'Lost', 'churned')];
    expect(await warningOn(few)).toBeNull();
    const small = [...many(6, 'l', 1, 'Lost', 'active'), ...many(2, 'd', 2, 'Hibernating', 'dormant')];
    expect(await warningOn(small, 10)).toBeNull();
  });
});

describe('analyze on a shop of steady monthly buyers (250 customers, seed 99)', () => {
  it('says that customers in the long-gone RFM segments are active', async () => {
    const dir = scratchDir('clvkit-lapsed-rfm-');
    await generateShop({ outDir: dir, customers: 250, seed: 99, shape: 'regular', products: 10, dirtRate: 0, days: 200, events: false });
    const run = await analyze({ files: [join(dir, 'transactions.csv')], db: ':memory:', outDir: join(dir, 'out'), skipChurn: true, regularityCheck: false, skipPatterns: true, skipReport: true });
    const said = run.warnings.filter((w) => w.includes('low-recency RFM segments'));
    expect(said).toHaveLength(1);
    // the counts in the line are those of the run's tables
    const [, active, lapsed] = /^([\d,]+) of the ([\d,]+) customers/.exec(said[0]!)!;
    expect(Number(active!.replace(/,/g, ''))).toBeGreaterThanOrEqual(0.1 * Number(lapsed!.replace(/,/g, '')));
    expect(Number(lapsed!.replace(/,/g, ''))).toBeGreaterThan(0);
  }, 120_000);
});
