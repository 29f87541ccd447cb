import type { EChartsOption } from 'echarts';
import { SENSITIVITY_CLASSES, type SensitivityClass } from '../../privacy/access/classification.js';
import type { ReportPrivacy } from '../report-data.js';
import { baseOption, INK, MONO_FONT_FAMILY, MUTED, valueAxisStyle } from './chart-theme.js';

/** Strictest class red, public grey: the same in every privacy view. */
export const CLASS_COLORS: Readonly<Record<SensitivityClass, string>> = {
  'personal-sensitive': '#b91c1c',
  personal: '#ea580c',
  internal: '#2563eb',
  public: '#94a3b8',
};

/**
 * What is held, by sensitivity: columns of each warehouse table stacked by
 * class (personal-sensitive, personal, internal, public). Red and orange
 * mark the tables that need protection; the table below says how they get it.
 */
export function privacyClassesChart(privacy: ReportPrivacy): EChartsOption {
  const tables = [...privacy.tables].reverse();
  return {
    ...baseOption(),
    legend: { top: 0, data: [...SENSITIVITY_CLASSES] },
    grid: { left: 120, right: 24, top: 36, bottom: 36 },
    xAxis: { type: 'value', name: 'columns', nameLocation: 'middle', nameGap: 24, minInterval: 1, ...valueAxisStyle(), axisLabel: { color: MUTED } },
    yAxis: { type: 'category', data: tables.map((t) => t.table), axisLabel: { color: INK, fontFamily: MONO_FONT_FAMILY, fontSize: 11 }, axisTick: { show: false } },
    tooltip: { trigger: 'axis', confine: true },
    series: SENSITIVITY_CLASSES.map((cls) => ({
      name: cls,
      type: 'bar',
      stack: 'classes',
      barMaxWidth: 20,
      itemStyle: { color: CLASS_COLORS[cls] },
      data: tables.map((t) => t.columns.filter((c) => c.class === cls).length),
    })),
  };
}
