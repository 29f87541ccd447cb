import { describe, expect, it } from 'vitest';
import { lifecycleChart } from '../../src/report/charts/lifecycle-chart.js';
import { stageColor, stageLabel } from '../../src/report/charts/stage-colors.js';
import { stageCountsChart } from '../../src/report/charts/stage-counts-chart.js';
import { stageFlowsChart } from '../../src/report/charts/stage-flows-chart.js';
import { renderLifecycleSection } from '../../src/report/sections/lifecycle-section.js';
import type { ReportData } from '../../src/report/report-data.js';
import { fixtureReportData } from './report-fixture.js';

/** A report whose stage snapshot and flows carry the stage codes of a run (`at_risk`) and whose series carries an older run.json's words (`At risk`). */
function mixedVocabulary(): ReportData {
  const base = fixtureReportData(500, 7);
  const code = (name: string) => name.toLowerCase().replace(/ /g, '_');
  return {
    ...base,
    stages: { ...base.stages!, stages: base.stages!.stages.map((s) => ({ ...s, name: code(s.name) })) },
    transitions: { ...base.transitions!, flows: base.transitions!.flows.map((f) => ({ ...f, from: code(f.from), to: code(f.to) })) },
  };
}

describe('lifecycle stage words', () => {
  it('are one label per stage, whether the data say at_risk or At risk', () => {
    expect(stageLabel('at_risk')).toBe('at risk');
    expect(stageLabel('At risk')).toBe('at risk');
    expect(stageLabel('churned')).toBe('churned');
    expect(stageColor('at_risk', [])).toBe(stageColor('At risk', []));
  });

  it('print alike in the snapshot, the flows, the series and the definitions table', () => {
    const data = mixedVocabulary();
    const counts = stageCountsChart(data.stages!) as { xAxis: { data: string[] } };
    expect(counts.xAxis.data).toContain('at risk');
    const series = lifecycleChart(data.lifecycleSeries!) as { series: { name: string }[] };
    expect(series.series.map((s) => s.name)).toContain('at risk');
    const flows = JSON.stringify(stageFlowsChart(data.transitions!));
    expect(flows).not.toMatch(/at_risk|At risk/);
    const html = renderLifecycleSection(data)!.html;
    expect(html).not.toMatch(/at_risk|At risk/);
    expect(html).toContain('<td>at risk</td>');
  });
});
