import { clusterProfilesChart } from '../charts/cluster-profiles-chart.js';
import { formatMoney, formatNumber, formatPercent } from '../format-number.js';
import { renderFigure, renderGrid, renderTable } from '../html-parts.js';
import type { ClusterProfiles, ReportData } from '../report-data.js';
import { formatGroupCount, minGroupSizeOf, orNaN, suppressedClause } from '../suppressed-values.js';
import type { ReportSection } from './report-section.js';

/** Behavioural clusters: standardised profiles as bars, sizes and raw means in a table. */
export function renderClustersSection(data: ReportData, profiles: ClusterProfiles): ReportSection {
  const k = minGroupSizeOf(data);
  const total = profiles.customers ?? profiles.clusters.reduce((s, c) => s + (c.customers ?? 0), 0);
  const hasValue = profiles.clusters.some((c) => c.value !== undefined && c.value !== null); // none without order values: no column of dashes
  const suppressed = profiles.clusters.filter((c) => c.customers === null).length;
  let standout = { cluster: '', feature: '', z: 0 };
  for (const c of profiles.clusters) c.zScores.forEach((z, i) => { if (z !== null && Math.abs(z) > Math.abs(standout.z)) standout = { cluster: c.name, feature: profiles.features[i]!, z }; });
  return {
    id: 'clusters',
    title: 'Clusters',
    lead: `Groups of customers that behave alike: ${profiles.method}${profiles.silhouette !== undefined ? `; mean silhouette ${formatNumber(profiles.silhouette, 2)}` : ''}.`,
    html: renderGrid([
      renderFigure({
        id: 'chart-cluster-profiles',
        title: 'Cluster profiles',
        caption: standout.cluster
          ? `Bars show how far each cluster sits from the average customer; the strongest trait: ${standout.cluster}, ${standout.feature} ${standout.z > 0 ? '+' : ''}${formatNumber(standout.z, 1)} sd${suppressedClause(suppressed, 'cluster', k)}.`
          : `Bars show how far each cluster sits from the average customer${suppressedClause(suppressed, 'cluster', k)}.`,
        option: clusterProfilesChart(profiles, 1160),
        wide: true,
        size: { width: 1160, height: 420 },
      }),
      renderTable({
        caption: `Cluster sizes and feature means${suppressedClause(suppressed, 'cluster', k).replace(/^; /, ': ')}`,
        wide: true,
        columns: [{ header: 'cluster' }, { header: 'customers', numeric: true }, { header: '%', numeric: true }, ...profiles.features.map((f) => ({ header: f, numeric: true })), ...(hasValue ? [{ header: 'value', numeric: true }] : [])],
        rows: profiles.clusters.map((c) => [
          c.name,
          formatGroupCount(c.customers),
          formatPercent(total === 0 ? NaN : orNaN(c.customers) / total, 0),
          ...c.means.map((m) => formatNumber(orNaN(m), 2)),
          ...(hasValue ? [formatMoney(orNaN(c.value), data.currency)] : []),
        ]),
      }),
    ]),
  };
}
