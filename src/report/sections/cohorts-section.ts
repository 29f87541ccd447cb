import { cohortRetentionChart } from '../charts/cohort-retention-chart.js';
import { formatPercent } from '../format-number.js';
import { renderFigure } from '../html-parts.js';
import type { CohortRetention, ReportData } from '../report-data.js';
import { minGroupSizeOf, suppressedClause } from '../suppressed-values.js';
import type { ReportSection } from './report-section.js';

/** Cohort retention heatmap, with the average retention one period after acquisition in the caption. */
export function renderCohortsSection(data: ReportData, cohorts: CohortRetention): ReportSection {
  const k = minGroupSizeOf(data);
  let weighted = 0;
  let customers = 0;
  for (const c of cohorts.cohorts) {
    const r = c.retention[1];
    if (c.customers !== null && r !== null && r !== undefined && Number.isFinite(r)) {
      weighted += r * c.customers;
      customers += c.customers;
    }
  }
  const rows = cohorts.cohorts.length;
  return {
    id: 'cohorts',
    title: 'Cohort retention',
    lead: `Customers grouped by the ${cohorts.periodUnit} of their first purchase, and the share that bought again in each later ${cohorts.periodUnit}.`,
    html: renderFigure({
      id: 'chart-cohort-retention',
      title: 'Retention by acquisition cohort (%)',
      caption: `On average ${formatPercent(customers === 0 ? NaN : weighted / customers, 0)} of a cohort buys again in the ${cohorts.periodUnit} after acquisition; darker columns further right mean customers stay longer${suppressedClause(cohorts.cohorts.filter((c) => c.customers === null).length, 'cohort', k)}; empty cells of a shown cohort are not yet observed or describe fewer than ${k} customers.`,
      option: cohortRetentionChart(cohorts),
      wide: true,
      size: { width: 1160, height: Math.max(240, 110 + 24 * rows) },
    }),
  };
}
