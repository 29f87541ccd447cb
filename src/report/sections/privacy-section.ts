import { SENSITIVITY_CLASSES, isPersonalClass } from '../../privacy/access/classification.js';
import { privacyClassesChart } from '../charts/privacy-classes-chart.js';
import { escapeHtml } from '../escape-html.js';
import { formatCount } from '../format-number.js';
import { renderFigure, renderGrid, renderKpis, renderList, renderTable, type Cell } from '../html-parts.js';
import type { ReportData, ReportPrivacy } from '../report-data.js';
import type { ReportSection } from './report-section.js';

/** What this report itself does with personal data; always stated. */
export const REPORT_PRIVACY_NOTES: readonly string[] = [
  'This report holds no customer ids, names or contact details: per-customer numbers appear only in distributions and in an anonymous sample of points.',
  'Quarantined rows are shown masked, as the pipeline passed them.',
  'The file works offline and loads nothing from any other host.',
];

/** What the ingest reports about a file's personal data (`IngestFileReport.privacy`); read structurally, every field optional. */
interface IngestPrivacyFacts {
  readonly customerIds?: string;
  readonly rootKeyId?: string | null;
  readonly piiStored?: readonly string[];
  readonly quarantineEncrypted?: boolean;
}

/** Sentences on what the ingest did to protect personal data, from the files' privacy facts (none when the ingest gave none). */
export function ingestPrivacyNotes(data: ReportData): string[] {
  const facts = data.run.ingest.files.map((f) => (f as { readonly privacy?: IngestPrivacyFacts }).privacy).filter((p): p is IngestPrivacyFacts => p !== undefined && p !== null);
  if (facts.length === 0) return [];
  const notes: string[] = [];
  const keys = [...new Set(facts.map((f) => f.rootKeyId).filter((k): k is string => typeof k === 'string'))];
  if (facts.every((f) => f.customerIds === 'tokens')) {
    notes.push(`Customer ids were replaced at ingest by keyed HMAC tokens${keys.length > 0 ? ` (key ${keys.join(', ')})` : ''}; the originals are kept only encrypted.`);
  } else if (facts.some((f) => f.customerIds === 'as given')) {
    notes.push('Customer ids are stored as given: this run used a scratch warehouse without a key.');
  }
  const pii = [...new Set(facts.flatMap((f) => f.piiStored ?? []))];
  notes.push(pii.length > 0 ? `Personal fields stored encrypted (AES-256-GCM): ${pii.join(', ')}.` : 'No contact details (e-mail, phone, name, address, notes) were ingested.');
  if (facts.every((f) => f.quarantineEncrypted === true)) notes.push('Quarantined rows are stored encrypted.');
  return notes;
}

/** What personal data is held, its classes and how each column is protected. */
export function renderPrivacySection(data: ReportData, privacy: ReportPrivacy): ReportSection {
  const columns = privacy.tables.flatMap((t) => t.columns);
  const personal = columns.filter((c) => isPersonalClass(c.class));
  const protectedPersonal = personal.filter((c) => c.protection !== 'none');
  const parts: string[] = [
    renderKpis([
      { label: 'tables', value: formatCount(privacy.tables.length), note: `${formatCount(columns.length)} columns` },
      { label: 'personal columns', value: formatCount(personal.length), note: 'personal or personal-sensitive' },
      { label: 'of them protected', value: `${formatCount(protectedPersonal.length)} / ${formatCount(personal.length)}`, note: 'encrypted, pseudonymised or restricted', tone: protectedPersonal.length === personal.length ? 'good' : 'bad' },
      { label: 'encrypted columns', value: formatCount(columns.filter((c) => c.protection === 'encrypted').length), note: 'AES-256-GCM' },
      { label: 'pseudonymised columns', value: formatCount(columns.filter((c) => c.protection === 'pseudonymised').length), note: 'keyed HMAC tokens' },
    ]),
  ];
  const cell = (table: ReportPrivacy['tables'][number], cls: string): Cell => ({
    html: table.columns
      .filter((c) => c.class === cls)
      .map((c) => `<span class="colname">${escapeHtml(c.column)}</span>${c.protection !== 'none' ? ` <span class="prot prot-${escapeHtml(c.protection)}">${escapeHtml(c.protection)}</span>` : ''}${c.declared ? '' : ' <span class="prot prot-undeclared">undeclared</span>'}`)
      .join('<br>'),
  });
  parts.push(
    renderGrid([
      renderFigure({
        id: 'chart-privacy-classes',
        title: 'Columns by sensitivity class',
        caption: `${formatCount(personal.length)} of ${formatCount(columns.length)} columns hold personal data; the table says how each is protected at rest.`,
        option: privacyClassesChart(privacy),
        size: { width: 600, height: 80 + 30 * privacy.tables.length },
      }),
      `<div class="callout"><b>What was done to protect personal data</b>${renderList([...ingestPrivacyNotes(data), ...(privacy.notes ?? []), ...REPORT_PRIVACY_NOTES])}</div>`,
    ]),
    renderTable({
      caption: 'What is held: every table’s columns by class, with their protection at rest',
      wide: true,
      className: 'privacy',
      columns: [{ header: 'table', code: true }, { header: 'rows', numeric: true }, { header: 'retention' }, ...SENSITIVITY_CLASSES.map((c) => ({ header: c, code: true }))],
      rows: privacy.tables.map((t) => [t.table, t.rowCount === null ? '–' : formatCount(t.rowCount), t.retention ?? 'not set', ...SENSITIVITY_CLASSES.map((c) => cell(t, c))]),
    }),
  );
  if (privacy.keys) {
    parts.push(
      renderTable({
        caption: `Keys (ids and dates only; source: ${privacy.keys.source})`,
        columns: [{ header: 'key id', code: true }, { header: 'created' }, { header: 'active' }, { header: 'root' }],
        rows: privacy.keys.keys.map((k) => [k.id, k.createdAt ?? 'unknown', k.active ? 'yes' : '', k.root ? 'yes' : '']),
      }),
    );
  }
  if (privacy.warnings && privacy.warnings.length > 0) parts.push(`<div class="callout warn"><b>To act on</b>${renderList(privacy.warnings)}</div>`);
  return {
    id: 'privacy',
    title: 'Privacy',
    lead: 'What personal data the warehouse holds, how sensitive it is, and how it is protected.',
    html: parts.join(''),
  };
}
