/** The report's stylesheet, inlined into the HTML: system fonts only, screen and print layouts. */
export const REPORT_CSS = `
:root { --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --panel: #ffffff; --page: #f3f4f6; --accent: #2563eb; --good: #16a34a; --warn: #d97706; --bad: #dc2626; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--page); color: var(--ink); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header.top { background: #111827; color: #f9fafb; padding: 20px 0 0; }
header.top .inner, main, footer { max-width: 1240px; margin: 0 auto; padding: 0 24px; }
header.top h1 { margin: 0; font-size: 24px; font-weight: 650; letter-spacing: -0.01em; }
header.top .meta { margin: 4px 0 12px; color: #cbd5e1; font-size: 13px; }
nav.toc { display: flex; flex-wrap: wrap; gap: 4px 6px; padding-bottom: 14px; }
nav.toc a { color: #e5e7eb; text-decoration: none; font-size: 13px; padding: 3px 10px; border: 1px solid #374151; border-radius: 999px; }
nav.toc a:hover { background: #1f2937; border-color: #6b7280; }
main { padding-top: 20px; }
section.report-section { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 20px 24px 24px; margin: 0 0 20px; }
section.report-section > h2 { margin: 0; font-size: 20px; font-weight: 650; }
section.report-section > p.lead { margin: 2px 0 16px; color: var(--muted); }
h3 { margin: 0 0 6px; font-size: 14px; font-weight: 600; }
p { margin: 0 0 10px; }
.kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(175px, 1fr)); gap: 10px; margin: 0 0 16px; }
.kpi { border: 1px solid var(--line); border-left: 4px solid #cbd5e1; border-radius: 8px; padding: 10px 12px; background: #fafafa; }
.kpi.good { border-left-color: var(--good); }
.kpi.warn { border-left-color: var(--warn); }
.kpi.bad { border-left-color: var(--bad); }
.kpi-label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.03em; }
.kpi-value { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; line-height: 1.3; }
.kpi-note { color: var(--muted); font-size: 12px; }
.grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 18px; align-items: start; margin: 0 0 16px; }
.grid > .wide { grid-column: 1 / -1; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px 10px; background: #fff; }
figure.chart .svg svg { display: block; width: 100%; height: auto; }
figure.chart figcaption { margin-top: 6px; color: var(--muted); font-size: 13px; }
.table-wrap { overflow-x: auto; margin: 0 0 16px; }
.grid > .table-wrap { margin: 0; }
.stack > .table-wrap:last-child { margin-bottom: 0; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding: 0 0 6px; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; background: #f9fafb; }
tbody tr:nth-child(even) td { background: #fbfbfc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.examples td.code:last-child { white-space: pre-wrap; overflow-wrap: anywhere; max-width: 560px; }
.privacy td { font-size: 12px; }
.colname { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.prot { display: inline-block; font-size: 10px; line-height: 1.5; padding: 0 5px; border-radius: 4px; background: #e5e7eb; color: #374151; font-family: system-ui, sans-serif; }
.prot-encrypted { background: #dcfce7; color: #166534; }
.prot-pseudonymised { background: #dbeafe; color: #1e40af; }
.prot-restricted { background: #fef3c7; color: #92400e; }
.prot-undeclared { background: #fee2e2; color: #991b1b; }
.equation { font-size: 15px; padding: 8px 12px; background: #f0fdf4; border: 1px solid #bbf7d0; border-radius: 8px; margin: 0 0 16px; }
.equation.bad { background: #fef2f2; border-color: #fecaca; }
.verdict { font-size: 16px; }
.callout { background: #f8fafc; border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 8px; padding: 10px 14px; margin: 0 0 16px; }
.callout.warn { border-left-color: var(--warn); background: #fffbeb; }
.callout ul { margin: 6px 0 0; padding-left: 20px; }
.notes p { color: var(--muted); font-size: 13px; margin: 6px 0 0; }
footer { color: var(--muted); font-size: 12px; padding-top: 4px; padding-bottom: 32px; }
@media screen and (max-width: 960px) { .grid { grid-template-columns: minmax(0, 1fr); } }
@media print {
  @page { size: A4 landscape; margin: 10mm; }
  body { background: #fff; font-size: 11px; }
  header.top { background: #fff; color: var(--ink); padding: 0 0 8px; border-bottom: 2px solid var(--ink); }
  header.top .meta { color: var(--muted); }
  header.top .inner, main, footer { max-width: none; padding: 0; }
  nav.toc { display: none; }
  main { padding-top: 8px; }
  section.report-section { border: none; border-radius: 0; padding: 10px 0 0; margin: 0 0 8px; }
  h2, h3, caption { break-after: avoid; }
  .grid { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 12px; }
  figure.chart, .kpi, tr, .callout, .equation { break-inside: avoid; }
  figure.chart { border-color: #d1d5db; }
  .kpi-value { font-size: 18px; }
  .table-wrap { overflow: visible; }
  /* a wide table is not cut at the page edge: cells wrap (numbers too, at their spaces), tighter and smaller */
  table { width: 100%; table-layout: auto; font-size: 10px; }
  th, td { padding: 3px 5px; overflow-wrap: anywhere; }
  th { font-size: 9.5px; }
  td.num, th.num { white-space: normal; }
  .table-wrap.wide table { font-size: 9px; }
  thead { display: table-header-group; }
}
`;
