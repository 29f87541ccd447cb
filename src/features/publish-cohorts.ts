import type { Cohort, Cohorts, TenureBucket } from './cohorts.js';
import type { Suppression } from '../privacy/disclosure/suppress-linked-cells.js';
import { belowK } from '../privacy/disclosure/below-k.js';
import { impliedCount, isSmallPart, suppressRows, type PublishedRow, type SuppressionTally, type Withheld } from '../privacy/disclosure/suppress-rows.js';

export const COHORT_MEASURES = ['retention', 'activeCustomers', 'revenue', 'cumulativeValuePerCustomer'] as const;
export const TENURE_MEASURES = ['spendPerCustomer', 'repurchaseRate', 'churnRate'] as const;

/** A cohort as published: `periodSuppression[j]` says why month j's active customers, retention and revenue are null in a shown cohort. */
export type PublishedCohort = PublishedRow<Cohort, 'customers' | (typeof COHORT_MEASURES)[number]> & { readonly periodSuppression: readonly Suppression[] };

/** A tenure bucket as published; `withheld` names the numbers of a shown bucket withheld because they describe fewer than k customers. */
export type PublishedTenureBucket = Withheld<TenureBucket, 'customers' | (typeof TENURE_MEASURES)[number]> & { readonly suppression: Suppression; readonly withheld: readonly string[] };

export type PublishedCohorts = Omit<Cohorts, 'cohorts' | 'tenure'> & {
  readonly cohorts: readonly PublishedCohort[];
  readonly tenure: Omit<Cohorts['tenure'], 'buckets'> & { readonly buckets: readonly PublishedTenureBucket[] };
};

/**
 * Suppress acquisition cohorts and tenure buckets.
 *
 * - A cohort of fewer than k customers shows no size and no monthly number
 *   (complementary: the cohorts add up to all customers).
 * - In a shown cohort, a month whose active customers are 1…k−1 (or all but
 *   1…k−1 of the cohort) has active customers and retention withheld, and
 *   when the buyers are few, also the month's revenue; revenue in a month
 *   with no buyer (returns only) is withheld too. Since differences of the
 *   cumulative value per customer give the month's revenue,
 *   `cumulativeValuePerCustomer` is null from the first withheld revenue on.
 * - A tenure bucket of fewer than k customers shows nothing (complementary);
 *   in a shown bucket, when fewer than k bought again in the window (or
 *   fewer than k did not), repurchase and churn rate are withheld, and with
 *   few buyers the spend per customer (theirs) too.
 */
export function publishCohorts(cohorts: Cohorts, minGroupSize: number, tally?: SuppressionTally): PublishedCohorts {
  const k = minGroupSize;
  const rows = suppressRows(cohorts.cohorts, { count: 'customers', measures: COHORT_MEASURES, minGroupSize: k, ...(tally ? { tally: { tally, table: 'segments.cohorts.cohorts' } } : {}) });
  let values = 0;
  const published = rows.map((row): PublishedCohort => {
    const periodSuppression: Suppression[] = row.retention.map(() => null);
    if (row.suppression !== null) return { ...row, periodSuppression };
    const active = [...row.activeCustomers];
    const retention = [...row.retention];
    const revenue = [...row.revenue];
    const cumulative = [...row.cumulativeValuePerCustomer];
    let revenueWithheld = false;
    for (let j = 0; j < active.length; j++) {
      const buyers = active[j];
      if (buyers === null || buyers === undefined) continue;
      if (isSmallPart(buyers, row.customers, k)) {
        active[j] = null;
        retention[j] = null;
        periodSuppression[j] = 'small-group';
        values += 2;
      }
      if (belowK(buyers, k) || (buyers === 0 && revenue[j] !== null && revenue[j] !== 0)) {
        revenue[j] = null;
        periodSuppression[j] = 'small-group';
        values++;
        revenueWithheld = true;
      }
      if (revenueWithheld && cumulative[j] !== null) {
        cumulative[j] = null;
        values++;
      }
    }
    return { ...row, activeCustomers: active, retention, revenue, cumulativeValuePerCustomer: cumulative, periodSuppression };
  });

  const bucketRows = suppressRows(cohorts.tenure.buckets, { count: 'customers', measures: TENURE_MEASURES, minGroupSize: k, ...(tally ? { tally: { tally, table: 'segments.cohorts.tenure.buckets' } } : {}) });
  const buckets = bucketRows.map((b): PublishedTenureBucket => {
    if (b.suppression !== null) return { ...b, withheld: [] };
    const buyers = impliedCount(b.repurchaseRate, b.customers);
    const withheld: string[] = [];
    if (isSmallPart(buyers, b.customers, k)) withheld.push('repurchaseRate', 'churnRate');
    if (buyers !== null && (belowK(buyers, k) || (buyers === 0 && b.spendPerCustomer !== 0 && b.spendPerCustomer !== null))) withheld.push('spendPerCustomer');
    values += withheld.length;
    return { ...b, ...Object.fromEntries(withheld.map((field) => [field, null])), withheld };
  });
  tally?.values('segments.cohorts', values);
  return { ...cohorts, cohorts: published, tenure: { ...cohorts.tenure, buckets } };
}
