import type { CohortsResponse } from '../../../src/server/routes/read-api-types.js';
import { cohortRetentionChart } from '../../../src/report/charts/cohort-retention-chart.js';
import { formatCount, formatPercent } from '../../../src/report/format-number.js';
import { api } from '../api-client.js';
import { chartFigure } from '../chart-figure.js';
import { notice, section } from '../dom.js';
import type { PageDefinition } from '../page.js';
import { pageEntry } from '../page-catalogue.js';
import { groupCount, runNote } from '../run-note.js';

export const cohortsPage: PageDefinition = {
  ...pageEntry('cohorts'),
  async render() {
    const data = await api<CohortsResponse>('/api/cohorts');
    const parts: HTMLElement[] = [...runNote(data.run)];
    const c = data.cohorts;
    if (!c || c.cohorts.length === 0) return [...parts, notice('This run has no acquisition cohorts.')];
    const periods = Math.max(0, ...c.cohorts.map((x) => x.retention.length));
    parts.push(
      section(
        'Retention by acquisition cohort',
        chartFigure({
          id: 'chart-cohorts',
          title: `Retention by ${c.periodUnit} since the first purchase`,
          caption: `Share of each cohort that bought k ${c.periodUnit}s after its first purchase; suppressed cohorts are blank.`,
          option: cohortRetentionChart(c),
          wide: true,
          height: Math.min(720, 120 + 22 * c.cohorts.length),
          table: {
            columns: [{ header: 'cohort' }, { header: 'customers', numeric: true }, ...Array.from({ length: periods }, (_, k) => ({ header: `+${k}`, numeric: true }))],
            rows: c.cohorts.map((x) => [x.label, groupCount(x.customers, formatCount), ...Array.from({ length: periods }, (_, k) => groupCount(x.retention[k], (v) => formatPercent(v, 0)))]),
          },
        }),
      ),
    );
    return parts;
  },
};
