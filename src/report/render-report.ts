/**
 * The HTML report of an analysis run: one self-contained file (inline CSS,
 * charts as inline SVG rendered here with ECharts SSR, no script, no font,
 * no request to any host) that opens from disk, reads on a laptop screen
 * and prints.
 *
 * Example: `writeFileSync(join(outDir, 'report.html'), renderReport({ run: summary, customers: { totalSpend } }))`
 */
import { escapeHtml } from './escape-html.js';
import { formatCount } from './format-number.js';
import { baseName } from './html-parts.js';
import type { ReportData } from './report-data.js';
import { REPORT_CSS } from './report-styles.js';
import { renderCampaignsSection } from './sections/campaigns-section.js';
import { renderClustersSection } from './sections/clusters-section.js';
import { renderCohortsSection } from './sections/cohorts-section.js';
import { renderCrossSellSection } from './sections/cross-sell-section.js';
import { renderDataQualitySection } from './sections/data-quality-section.js';
import { renderEventsSection, renderProspectsSection } from './sections/events-section.js';
import { runWords, type RunWords } from '../core/run-words.js';
import { renderLifecycleSection } from './sections/lifecycle-section.js';
import { renderModelSection } from './sections/model-section.js';
import { renderChurnSection } from './sections/churn-section.js';
import { renderOverviewSection } from './sections/overview-section.js';
import { renderPrivacySection } from './sections/privacy-section.js';
import type { ReportSection } from './sections/report-section.js';
import { renderRunSection } from './sections/run-section.js';
import { renderSegmentsSection } from './sections/segments-section.js';
import { renderValueSection } from './sections/value-section.js';
import { validateReportData } from './validate-report-data.js';

export { REPORT_SECTION_IDS, type ReportSectionId } from './sections/report-section.js';

export interface RenderReportOptions {
  /** most customers drawn in the historic-vs-predicted scatter (default 5,000) */
  readonly maxScatterPoints?: number;
  /** seed of that sample (default 1): the same data and seed give the same file */
  readonly seed?: number;
  /**
   * the words of the front end that started the run (core/run-words.ts; default the CLI's): where a caption points to a
   * command, a run through the API names the API's route instead, or leaves the pointer out where the API has none (a
   * customer's P(alive) path, the tracking curves' age convention)
   */
  readonly words?: RunWords;
}

/**
 * Renders the whole report as one HTML string. Sections appear in a fixed
 * order — overview, data quality, value, model, churn, segments, clusters,
 * lifecycle, cohorts, cross-sell, campaigns, privacy, run — each only when its data is
 * present (overview, data quality, value and run always are). Every text is
 * escaped. Throws `UserError` when the data is inconsistent (see `validateReportData`).
 * Deterministic: the same data, `generatedAt` and seed give the same bytes.
 */
export function renderReport(data: ReportData, options: RenderReportOptions = {}): string {
  validateReportData(data);
  const words = options.words ?? runWords(false);
  const sections: ReportSection[] = [renderOverviewSection(data), renderDataQualitySection(data)];
  sections.push(renderValueSection(data, { maxScatterPoints: options.maxScatterPoints ?? 5000, seed: options.seed ?? 1 }));
  if (data.modelCard) sections.push(renderModelSection(data, data.modelCard, words));
  if (data.churn) sections.push(renderChurnSection(data, data.churn));
  if (data.segments) sections.push(renderSegmentsSection(data, data.segments));
  if (data.clusters) sections.push(renderClustersSection(data, data.clusters));
  const lifecycle = renderLifecycleSection(data);
  if (lifecycle) sections.push(lifecycle);
  if (data.cohorts) sections.push(renderCohortsSection(data, data.cohorts));
  if (data.run.events) sections.push(renderEventsSection(data, data.run.events));
  else if (data.run.prospects && data.run.prospects.prospects > 0) sections.push(renderProspectsSection(data.run.prospects, words, data.currency));
  if (data.rules) sections.push(renderCrossSellSection(data, data.rules));
  if (data.run.campaigns && data.run.campaigns.campaigns.length + data.run.campaigns.withheld > 0) sections.push(renderCampaignsSection(data, data.run.campaigns));
  if (data.privacy) sections.push(renderPrivacySection(data, data.privacy));
  sections.push(renderRunSection(data));

  const title = data.title ?? 'clvkit report';
  const generatedAt = data.generatedAt ?? new Date().toISOString();
  const files = data.run.parameters.files.map(baseName);
  const meta = [
    `as of ${data.run.parameters.asOf}`,
    `${formatCount(data.run.headline.customers)} customers`,
    files.length > 0 ? files.join(', ') : 'existing warehouse',
    ...(data.dataSource ? [data.dataSource] : []),
    `generated ${generatedAt.slice(0, 16).replace('T', ' ')} UTC`,
  ];
  const nav = sections.map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>`).join('');
  const body = sections
    .map((s) => `<section class="report-section" id="${escapeHtml(s.id)}"><h2>${escapeHtml(s.title)}</h2><p class="lead">${escapeHtml(s.lead)}</p>${s.html}</section>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="clvkit ${escapeHtml(data.run.clvkitVersion)}">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header class="top"><div class="inner"><h1>${escapeHtml(title)}</h1><p class="meta">${escapeHtml(meta.join(' · '))}</p><nav class="toc">${nav}</nav></div></header>
<main>
${body}
</main>
<footer>Generated by clvkit ${escapeHtml(data.run.clvkitVersion)} on ${escapeHtml(generatedAt)}. This file is self-contained and works offline.</footer>
</body>
</html>
`;
}
