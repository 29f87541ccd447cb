/**
 * Small HTML builders shared by the report sections. Every argument typed
 * `string` is text and is escaped here; arguments named `…Html` are markup
 * the caller built (and escaped) itself.
 */
import type { EChartsOption } from 'echarts';
import { escapeHtml } from './escape-html.js';
import { renderChartSvg, type ChartSize } from './render-chart-svg.js';

/** Chart sizes in SVG pixels; the SVG scales to its box (viewBox), so these set aspect ratio and text size. */
export const HALF_WIDTH: ChartSize = { width: 600, height: 340 };
export const FULL_WIDTH: ChartSize = { width: 1160, height: 420 };

export interface FigureOptions {
  /** `chart-…` id of the figure */
  readonly id: string;
  readonly title: string;
  /** one line: what to read from the chart */
  readonly caption: string;
  readonly option: EChartsOption;
  readonly size?: ChartSize;
  /** span both grid columns */
  readonly wide?: boolean;
}

/** A chart as a figure: heading, inline SVG, one-line caption. */
export function renderFigure(figure: FigureOptions): string {
  const size = figure.size ?? (figure.wide ? FULL_WIDTH : HALF_WIDTH);
  const svg = renderChartSvg(figure.option, size, figure.id);
  return (
    `<figure class="chart${figure.wide ? ' wide' : ''}" id="${escapeHtml(figure.id)}">` +
    `<h3>${escapeHtml(figure.title)}</h3>` +
    `<div class="svg" role="img" aria-label="${escapeHtml(figure.title)}">${svg}</div>` +
    `<figcaption>${escapeHtml(figure.caption)}</figcaption></figure>`
  );
}

export interface Column {
  readonly header: string;
  /** right-aligned, tabular digits */
  readonly numeric?: boolean;
  /** monospace */
  readonly code?: boolean;
}

/** A table cell: plain text (escaped) or `{ html }` for markup the caller escaped. */
export type Cell = string | { readonly html: string };

function cellHtml(cell: Cell): string {
  return typeof cell === 'string' ? escapeHtml(cell) : cell.html;
}

/** A data table with a caption; `wide` spans both grid columns. */
export function renderTable(options: { readonly caption?: string; readonly columns: readonly Column[]; readonly rows: readonly (readonly Cell[])[]; readonly wide?: boolean; readonly className?: string }): string {
  const cls = (c: Column) => [c.numeric ? 'num' : '', c.code ? 'code' : ''].filter(Boolean).join(' ');
  const attr = (c: Column) => (cls(c) ? ` class="${cls(c)}"` : '');
  const head = options.columns.map((c) => `<th${attr(c)}>${escapeHtml(c.header)}</th>`).join('');
  const body = options.rows.map((row) => `<tr>${row.map((cell, i) => `<td${attr(options.columns[i] ?? { header: '' })}>${cellHtml(cell)}</td>`).join('')}</tr>`).join('');
  const classes = ['table-wrap', options.wide ? 'wide' : '', options.className ?? ''].filter(Boolean).join(' ');
  return `<div class="${classes}"><table>${options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : ''}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

export interface Kpi {
  readonly label: string;
  readonly value: string;
  readonly note?: string;
  /** `good`, `warn` or `bad` tint */
  readonly tone?: 'good' | 'warn' | 'bad';
}

/** A row of headline numbers. */
export function renderKpis(kpis: readonly Kpi[]): string {
  return `<div class="kpis">${kpis
    .map(
      (k) =>
        `<div class="kpi${k.tone ? ` ${k.tone}` : ''}"><div class="kpi-label">${escapeHtml(k.label)}</div><div class="kpi-value">${escapeHtml(k.value)}</div>${k.note ? `<div class="kpi-note">${escapeHtml(k.note)}</div>` : ''}</div>`,
    )
    .join('')}</div>`;
}

/** A paragraph of text. */
export function renderParagraph(text: string, className?: string): string {
  return `<p${className ? ` class="${className}"` : ''}>${escapeHtml(text)}</p>`;
}

/** A bulleted list of text items. */
export function renderList(items: readonly string[], className?: string): string {
  return `<ul${className ? ` class="${className}"` : ''}>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
}

/** A grid of figures and tables (two columns on wide screens). */
export function renderGrid(partsHtml: readonly string[]): string {
  return `<div class="grid">${partsHtml.join('')}</div>`;
}

/** The last path segment of a file path (`/home/a/orders.csv` → `orders.csv`): reports never show full paths. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}
