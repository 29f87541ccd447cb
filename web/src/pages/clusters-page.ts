import type { ClustersResponse } from '../../../src/server/routes/read-api-types.js';
import { clusterProfilesChart } from '../../../src/report/charts/cluster-profiles-chart.js';
import { formatNumber } from '../../../src/report/format-number.js';
import { api } from '../api-client.js';
import { chartFigure } from '../chart-figure.js';
import { dataTable, h, notice, section } from '../dom.js';
import type { PageDefinition } from '../page.js';
import { pageEntry } from '../page-catalogue.js';
import { runNote } from '../run-note.js';
import { clusterTable } from '../cluster-table.js';

export const clustersPage: PageDefinition = {
  ...pageEntry('clusters'),
  async render() {
    const data = await api<ClustersResponse>('/api/clusters');
    const parts: HTMLElement[] = [...runNote(data.run)];
    const p = data.clusters;
    if (!p || p.clusters.length === 0) return [...parts, notice('This run has no behaviour clusters.')];
    const table = clusterTable(p);
    parts.push(
      section(
        'Cluster profiles',
        h('p', {}, `${p.method}${p.silhouette !== undefined ? `; mean silhouette ${formatNumber(p.silhouette, 2)}` : ''}.`),
        chartFigure({
          id: 'chart-clusters',
          title: 'How each cluster differs from the average customer',
          caption: 'Standardised feature means per cluster (0 = all customers’ mean); suppressed clusters are left out.',
          // labels wrapped to the slots of a ~960 px chart (the main column at a 1280 px window; wider windows leave room)
          option: clusterProfilesChart(p, 960),
          wide: true,
          height: 420,
        }),
        dataTable(
          'Cluster means in their own units',
          table.columns,
          table.rows,
          { rowHeaders: true },
        ),
      ),
    );
    return parts;
  },
};
