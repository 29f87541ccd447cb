/**
 * The "Stages over time" caption says what a run's bars count. An older run.json's series (lifecycle-series.ts' LegacyLifecycleSeries) mixes
 * the period's purchases (new, returning, reactivated), the customers who lapsed in it (counted again in dormant or
 * churned) and the dormant and churned stock, and leaves out customers still active who did not buy that month; the
 * caption said "Each bar is the customer base at the end of a period", so the synth 3,000-customer shop's last bar
 * (about 2,530) read as its customer base (3,000). Runs now write the stages at each period end, which is the
 * customer base (test/lifecycle/stages-over-time-are-the-customer-base.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { renderLifecycleSection } from '../../src/report/sections/lifecycle-section.js';
import { fixtureReportData } from './report-fixture.js';

const caption = (html: string) => {
  const at = html.indexOf('id="chart-lifecycle-series"');
  expect(at).toBeGreaterThan(-1);
  const figure = html.slice(at, html.indexOf('</figure>', at));
  return figure.slice(figure.indexOf('<figcaption>') + '<figcaption>'.length, figure.indexOf('</figcaption>'));
};

describe('Stages over time: the caption says what the bars count', () => {
  it("an older run.json's flow series (new, returning, reactivated, lapsed, dormant, churned): not the customer base", () => {
    const data = fixtureReportData();
    const labels = data.lifecycleSeries!.periodLabels;
    const counts = (v: number) => labels.map(() => v);
    const html = renderLifecycleSection({
      ...data,
      lifecycleSeries: { periodLabels: labels, stages: ['new', 'returning', 'reactivated', 'lapsed', 'dormant', 'churned'].map((name) => ({ name, counts: counts(20) })) },
    })!.html;
    const text = caption(html);
    expect(text).not.toContain('customer base at the end of a period');
    expect(text).toContain('lapsed');
    expect(text).toContain('counted again in dormant or churned');
    expect(text).toContain('customers still active who did not buy in the period are not in the bar, so its height is not the customer base');
  });

  it('a series of stages at each period end (the stages now, over time) keeps the customer-base caption', () => {
    const text = caption(renderLifecycleSection(fixtureReportData())!.html);
    expect(text).toContain('Each bar is the customer base at the end of a period — everyone who had bought by then — split by their stage on that day');
  });
});
