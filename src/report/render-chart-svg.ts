import { createRequire } from 'node:module';
import type { EChartsOption } from 'echarts';

// ECharts' one-file build (the package's `require` entry, dist/echarts.js): the same library as the `import` entry,
// whose ~700 ES modules took ~0.6 s of CPU to resolve and load, once per process, against ~0.2 s for the one file
const echarts = createRequire(import.meta.url)('echarts') as typeof import('echarts');

export interface ChartSize {
  readonly width: number;
  readonly height: number;
}

/**
 * Renders a chart spec to an SVG string in Node (ECharts server-side
 * rendering, no DOM, no canvas). The instance is always disposed — a live
 * instance keeps timers that stop Node from exiting.
 *
 * Two rewrites make the SVG fit for inlining in a self-contained, reproducible page:
 * - the namespace attributes (`xmlns="http://www.w3.org/2000/svg"`, `xmlns:xlink`)
 *   are removed: inside HTML the parser puts `<svg>` in the SVG namespace by
 *   itself, and the page then holds no URL at all;
 * - ECharts names clip paths, gradients and hover classes after a
 *   process-wide instance counter (`zr7-c0`, `zr7-cls-42`); they are renamed
 *   `<idPrefix>-c0`, `<idPrefix>-cls0`, … in order of appearance, so the same
 *   chart gives the same bytes in any process and two charts on one page
 *   (with different prefixes) never share an id or a CSS class;
 * - a hover declaration whose value is an object (ECharts writes the hover fill
 *   of a continuous visualMap's gradient bar, a heatmap's legend, as
 *   `fill:[object Object];`: invalid CSS) is left out; the rule keeps its other
 *   declarations.
 */
export function renderChartSvg(option: EChartsOption, size: ChartSize, idPrefix = 'chart'): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  let svg: string;
  try {
    chart.setOption(option);
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  const names = new Map<string, string>();
  const counters = new Map<string, number>();
  return svg
    .replace(/ xmlns(:xlink)?="[^"]*"/g, '')
    .replace(/[a-z-]+:\[object Object\];?\n?/g, '')
    .replace(/\bzr\d+-([a-z]+)-?(\d+)\b/g, (token, kind: string) => {
      let name = names.get(token);
      if (name === undefined) {
        const next = counters.get(kind) ?? 0;
        counters.set(kind, next + 1);
        name = `${idPrefix}-${kind}${next}`;
        names.set(token, name);
      }
      return name;
    })
    .trim();
}
