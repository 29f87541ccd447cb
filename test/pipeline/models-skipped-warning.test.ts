/**
 * The warning of a run whose value models were skipped writes its counts as every other line of the run does: with
 * thousands separators ('value models skipped: 2000 customers' read unlike the '2,000 customers' beside it).
 */
import { describe, expect, it } from 'vitest';
import type { HeadlineStats } from '../../src/features/headline-stats.js';
import { modelsSkippedWarning } from '../../src/pipeline/stages/value-stage.js';

const headline = (customers: number, repeatCustomers: number): HeadlineStats => ({
  customers, repeatCustomers, repeatRate: repeatCustomers / customers, returnOnlyCustomers: 0, orders: customers, netRevenue: null, returnsValue: null,
  averageOrderValue: null, meanPurchaseOccasions: 1, firstPurchase: '2023-01-01', lastPurchase: '2023-12-31', top20RevenueShare: null,
});

describe('modelsSkippedWarning', () => {
  it('writes the counts with thousands separators', () => {
    expect(modelsSkippedWarning(headline(2000, 3))).toMatch(/^value models skipped: 2,000 customers, 3 with repeat purchases; the models need at least \d+ and \d+$/);
    expect(modelsSkippedWarning(headline(12_345, 7))).toMatch(/^value models skipped: 12,345 customers, 7 with repeat purchases/);
  });
});
