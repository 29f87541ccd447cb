/**
 * Regression (a data scientist's trial): the CLV intervals' number of parameter draws — 65 on Online Retail, as few as
 * 20 on large shops — was in run.json's `valueModel.clv.intervalDraws` alone; analyze's summary line and the report
 * showed the intervals without it. Both now state it (or that there are none).
 */
import { describe, expect, it } from 'vitest';
import { describeClvIntervalDraws } from '../../src/core/clv-totals.js';
import { renderModelSection } from '../../src/report/sections/model-section.js';
import type { ReportModelCard } from '../../src/report/report-data.js';
import { fixtureReportData } from '../report/report-fixture.js';

describe('the CLV intervals state their number of draws', () => {
  it('in words for the summary line: the level and the draws, or that there are none', () => {
    expect(describeClvIntervalDraws({ intervalLevel: 0.9, intervalDraws: 100 })).toBe('per-customer 90% intervals from 100 parameter draws');
    expect(describeClvIntervalDraws({ intervalLevel: 0.9, intervalDraws: 0, intervalsSkipped: 'no intervals: …' })).toBe('no per-customer intervals (run.json valueModel.clv.intervalsSkipped says why)');
    expect(describeClvIntervalDraws({ intervalLevel: 0.9 })).toBe('');
  });

  it('in the report, where the intervals are said to come from parameter uncertainty', () => {
    const data = fixtureReportData(50);
    const card = { ...data.modelCard!, clv: { ...data.modelCard!.clv!, intervalDraws: 100 } } as ReportModelCard;
    expect(renderModelSection(data, card).html).toContain('per-customer 90% intervals come from parameter uncertainty (100 parameter draws)');
  });
});
