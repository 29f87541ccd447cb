import { formatCount, formatNumber } from '../format-number.js';
import { baseName, renderGrid, renderTable } from '../html-parts.js';
import type { ReportData } from '../report-data.js';
import type { ReportSection } from './report-section.js';

/** a run on ClickHouse records its warehouse as `ORIGIN (CLUSTER/DATABASE)` (clusterLabel, clickhouse-commands.ts) */
const CLUSTER_LABEL = /^([a-z][a-z0-9+.-]*:\/\/\S+) \(([^()]+)\)$/i;

/**
 * The warehouse as the run section names it: a file by its base name, a ClickHouse database as `CLUSTER/DATABASE on
 * ORIGIN` (the origin alone: no user or password).
 *
 * Example: `warehouseName('http://127.0.0.1:18621 (clvkit/shop)')` → `'clvkit/shop on http://127.0.0.1:18621'`; `warehouseName('/data/shop.duckdb')` → `'shop.duckdb'`
 */
function warehouseName(db: string): string {
  if (db === ':memory:') return 'in memory';
  const cluster = CLUSTER_LABEL.exec(db);
  if (cluster) {
    const origin = URL.canParse(cluster[1]!) ? new URL(cluster[1]!).origin : cluster[1]!;
    return `${cluster[2]} on ${origin}`;
  }
  return baseName(db);
}

/** How the run was made: version, parameters, timings — enough to reproduce it. */
export function renderRunSection(data: ReportData): ReportSection {
  const run = data.run;
  const p = run.parameters;
  const timings = Object.entries(run.timingsMs);
  const total = timings.reduce((s, [, ms]) => s + ms, 0);
  return {
    id: 'run',
    title: 'About this run',
    lead: 'What was run, with which settings, and how long each step took.',
    html: renderGrid([
      renderTable({
        caption: 'Parameters',
        columns: [{ header: 'setting' }, { header: 'value', code: true }],
        rows: [
          ['clvkit version', run.clvkitVersion],
          ['started', run.startedAt],
          ['as of', p.asOf],
          ['time unit', p.timeUnit],
          ['purchase grain', p.grain],
          ['input files', p.files.map(baseName).join(', ') || '(none: existing warehouse)'],
          ['warehouse', warehouseName(p.db)],
          ['transactions held', formatCount(run.warehouse.transactions)],
          ['quarantined rows held', formatCount(run.warehouse.quarantined)],
          ...(data.dataSource ? [['data source', data.dataSource] as [string, string]] : []),
        ],
      }),
      renderTable({
        caption: `Timings (total ${formatNumber(total / 1000, 1)} s)`,
        columns: [{ header: 'step' }, { header: 'seconds', numeric: true }],
        rows: timings.map(([step, ms]) => [step, formatNumber(ms / 1000, 2)]),
      }),
    ]),
  };
}
