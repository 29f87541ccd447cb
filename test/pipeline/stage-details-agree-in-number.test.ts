import { describe, expect, it } from 'vitest';
import {
  crossSellRuleCounts,
  eventsStageDetail,
  lifecycleStageDetail,
  profileProspectsStageDetail,
  publishStageDetail,
  segmentsStageDetail,
  summaryStageDetail,
} from '../../src/pipeline/stages/stage-details.js';
import { ingestStageDetail } from '../../src/pipeline/stages/ingest-stage.js';
import { modelsSkippedWarning } from '../../src/pipeline/stages/value-stage.js';
import type { HeadlineStats } from '../../src/features/headline-stats.js';

// `clvkit analyze` printed "1 lifecycle stages, 1 cohorts": each stage's progress line says a count of one in the singular
describe('stage progress details agree in number', () => {
  it('lifecycle: one stage, one cohort in the singular; more in the plural', () => {
    expect(lifecycleStageDetail(1, 1)).toBe('1 lifecycle stage, 1 cohort');
    expect(lifecycleStageDetail(6, 12)).toBe('6 lifecycle stages, 12 cohorts');
  });

  it('segments: one RFM segment, one cluster', () => {
    expect(segmentsStageDetail(1, 1)).toBe('1 RFM segment, 1 cluster');
    expect(segmentsStageDetail(11, 4)).toBe('11 RFM segments, 4 clusters');
  });

  it('cross-sell: one rule, one next-purchase rule', () => {
    expect(crossSellRuleCounts(1, 0, 1.2, 1)).toBe('1 rule, 1 next-purchase rule');
    expect(crossSellRuleCounts(12, 3, 1.2, 0)).toBe('12 rules (3 of lift below 1.2 left out), 0 next-purchase rules');
  });

  it('events: one session, one prospect; one buyer of a type', () => {
    expect(eventsStageDetail(1, 0, { impulsive: 1, deliberate: 0 }, 1)).toBe('1 session (0 stitched), 1 impulsive / 0 deliberate buyers, 1 prospect');
    expect(eventsStageDetail(1200, 40, null, 7)).toBe('1,200 sessions (40 stitched), buyer types not measured, 7 prospects');
    expect(profileProspectsStageDetail(1, 'base rate')).toBe('no events; 1 prospect (a profile without a purchase) scored from the profiles: base rate');
    expect(profileProspectsStageDetail(2500, 'logistic')).toBe('no events; 2,500 prospects (profiles without a purchase) scored from their profiles: logistic');
  });

  it('summary and publish: one customer', () => {
    expect(summaryStageDetail(1, '2024-06-30')).toBe('1 customer as of 2024-06-30');
    expect(summaryStageDetail(1234, '2024-06-30')).toBe('1,234 customers as of 2024-06-30');
    expect(publishStageDetail(1)).toBe('1 customer written');
    expect(publishStageDetail(1234)).toBe('1,234 customers written');
  });

  it('ingest: one row read', () => {
    expect(ingestStageDetail({ rowsRead: 1, accepted: 1, quarantined: 0 })).toBe('1 row read, 1 accepted, 0 quarantined');
    expect(ingestStageDetail({ rowsRead: 233996, accepted: 233224, quarantined: 772 })).toBe('233,996 rows read, 233,224 accepted, 772 quarantined');
  });

  it('value models skipped: one customer', () => {
    const headline = { customers: 1, repeatCustomers: 0 } as HeadlineStats;
    expect(modelsSkippedWarning(headline)).toBe('value models skipped: 1 customer, 0 with repeat purchases; the models need at least 50 and 10');
  });
});
