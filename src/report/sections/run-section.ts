import { formatCount, formatNumber } from '../format-number.js';
import { baseName, renderGrid, renderTable } from '../html-parts.js';
import type { ReportData } from '../report-data.js';
import type { ReportSection } from './report-section.js';

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
          ['warehouse', p.db === ':memory:' ? 'in memory' : baseName(p.db)],
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
