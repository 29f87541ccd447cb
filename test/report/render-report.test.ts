import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors/user-error.js';
import type { RunSummary } from '../../src/pipeline/analyze.js';
import type { ValueModelCard } from '../../src/pipeline/value-step.js';
import type { PrivacyReport } from '../../src/privacy/warehouse/privacy-report.js';
import { escapeHtml } from '../../src/report/escape-html.js';
import { formatMoney, formatShare } from '../../src/report/format-number.js';
import type { ReportChurn, ReportData, ReportModelCard, ReportPrivacy, ReportRun } from '../../src/report/report-data.js';
import type { PublishedLearnedCard } from '../../src/pipeline/publish-learned-card.js';
import { renderReport, REPORT_SECTION_IDS } from '../../src/report/render-report.js';
import { ingestPrivacyNotes } from '../../src/report/sections/privacy-section.js';
import { fixtureReportData, HOSTILE_TEXT } from './report-fixture.js';

// Compile-time: the producers' outputs go into ReportData without conversion (tsc fails here if a shape drifts).
export const acceptsRunSummary = (summary: RunSummary): ReportRun => summary;
export const acceptsValueModelCard = (card: ValueModelCard): ReportModelCard => card;
export const acceptsPrivacyReport = (report: PrivacyReport): ReportPrivacy => report;
export const acceptsLearnedCard = (card: PublishedLearnedCard): ReportChurn => card;

const full = fixtureReportData(2000);
const html = renderReport(full);

/** The fixture with only what every run has: run and customers. */
const { campaigns: fullCampaigns, events: _events, ...runWithoutCampaigns } = full.run;
function minimal(overrides: Partial<ReportData> = {}): ReportData {
  return { run: runWithoutCampaigns, customers: { totalSpend: full.customers.totalSpend }, generatedAt: full.generatedAt, ...overrides };
}

const sectionIds = (page: string) => [...page.matchAll(/<section class="report-section" id="([^"]+)"/g)].map((m) => m[1]);

