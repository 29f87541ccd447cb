import { describe, expect, it } from 'vitest';
import type { Cohorts } from '../../src/features/cohorts.js';
import { publishCohorts } from '../../src/features/publish-cohorts.js';
import { SuppressionTally } from '../../src/privacy/disclosure/suppress-rows.js';

const S = 'small-group';
const C = 'complementary';

describe('publishCohorts', () => {
  const cohorts: Cohorts = {
    asOf: '2024-05-31',
    period: 'month',
    lastPeriodPartial: false,
    cohorts: [
      // 40 customers: month 2 has 3 buyers, month 3 all but 2, month 4 only returns (−20)
      { label: '2024-01', start: '2024-01-01', customers: 40, retention: [1, 0.3, 0.075, 0.95, 0], activeCustomers: [40, 12, 3, 38, 0], revenue: [400, 120, 30, 380, -20], cumulativeValuePerCustomer: [10, 13, 13.75, 23.25, 22.75] },
      { label: '2024-02', start: '2024-02-01', customers: 3, retention: [1, 0, 0, 0, null], activeCustomers: [3, 0, 0, 0, null], revenue: [30, 0, 0, 0, null], cumulativeValuePerCustomer: [10, 10, 10, 10, null] },
      { label: '2024-03', start: '2024-03-01', customers: 12, retention: [1, 0.5, 0.5, null, null], activeCustomers: [12, 6, 6, null, null], revenue: [120, 60, 60, null, null], cumulativeValuePerCustomer: [10, 15, 20, null, null] },
    ],
    tenure: {
      referenceDay: '2024-03-02',
      windowDays: 90,
      buckets: [
        { label: '0–89 days', minDays: 0, maxDays: 90, customers: 50, spendPerCustomer: 2, repurchaseRate: 0.06, churnRate: 0.94 },
        { label: '90–179 days', minDays: 90, maxDays: 180, customers: 30, spendPerCustomer: 40, repurchaseRate: 0.9, churnRate: 0.1 },
        { label: '180–364 days', minDays: 180, maxDays: 365, customers: 4, spendPerCustomer: 10, repurchaseRate: 0.5, churnRate: 0.5 },
        { label: '365+ days', minDays: 365, maxDays: null, customers: 20, spendPerCustomer: 30, repurchaseRate: 0.5, churnRate: 0.5 },
      ],
    },
  };

  it('a cohort of 3 is withheld with the smallest other cohort; months with few buyers or few non-buyers lose their numbers', () => {
    const tally = new SuppressionTally(5);
    const out = publishCohorts(cohorts, 5, tally);
    expect(out.cohorts.map((c) => [c.customers, c.suppression])).toEqual([[40, null], [null, S], [null, C]]);
    expect(out.cohorts[2]!.retention).toEqual([null, null, null, null, null]);
    const c = out.cohorts[0]!;
    expect(c.activeCustomers).toEqual([40, 12, null, null, 0]);
    expect(c.retention).toEqual([1, 0.3, null, null, 0]);
    // 3 buyers: their revenue goes; 38 buyers keep theirs; returns without a buyer go
    expect(c.revenue).toEqual([400, 120, null, 380, null]);
    // differences of the cumulative value give a month's revenue: null from the first withheld one
    expect(c.cumulativeValuePerCustomer).toEqual([10, 13, null, null, null]);
    expect(c.periodSuppression).toEqual([null, null, S, S, S]);
    expect(tally.summary()).toMatchObject({ smallGroups: 2, complementary: 2, tables: { 'segments.cohorts.cohorts': 2, 'segments.cohorts.tenure.buckets': 2 } });
  });

  it('tenure buckets: a bucket of 4 and a partner go; 3 buyers hide rates and spend, 3 non-buyers the rates', () => {
    const out = publishCohorts(cohorts, 5);
    expect(out.tenure.buckets.map((b) => [b.customers, b.suppression])).toEqual([[50, null], [30, null], [null, S], [null, C]]);
    expect(out.tenure.buckets[0]).toMatchObject({ repurchaseRate: null, churnRate: null, spendPerCustomer: null, withheld: ['repurchaseRate', 'churnRate', 'spendPerCustomer'] });
    expect(out.tenure.buckets[1]).toMatchObject({ repurchaseRate: null, churnRate: null, spendPerCustomer: 40, withheld: ['repurchaseRate', 'churnRate'] });
  });
});
