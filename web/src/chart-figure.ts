/**
 * A chart in the dashboard: the report's ECharts option (src/report/charts),
 * drawn as SVG in the browser, with an accessible name and a data table as
 * its text alternative (also what prints when the chart cannot).
 */
import { BarChart, BoxplotChart, HeatmapChart, LineChart, SankeyChart, ScatterChart, TreemapChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, MarkLineComponent, MarkPointComponent, TitleComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';
import { dataTable, h, type TableColumn } from './dom.js';

echarts.use([BarChart, BoxplotChart, HeatmapChart, LineChart, SankeyChart, ScatterChart, TreemapChart, AriaComponent, GridComponent, LegendComponent, MarkLineComponent, MarkPointComponent, TitleComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

/** Charts on the current page (disposed when the page changes). */
const live = new Set<echarts.ECharts>();
/** Counts page changes: a figure of a page already left is never drawn. */
let generation = 0;

/** Dispose every chart of the page being left. */
export function disposeCharts(): void {
  generation++;
  for (const chart of live) chart.dispose();
  live.clear();
}

window.addEventListener('resize', () => {
  for (const chart of live) chart.resize();
});
// print at the paper's width
window.addEventListener('beforeprint', () => {
  for (const chart of live) chart.resize();
});

export interface ChartFigureOptions {
  readonly id: string;
  readonly title: string;
  /** one sentence saying what the chart shows (also the chart's accessible description) */
  readonly caption: string;
  readonly option: EChartsOption;
  /** the chart's numbers as a table (the text alternative) */
  readonly table?: { readonly columns: readonly TableColumn[]; readonly rows: readonly (readonly (string | number)[])[] };
  /** px */
  readonly height?: number;
  readonly wide?: boolean;
}

/**
 * A `<figure>` with the chart (`role="img"`, labelled by the title and
 * described by the caption) and a collapsible data table. The chart is drawn
 * once the figure is in the document.
 */
export function chartFigure(options: ChartFigureOptions): HTMLElement {
  const titleId = `${options.id}-title`;
  const captionId = `${options.id}-caption`;
  const canvas = h('div', { class: 'chart', id: options.id, role: 'img', 'aria-labelledby': titleId, 'aria-describedby': captionId, style: `height:${options.height ?? 340}px` });
  const figure = h(
    'figure',
    { class: options.wide ? 'figure wide' : 'figure' },
    h('h3', { id: titleId, class: 'figure-title' }, options.title),
    canvas,
    h('figcaption', { id: captionId }, options.caption),
    options.table ? h('details', { class: 'data-table' }, h('summary', {}, `Data table: ${options.title}`), dataTable(options.title, options.table.columns, options.table.rows, { rowHeaders: true })) : null,
  );
  // drawn once the figure is in the document (a page may still be loading its other parts)
  const born = generation;
  const draw = () => {
    if (generation !== born) return;
    if (!canvas.isConnected) return void requestAnimationFrame(draw);
    const chart = echarts.init(canvas, undefined, { renderer: 'svg' });
    // the figure's title and caption name the chart; ECharts' own aria text would repeat them
    chart.setOption({ ...options.option, aria: { enabled: false } } as EChartsOption);
    live.add(chart);
  };
  requestAnimationFrame(draw);
  return figure;
}
