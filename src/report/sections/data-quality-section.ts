import { QUARANTINE_REASONS, type QuarantineReason } from '../../ingest/cleaning-rules.js';
import { describeFileReading, describeWarehouseIngests, judgingRules } from '../../ingest/ingest-report.js';
import { quarantineRulesChart } from '../charts/quarantine-rules-chart.js';
import { escapeHtml } from '../escape-html.js';
import { formatCount, formatPercent, formatShare } from '../format-number.js';
import { baseName, renderFigure, renderGrid, renderKpis, renderList, renderParagraph, renderTable } from '../html-parts.js';
import type { ReportData } from '../report-data.js';
import type { ReportSection } from './report-section.js';

const MAX_RAW_CHARS = 160;
const MAX_EXAMPLES = 30;

/**
 * How clean the data was: rows read = accepted + quarantined, every rule's
 * count (chart and table), the files, and masked examples of rejected rows.
 */
export function renderDataQualitySection(data: ReportData): ReportSection {
  const ingest = data.run.ingest;
  const parts: string[] = [];
  if (ingest.files.length === 0) {
    parts.push(
      renderParagraph(
        `No file was ingested in this run: it analysed a warehouse built earlier, which holds ${formatCount(data.run.warehouse.transactions)} accepted order lines and ${formatCount(data.run.warehouse.quarantined)} quarantined rows.`,
      ),
    );
  } else {
    // no file read in this run: the counts are those the warehouse's ingests recorded (warehouse-ingest-report.ts)
    if (ingest.fromWarehouse) {
      parts.push(
        renderParagraph(
          `No file was ingested in this run: the counts below are those of the warehouse’s ${describeWarehouseIngests(ingest.fromWarehouse.ingestIds)}, as recorded when the files were read. The warehouse now holds ${formatCount(data.run.warehouse.transactions)} accepted order lines and ${formatCount(data.run.warehouse.quarantined)} quarantined rows.`,
        ),
      );
    }
    const adds = ingest.accepted + ingest.quarantined === ingest.rowsRead;
    const share = (n: number) => formatShare(ingest.rowsRead === 0 ? NaN : n / ingest.rowsRead);
    parts.push(
      renderKpis([
        { label: 'rows read', value: formatCount(ingest.rowsRead), note: `${ingest.files.length} file${ingest.files.length === 1 ? '' : 's'}` },
        { label: 'accepted', value: formatCount(ingest.accepted), note: `${share(ingest.accepted)} of rows read`, tone: 'good' },
        { label: 'quarantined', value: formatCount(ingest.quarantined), note: `${share(ingest.quarantined)} of rows read`, tone: ingest.quarantined > 0 ? 'warn' : undefined },
        { label: 'returns (kept)', value: formatCount(ingest.returns), note: 'accepted; they net revenue' },
        { label: 'outliers flagged', value: formatCount(ingest.outliersFlagged), note: 'kept, not dropped' },
      ]),
    );
    parts.push(
      `<p class="equation${adds ? '' : ' bad'}">rows read <b>${escapeHtml(formatCount(ingest.rowsRead))}</b> = accepted <b>${escapeHtml(formatCount(ingest.accepted))}</b> + quarantined <b>${escapeHtml(formatCount(ingest.quarantined))}</b> ${adds ? '✓ every row accounted for' : '✗ does not add up — this is a bug, please report it'}</p>`,
    );
    // the rules of the kinds of file read, with their meaning for them (erased_customer only when some row has it)
    const meanings = new Map<string, string>(judgingRules(ingest).map(({ reason, meaning }) => [reason, meaning]));
    const reasons = QUARANTINE_REASONS.filter((r) => r in ingest.rules && meanings.has(r));
    const extra = Object.keys(ingest.rules).filter((r) => !(QUARANTINE_REASONS as readonly string[]).includes(r));
    const ordered: Record<string, number> = {};
    for (const r of [...reasons, ...extra]) ordered[r] = ingest.rules[r as QuarantineReason] ?? 0;
    const top = Object.entries(ordered).sort((a, b) => b[1] - a[1])[0];
    const grid: string[] = [
      renderFigure({
        id: 'chart-quarantine-rules',
        title: 'Rows quarantined, by rule',
        caption:
          top && top[1] > 0
            ? `${top[0]} accounts for ${formatPercent(ingest.quarantined === 0 ? NaN : top[1] / ingest.quarantined, 0)} of quarantined rows; every rule is listed, grey bars found nothing.`
            : 'No rule rejected a row: every row read was accepted.',
        option: quarantineRulesChart(ordered),
        size: { width: 600, height: 60 + 30 * Object.keys(ordered).length },
      }),
      renderTable({
        caption: 'Every cleaning rule, in the order it applies (a row gets the first that fits)',
        columns: [{ header: 'rule', code: true }, { header: 'rows', numeric: true }, { header: '% of read', numeric: true }, { header: 'meaning' }],
        rows: Object.entries(ordered).map(([reason, count]) => [reason, formatCount(count), share(count), meanings.get(reason) ?? '']),
      }),
    ];
    parts.push(renderGrid(grid));
    parts.push(
      renderTable({
        caption: 'Files',
        wide: true,
        columns: [
          { header: 'file', code: true },
          { header: 'format' },
          { header: 'rows read', numeric: true },
          { header: 'accepted', numeric: true },
          { header: 'quarantined', numeric: true },
          { header: 'returns', numeric: true },
          { header: 'date formats' },
          { header: 'note' },
        ],
        rows: ingest.files.map((f) => [
          baseName(f.source),
          describeFileReading(f),
          formatCount(f.rowsRead),
          formatCount(f.accepted),
          formatCount(f.quarantined),
          formatCount(f.returns),
          f.dateFormats.join(' | ') || '–',
          f.alreadyIngested ? 'already ingested: nothing added' : '',
        ]),
      }),
    );
    // a file's warning that analyze raised among the run's warnings is in the Overview already: said once
    const inOverview = new Set(data.run.warnings ?? []);
    const fileWarnings = ingest.files.flatMap((f) => f.warnings.map((w) => `${baseName(f.source)}: ${w}`));
    const warnings = fileWarnings.filter((w) => !inOverview.has(w));
    const raised = fileWarnings.length - warnings.length;
    const elsewhere = raised > 0 ? renderParagraph(`${formatCount(raised)} more ingest warning${raised === 1 ? ' is' : 's are'} among the Warnings of this run, in the Overview.`) : '';
    if (warnings.length > 0) parts.push(`<div class="callout warn"><b>Ingest warnings</b>${renderList(warnings)}${elsewhere}</div>`);
    else if (raised > 0) parts.push(elsewhere);
  }
  const examples = data.quarantineExamples ?? [];
  if (examples.length > 0) {
    parts.push(
      renderTable({
        caption: `Examples of quarantined rows (masked${examples.length > MAX_EXAMPLES ? `; first ${MAX_EXAMPLES} of ${examples.length}` : ''})`,
        wide: true,
        className: 'examples',
        columns: [{ header: 'file', code: true }, { header: 'line', numeric: true }, { header: 'rule', code: true }, { header: 'detail' }, { header: 'row as read (masked)', code: true }],
        rows: examples.slice(0, MAX_EXAMPLES).map((e) => [
          baseName(e.source),
          formatCount(e.line),
          e.reason,
          e.detail ?? '',
          // no text: a duplicate stored by reference, or text the report's reader may not open (the detail says which)
          e.raw === '' ? '—' : e.raw.length > MAX_RAW_CHARS ? `${e.raw.slice(0, MAX_RAW_CHARS - 1)}…` : e.raw,
        ]),
      }),
    );
  }
  return {
    id: 'data-quality',
    title: 'Data quality',
    lead: 'How clean the data was: every input row is either accepted or quarantined with one reason.',
    html: parts.join(''),
  };
}
