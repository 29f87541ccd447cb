import { cohortRetentionChart } from '../charts/cohort-retention-chart.js';
import { partMonthNote } from '../../core/part-month.js';
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
  let averaged = 0;
  const shown = cohorts.cohorts.filter((c) => c.customers !== null).length;
  for (const c of cohorts.cohorts) {
    const r = c.retention[1];
    if (c.customers !== null && r !== null && r !== undefined && Number.isFinite(r)) {
      weighted += r * c.customers;
      customers += c.customers;
      averaged++;
    }
  }
  // a cohort without a next-month figure (withheld: fewer than k buyers, or not yet observed) cannot enter the average: say over which cohorts it is taken
  const unit = cohorts.periodUnit;
  const average =
    averaged === 0
      ? `No shown cohort has a figure for the ${unit} after acquisition (not yet observed, or fewer than ${k} customers bought then)`
      : `On average ${formatPercent(weighted / customers, 0)} of a cohort buys again in the ${unit} after acquisition${averaged < shown ? ` (over the ${averaged} of ${shown} cohorts with a figure for it; the others are not yet observed or had fewer than ${k} buyers then)` : ''}`;
  const rows = cohorts.cohorts.length;
  // an as-of day before its month's end cuts every row's last month short (the note clvkit cohorts prints)
  const part = unit === 'month' ? partMonthNote(data.run.parameters.asOf, 'the last cell of each row') : null;
  const partNote = part === null ? '' : ` ${part.charAt(0).toUpperCase()}${part.slice(1)}.`;
  return {
    id: 'cohorts',
    title: 'Cohort retention',
    lead: `Customers grouped by the ${cohorts.periodUnit} of their first purchase, and the share that bought again in each later ${cohorts.periodUnit}.`,
    html: renderFigure({
      id: 'chart-cohort-retention',
      title: 'Retention by acquisition cohort (%)',
      caption: `${average}; darker columns further right mean customers stay longer${suppressedClause(cohorts.cohorts.filter((c) => c.customers === null).length, 'cohort', k)}; empty cells of a shown cohort are not yet observed or describe fewer than ${k} customers.${partNote}`,
      option: cohortRetentionChart(cohorts),
      wide: true,
      size: { width: 1160, height: Math.max(240, 110 + 24 * rows) },
    }),
  };
}
