/** Privacy: what personal data is held, its class and protection (everyone); the audit log (admins, `read_audit`). */
import type { AuditResponse, PrivacyResponse } from '../../../src/server/routes/read-api-types.js';
import { SENSITIVITY_CLASSES } from '../../../src/privacy/access/classification.js';
import { privacyClassesChart } from '../../../src/report/charts/privacy-classes-chart.js';
import { formatCount } from '../../../src/report/format-number.js';
import { api } from '../api-client.js';
import { chartFigure } from '../chart-figure.js';
import { dataTable, h, notice, section } from '../dom.js';
import type { PageContext, PageDefinition } from '../page.js';
import { pageEntry } from '../page-catalogue.js';

const AUDIT_PAGE = 50;

async function auditSection(context: PageContext): Promise<HTMLElement> {
  const offset = Math.max(0, Number(context.params.get('auditOffset') ?? 0) || 0);
  const audit = await api<AuditResponse>('/api/audit', { query: { limit: AUDIT_PAGE, offset } });
  const link = (to: number, text: string) => h('a', { class: 'button secondary', href: `#/privacy?auditOffset=${to}` }, text);
  return section(
    'Audit log',
    audit.verification ? notice(audit.verification.ok ? `Hash chain and MACs verified over ${formatCount(audit.total)} entries.` : `Audit log verification FAILED: ${audit.verification.message ?? ''}`, audit.verification.ok ? 'info' : 'error') : null,
    dataTable(
      `Entries ${formatCount(audit.total === 0 ? 0 : audit.offset + 1)}–${formatCount(audit.offset + audit.entries.length)} of ${formatCount(audit.total)}, newest first`,
      [{ header: 'seq', numeric: true }, { header: 'time (UTC)' }, { header: 'actor' }, { header: 'role' }, { header: 'action' }, { header: 'target' }, { header: 'rows' }, { header: 'details' }],
      audit.entries.map((e) => [String(e.seq), e.ts.replace('T', ' ').replace(/\.\d+Z$/, 'Z'), e.actor, e.role, e.action, e.target ?? '', Object.entries(e.rowCounts).map(([k, v]) => `${k} ${formatCount(v)}`).join(', '), JSON.stringify(e.details)]),
      { rowHeaders: true, className: 'audit' },
    ),
    h('nav', { class: 'pager', 'aria-label': 'Pages of the audit log' }, audit.offset > 0 ? link(Math.max(0, audit.offset - AUDIT_PAGE), 'Newer entries') : null, audit.offset + audit.entries.length < audit.total ? link(audit.offset + AUDIT_PAGE, 'Older entries') : null),
  );
}

export const privacyPage: PageDefinition = {
  ...pageEntry('privacy'),
  async render(context) {
    const data = await api<PrivacyResponse>('/api/privacy');
    const p = data.privacy;
    const columns = p.tables.flatMap((t) => t.columns);
    const parts: HTMLElement[] = [
      section(
        'What is held',
        chartFigure({
          id: 'chart-privacy-classes',
          title: 'Columns by sensitivity class',
          caption: `${formatCount(columns.filter((c) => c.class === 'personal' || c.class === 'personal-sensitive').length)} of ${formatCount(columns.length)} columns hold personal data; the table says how each is protected at rest.`,
          option: privacyClassesChart(p),
          height: 80 + 30 * p.tables.length,
        }),
        dataTable(
          'Every table’s columns by class, with their protection at rest',
          [{ header: 'table' }, { header: 'rows', numeric: true }, { header: 'retention' }, ...SENSITIVITY_CLASSES.map((c) => ({ header: c }))],
          p.tables.map((t) => [
            t.table,
            t.rowCount === null ? '–' : formatCount(t.rowCount),
            t.retention ?? 'not set',
            ...SENSITIVITY_CLASSES.map((cls) => t.columns.filter((c) => c.class === cls).map((c) => `${c.column}${c.protection !== 'none' ? ` (${c.protection})` : ''}`).join(', ')),
          ]),
          { rowHeaders: true, className: 'privacy' },
        ),
        data.checks.length > 0 ? dataTable('Checks of the stored data', [{ header: 'check' }, { header: 'result' }, { header: 'detail' }], data.checks.map((c) => [c.check, c.ok ? 'ok' : 'FAILED', c.detail]), { rowHeaders: true }) : null,
        p.warnings && p.warnings.length > 0 ? h('div', { class: 'callout warn' }, h('strong', {}, 'To act on'), h('ul', {}, p.warnings.map((w) => h('li', {}, w)))) : null,
      ),
    ];
    if (context.can('read_audit')) parts.push(await auditSection(context));
    else parts.push(section('Audit log', h('p', {}, `${formatCount(data.auditEntries)} entries; only admins may read them.`)));
    return parts;
  },
};