describe('escapeHtml', () => {
  it('escapes the five HTML-special characters and nothing else', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a> £5 → ok`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt; £5 → ok');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(12.5)).toBe('12.5');
  });
});

describe('number formats', () => {
  it('money and shares read the same on every machine', () => {
    expect(formatMoney(1234.5)).toBe('1,234.50');
    expect(formatMoney(2_345_678, '£')).toBe('£2.35M');
    expect(formatMoney(-611_342.09, '£')).toBe('-£611,342');
    expect(formatMoney(12, 'EUR')).toBe('EUR 12.00');
    expect(formatMoney(NaN)).toBe('–');
    expect(formatShare(0)).toBe('0%');
    expect(formatShare(40 / 541_909)).toBe('<0.01%');
    expect(formatShare(0.0042)).toBe('0.42%');
    expect(formatShare(0.2493)).toBe('24.9%');
  });
});

describe('renderReport with every section', () => {
  it('is one HTML document with every section, in order, each once', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(sectionIds(html)).toEqual([...REPORT_SECTION_IDS]);
    for (const id of REPORT_SECTION_IDS) expect(html).toContain(`<a href="#${id}">`);
  });

  it('is self-contained: no URL, no script, no external stylesheet, font or image', () => {
    expect(html.match(/https?:\/\/[^\s"'<]*/g) ?? []).toEqual([]);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|<embed|@import|@font-face|url\((?!#)|src=|srcset=|xlink:href|href="(?!#)/i);
    // the only url( references are the SVGs' own clip paths and gradients, each defined on the page, and ids are unique
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [, ref] of html.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(ref);
  });

  it('has an inline SVG in every chart figure, and the charts the data calls for', () => {
    const figures = [...html.matchAll(/<figure class="chart[^"]*" id="([^"]+)">(.*?)<\/figure>/gs)];
    expect(figures.map((f) => f[1])).toEqual([
      'chart-quarantine-rules',
      'chart-value-distribution',
      'chart-value-concentration',
      'chart-value-quadrant',
      'chart-model-comparison',
      'chart-calibration-histogram',
      'chart-conditional-expectation',
      'chart-tracking-cumulative',
      'chart-tracking-incremental',
      'chart-probability-alive',
      'chart-churn-reliability',
      'chart-rfm-segments',
      'chart-cluster-profiles',
      'chart-stage-counts',
      'chart-stage-flows',
      'chart-lifecycle-series',
      'chart-cohort-retention',
      'chart-funnel',
      'chart-cross-sell-rules',
      'chart-campaign-uplift',
      'chart-privacy-classes',
    ]);
    for (const [, id, body] of figures) {
      expect(body, id).toMatch(/<svg [^>]*viewBox="0 0 \d+ \d+"/);
      expect(body, id).toMatch(/<figcaption>[^<]{20,}<\/figcaption>/);
    }
  });

  it('escapes hostile text everywhere (tables, captions and inside the SVG)', () => {
    expect(html).not.toContain(HOSTILE_TEXT);
    expect(html).not.toContain('<script>alert');
    // the hostile product appears in the rules table, the quarantine example and the chart's axis label, always escaped
    expect(html.split('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; {b} &amp; Co').length - 1).toBeGreaterThanOrEqual(2);
    expect(html).toContain('&lt;script&gt;alert');
  });

  it('shows no full paths and no data beyond what it was given', () => {
    expect(html).not.toContain('/home/someone');
    expect(html).toContain('online_retail.csv.gz');
  });

  it('shows rows read = accepted + quarantined and every rule of the files read with its count', () => {
    expect(html).toContain('rows read <b>541,909</b> = accepted <b>399,656</b> + quarantined <b>142,253</b> ✓');
    for (const [rule, count] of Object.entries(full.run.ingest.rules)) {
      // erased_customer only when some row has it (API batches only); missing_event_type judges event files only
      if (rule === 'erased_customer' || rule === 'missing_event_type') {
        expect(html).not.toContain(`<td class="code">${rule}</td>`);
        continue;
      }
      expect(html).toMatch(new RegExp(`<td class="code">${rule}</td><td class="num">${count.toLocaleString('en-US')}</td>`));
    }
  });

  it('with an event file read too, lists its rule and says which file each meaning is for', () => {
    const ingest = full.run.ingest;
    const events = { ...ingest.files[0]!, kind: 'events' as const, source: 'events.csv' };
    const page = renderReport({ ...full, run: { ...full.run, ingest: { ...ingest, files: [...ingest.files, events] } } });
    expect(page).toContain('<td class="code">missing_event_type</td><td class="num">0</td><td class="num">0%</td><td>event file: event type empty</td>');
    expect(page).toContain('customer id empty (or NaN/NULL/None); event file: no customer, visitor or session id</td>');
  });

  it('states what was done to protect personal data, from the ingest’s facts, the privacy notes and the report itself', () => {
    const privacy = html.slice(html.indexOf('<section class="report-section" id="privacy"'));
    expect(privacy).toContain('Customer ids were replaced at ingest by keyed HMAC tokens (key k0123456789)');
    expect(privacy).toContain('No contact details (e-mail, phone, name, address, notes) were ingested.');
    expect(privacy).toContain('Quarantined rows are stored encrypted.');
    expect(privacy).toContain('never decrypted for this report');
    expect(privacy).toContain('This report holds no customer ids');
  });

  it('ingest privacy notes follow the facts: ids as given, encrypted fields listed, nothing said without facts', () => {
    const withFacts = (privacy: object) => minimal({ run: { ...runWithoutCampaigns, ingest: { ...full.run.ingest, files: [{ ...full.run.ingest.files[0]!, privacy } as never] } } });
    expect(ingestPrivacyNotes(withFacts({ customerIds: 'as given', rootKeyId: null, piiStored: ['email', 'phone'], quarantineEncrypted: false }))).toEqual([
      'Customer ids are stored as given: this run used a scratch warehouse without a key.',
      'Personal fields stored encrypted (AES-256-GCM): email, phone.',
    ]);
    const { privacy: _none, ...bare } = full.run.ingest.files[0]! as unknown as Record<string, unknown>;
    expect(ingestPrivacyNotes(minimal({ run: { ...runWithoutCampaigns, ingest: { ...full.run.ingest, files: [bare as never] } } }))).toEqual([]);
  });

  it('says when the ingest does not add up', () => {
    const broken = { ...full.run, ingest: { ...full.run.ingest, accepted: full.run.ingest.accepted - 1 } };
    expect(renderReport(minimal({ run: broken }))).toContain('does not add up');
  });

  // a user trial: CDNOW's 21 copies without order ids were warned about in the Overview and again, word for word, under Ingest warnings
  it('says a file’s warning once: one analyze raised among the run’s warnings is not repeated under Ingest warnings', () => {
    const file = full.run.ingest.files[0]!;
    const copies = '21 lines are exact copies of an earlier line of the file';
    const files = [{ ...file, warnings: [...file.warnings, copies] }];
    const run = { ...runWithoutCampaigns, warnings: [`online_retail.csv.gz: ${copies}`], ingest: { ...full.run.ingest, files } };
    const page = renderReport(minimal({ run }));
    expect(page.split(copies).length - 1).toBe(1);
    expect(page).toContain('3 lines look re-exported (same customer, date and amount, no order id): kept');
    expect(page).toContain('1 more ingest warning is among the Warnings of this run, in the Overview.');
    // the only warning of the files raised: no empty callout, the pointer alone
    const only = { ...run, ingest: { ...run.ingest, files: [{ ...file, warnings: [copies] }] } };
    const alone = renderReport(minimal({ run: only }));
    expect(alone).not.toContain('<b>Ingest warnings</b>');
    expect(alone.split(copies).length - 1).toBe(1);
  });

  it('is deterministic: same data, same bytes', () => {
    expect(renderReport(full)).toBe(html);
  });
});

describe('renderReport renders a section only when its data is present', () => {
  it('run and customers only: overview, data quality, value, run; no quadrant without predictions', () => {
    const page = renderReport(minimal());
    expect(sectionIds(page)).toEqual(['overview', 'data-quality', 'value', 'run']);
    expect(page).not.toContain('chart-value-quadrant');
    expect(page).not.toContain('<a href="#model">');
    expect(page).toContain('chart-value-distribution');
  });

  it('each optional block adds its own section', () => {
    const cases: [Partial<ReportData>, string][] = [
      [{ modelCard: full.modelCard }, 'model'],
      [{ segments: full.segments }, 'segments'],
      [{ clusters: full.clusters }, 'clusters'],
      [{ transitions: full.transitions }, 'lifecycle'],
      [{ cohorts: full.cohorts }, 'cohorts'],
      [{ run: { ...runWithoutCampaigns, events: full.run.events! } }, 'events'],
      [{ rules: full.rules }, 'cross-sell'],
      [{ run: { ...runWithoutCampaigns, campaigns: fullCampaigns! } }, 'campaigns'],
      [{ privacy: full.privacy }, 'privacy'],
    ];
    for (const [extra, id] of cases) expect(sectionIds(renderReport(minimal(extra))), id).toEqual(['overview', 'data-quality', 'value', id, 'run']);
  });

  it('a lifecycle with transitions only draws the sankey alone; a model card without diagnostics draws the tournament only', () => {
    const lifecycle = renderReport(minimal({ transitions: full.transitions }));
    expect(lifecycle).toContain('chart-stage-flows');
    expect(lifecycle).not.toContain('chart-stage-counts');
    const { diagnostics: _omit, ...bare } = full.modelCard!;
    const model = renderReport(minimal({ modelCard: bare }));
    expect(model).toContain('chart-model-comparison');
    expect(model).not.toContain('chart-calibration-histogram');
  });

  it('says why a section is missing: the run\'s warnings (a skipped step, a contradiction between stages and the model) are shown, escaped', () => {
    const skipped = 'value models skipped: 500 customers, 0 with repeat purchases; the models need at least 50 and 10';
    const page = renderReport(minimal({ run: { ...runWithoutCampaigns, warnings: [skipped, HOSTILE_TEXT] } }));
    expect(page).toContain(escapeHtml(skipped));
    expect(page).toContain(escapeHtml(HOSTILE_TEXT));
    expect(page).not.toContain(HOSTILE_TEXT);
    expect(renderReport(minimal({ run: { ...runWithoutCampaigns, warnings: [] } }))).not.toContain('Warnings of this run');
  });

  it('copes with no customers and no ingest in the run', () => {
    const noIngest = { ...full.run, ingest: { ...full.run.ingest, rowsRead: 0, accepted: 0, quarantined: 0, files: [] } };
    const page = renderReport(minimal({ run: noIngest, customers: { totalSpend: new Float64Array(0) } }));
    expect(page).toContain('No customer bought in the analysis window');
    expect(page).toContain('No file was ingested in this run');
    expect(page.replace(/<svg[\s\S]*?<\/svg>/g, '')).not.toMatch(/(^|[\s>(£-])(NaN|undefined|Infinity)([\s<%),]|$)|\[object/);
  });

  it('prints no NaN, undefined or Infinity in the full report', () => {
    const text = html.replace(/<svg[\s\S]*?<\/svg>/g, '');
    expect(text).not.toMatch(/(^|[\s>(£-])(NaN|undefined|Infinity)([\s<%),]|$)|\[object/);
  });
});

describe('renderReport validates its input', () => {
  it('throws UserError naming the field when parallel arrays differ in length', () => {
    const bad = minimal({ customers: { totalSpend: [1, 2, 3], predictedValue: [1, 2] } });
    expect(() => renderReport(bad)).toThrow(UserError);
    expect(() => renderReport(bad)).toThrow('customers.predictedValue has 2 entries, expected 3');
  });

  it('throws on a calibration end outside the tracking periods and on retention outside [0, 1]', () => {
    const card = full.modelCard!;
    const tracking = { ...card.diagnostics!.tracking!, calibrationEndIndex: 99 };
    expect(() => renderReport(minimal({ modelCard: { ...card, diagnostics: { ...card.diagnostics, tracking } } }))).toThrow(/calibrationEndIndex 99/);
    const cohorts = { ...full.cohorts!, cohorts: [{ label: 'x', customers: 3, retention: [1, 1.5] }] };
    expect(() => renderReport(minimal({ cohorts }))).toThrow(/retention\[1\]/);
  });
});
