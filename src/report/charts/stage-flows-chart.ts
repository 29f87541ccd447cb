import type { EChartsOption } from 'echarts';
import { formatCount } from '../format-number.js';
import type { ReportStageTransitions } from '../report-data.js';
import { baseOption, INK, literalLabel } from './chart-theme.js';
import { stageColor, stageLabel } from './stage-colors.js';

/**
 * Stage flows: where the customers of each stage at the start date stand at
 * the end date (sankey, left → right; band width = customers). Wide bands
 * from Active into Dormant or Churned are the leaks to plug.
 *
 * `order` fixes the stage order (top to bottom) and colours; stages not in
 * it follow in order of appearance. A stage with a suppressed flow
 * (`suppressedFlows`) shows the sum of its shown flows with a `+`.
 */
export function stageFlowsChart(transitions: ReportStageTransitions, order: readonly string[] = []): EChartsOption {
  const relabel = <T extends { readonly from: string; readonly to: string }>(f: T): T => ({ ...f, from: stageLabel(f.from), to: stageLabel(f.to) });
  const flows = transitions.flows.filter((f) => f.customers > 0).map(relabel);
  const names = order.map(stageLabel);
  for (const f of flows) for (const n of [f.from, f.to]) if (!names.includes(n)) names.push(n);
  const fromTotals = new Map<string, number>();
  const toTotals = new Map<string, number>();
  for (const f of flows) {
    fromTotals.set(f.from, (fromTotals.get(f.from) ?? 0) + f.customers);
    toTotals.set(f.to, (toTotals.get(f.to) ?? 0) + f.customers);
  }
  const withheld = (transitions.suppressedFlows ?? []).map(relabel);
  const more = (side: 'from' | 'to', name: string) => (withheld.some((f) => f[side] === name) ? '+' : '');
  const node = (side: 'from' | 'to', name: string, count: number) => ({
    id: `${side}:${name}`,
    name: `${name} (${side === 'from' ? transitions.fromLabel : transitions.toLabel})`,
    itemStyle: { color: stageColor(name, names) },
    label: { formatter: literalLabel(`${name} ${formatCount(count)}${more(side, name)}`), position: side === 'from' ? ('right' as const) : ('left' as const) },
  });
  const data = [
    ...names.filter((n) => fromTotals.has(n)).map((n) => node('from', n, fromTotals.get(n)!)),
    ...names.filter((n) => toTotals.has(n)).map((n) => node('to', n, toTotals.get(n)!)),
  ];
  return {
    ...baseOption(),
    tooltip: { trigger: 'item', confine: true },
    title: [
      { text: transitions.fromLabel, left: 8, top: 0, textStyle: { fontSize: 12, color: INK, fontWeight: 'bold' } },
      { text: transitions.toLabel, right: 8, top: 0, textStyle: { fontSize: 12, color: INK, fontWeight: 'bold' } },
    ],
    series: [
      {
        type: 'sankey',
        left: 8,
        right: 8,
        top: 28,
        bottom: 8,
        nodeWidth: 14,
        nodeGap: 10,
        layoutIterations: 0,
        draggable: false,
        emphasis: { focus: 'adjacency' },
        label: { color: INK, fontSize: 11 },
        lineStyle: { color: 'source', opacity: 0.35, curveness: 0.5 },
        data,
        links: flows.map((f) => ({ source: `from:${f.from}`, target: `to:${f.to}`, value: f.customers })),
      },
    ],
  };
}
