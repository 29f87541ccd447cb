/**
 * The report's visual language, shared by every chart spec: colours, fonts,
 * the base option (no animation: charts are rendered once, to SVG).
 */
import type { EChartsOption } from 'echarts';

/**
 * Chart text font. Charts are laid out in Node, where ECharts estimates text
 * widths with Arial/Helvetica metrics; fonts with the same metrics (Arial,
 * Helvetica, Liberation Sans) keep labels and legends from overlapping in
 * the browser.
 */
export const FONT_FAMILY = 'Arial, Helvetica, Liberation Sans, Nimbus Sans, sans-serif';

/** Text and rule colours. */
export const INK = '#1f2937';
export const MUTED = '#6b7280';
export const GRID_LINE = '#e5e7eb';

/** Actual data is dark, model expectations orange: the same in every model-card chart. */
export const ACTUAL_COLOR = '#334155';
export const EXPECTED_COLOR = '#ea580c';
export const HIGHLIGHT_COLOR = '#2563eb';
export const NEUTRAL_COLOR = '#cbd5e1';

/** Categorical palette (distinguishable, colour-blind aware order). */
export const PALETTE: readonly string[] = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d', '#7c3aed', '#0d9488'];

/** Sequential ramp for heatmaps, light to dark blue. */
export const SEQUENTIAL: readonly string[] = ['#eff6ff', '#bfdbfe', '#60a5fa', '#2563eb', '#1e3a8a'];

/** Colour of the i-th category, cycling through the palette. */
export function categoryColor(index: number): string {
  return PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length]!;
}

/**
 * Makes text safe as an ECharts label formatter: `{` and `}` would start
 * a template (`{b}`) or rich-text block, so they become `(` and `)`.
 */
export function literalLabel(text: string): string {
  return text.replace(/\{/g, '(').replace(/\}/g, ')');
}

/** Shortens text to `max` characters with an ellipsis. */
export function truncateLabel(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/** Options every chart starts from. */
export function baseOption(): EChartsOption {
  return {
    animation: false,
    color: [...PALETTE],
    textStyle: { fontFamily: FONT_FAMILY, fontSize: 12, color: INK },
    tooltip: { confine: true },
  };
}

/** A value axis with light grid lines and compact labels. */
export function valueAxisStyle(): { axisLine: { show: boolean }; splitLine: { lineStyle: { color: string } }; axisLabel: { color: string }; nameTextStyle: { color: string } } {
  return { axisLine: { show: false }, splitLine: { lineStyle: { color: GRID_LINE } }, axisLabel: { color: MUTED }, nameTextStyle: { color: MUTED } };
}

/** An axis title centred along the axis (rotated on a y axis), so long names never run off the chart. */
export function axisTitle(name: string, gap: number): { name: string; nameLocation: 'middle'; nameGap: number; nameTextStyle: { color: string } } {
  return { name, nameLocation: 'middle', nameGap: gap, nameTextStyle: { color: MUTED } };
}

/** Monospace for codes on axes (ECharts estimates monospace text at one em per character, so labels get room to spare). */
export const MONO_FONT_FAMILY = 'ui-monospace, Menlo, Consolas, Liberation Mono, monospace';
