import type { KpiRow } from './kpis.js';
import type { Suppression } from '../privacy/disclosure/suppress-linked-cells.js';
import { belowK, withheldMark } from '../privacy/disclosure/below-k.js';
import { impliedCount, isSmallPart, suppressRows, type SuppressionTally, type Withheld } from '../privacy/disclosure/suppress-rows.js';

export const KPI_MEASURES = [
  'activeCustomers',
  'retentionRate',
  'churnRate',
  'repurchaseRate',
  'averageOrderValue',
  'purchaseFrequencyPerYear',
  'averageLifespanYears',
  'historicClv',
  'simpleClv',
  'acquisitionCost',
  'profitabilityRatio',
  'clvToCac',
] as const;

/** Numbers that rest on the group's active customers (retention is their share of the previous period's buyers). */
const ACTIVE_MEASURES = ['activeCustomers', 'retentionRate', 'churnRate', 'averageLifespanYears', 'simpleClv', 'clvToCac'] as const;

/** A KPI row as published; `withheld` names the numbers of a shown group withheld because they describe fewer than k customers. */
export type PublishedKpiRow = Withheld<KpiRow, 'customers' | (typeof KPI_MEASURES)[number]> & { readonly suppression: Suppression; readonly withheld: readonly string[] };

/**
 * Suppress the KPIs of one grouping (segments, tiers, clusters, stages,
 * cohorts, channels): a group of fewer than k customers shows no KPI
 * (complementary: the groups add up to `kpis.overall.customers`).
 * `mirror` gives the decisions of the table that publishes the same groups
 * (the RFM segments for `bySegment`, …): those groups are withheld here too,
 * so that neither table undoes the other's complementary suppression.
 * Inside a shown group: when 1…k−1 customers were active in the last period
 * (or all but 1…k−1), the active count is withheld, and with few active
 * customers the numbers built on them (retention, churn, lifespan, simple
 * CLV); when 1…k−1 customers bought more than once (or all but 1…k−1), the
 * repurchase rate.
 */
export function publishKpis(rows: readonly KpiRow[], minGroupSize: number, options: { readonly mirror?: ReadonlyMap<string, Suppression>; readonly tally?: SuppressionTally; readonly table?: string } = {}): PublishedKpiRow[] {
  const k = minGroupSize;
  const table = options.table ?? 'segments.kpis';
  const mirror = options.mirror;
  const preset = mirror ? rows.map((r): Suppression => (mirror.get(r.group) ?? null) !== null ? withheldMark(r.customers, k) : null) : undefined;
  const suppressed = suppressRows(rows, { count: 'customers', measures: KPI_MEASURES, minGroupSize: k, ...(preset ? { preset } : {}), ...(options.tally ? { tally: { tally: options.tally, table } } : {}) });
  let values = 0;
  const out = suppressed.map((row): PublishedKpiRow => {
    if (row.suppression !== null) return { ...row, withheld: [] };
    const withheld = new Set<string>();
    if (isSmallPart(row.activeCustomers, row.customers, k)) {
      withheld.add('activeCustomers');
      if (belowK(row.activeCustomers!, k)) for (const field of ACTIVE_MEASURES) withheld.add(field);
    }
    if (isSmallPart(impliedCount(row.repurchaseRate, row.customers), row.customers, k)) withheld.add('repurchaseRate');
    values += withheld.size;
    return { ...row, ...Object.fromEntries([...withheld].map((field) => [field, null])), withheld: [...withheld] };
  });
  options.tally?.values(table, values);
  return out;
}
