/**
 * QA: a shop of a few days had "no profile was signed up before a cutoff 1 days before the as-of date". Every such
 * "N days" a number that can be 1 fills is now built with plural() (src/core/plural.ts): the prospects' warnings and
 * the report's propensity tile, the lifecycle stage definitions, campaign evaluate's window, audience create's measure
 * days, the warnings of an as-of or a holdout end after the data, the short-calibration warning; and the playbook's
 * "1 customers eligible for no play".
 */
import { describe, expect, it } from 'vitest';
import type { ProspectScores } from '../../src/events/score-prospects.js';
import { eventProspectsBaseRateWarning, profileProspectsWarning, prospectHorizonWarning } from '../../src/pipeline/stages/events-stage.js';
import { runWords } from '../../src/core/run-words.js';
import { DEFAULT_LIFECYCLE_THRESHOLDS, describeLifecycleStages } from '../../src/lifecycle/lifecycle-stage-rules.js';
import { shortCalibrationWarning } from '../../src/pipeline/value-holdout.js';
import { formatCampaignEvaluation } from '../../src/cli/commands/campaign-command.js';
import type { CampaignEvaluation } from '../../src/actions/evaluate-campaign.js';
import { estimateShareUplift, type UpliftEstimate } from '../../src/actions/estimate-uplift.js';
import { formatAudience } from '../../src/cli/commands/audience-command.js';
import type { AudienceSummary } from '../../src/actions/create-audience.js';
import { formatPlan } from '../../src/cli/commands/playbook-command.js';
import type { PlaybookPlan } from '../../src/actions/run-playbook.js';

const ONE_DAYS = /\b1 days\b/;
const oneDay: ProspectScores = { prospects: 12, basis: 'events', features: [], horizonDays: 1, cutoffs: ['2024-01-01'], trainingRows: 0, conversions: 0, model: 'base rate', coefficients: null, separatedLevels: [], calibration: [], meanPropensity: 0.1, expectedFirstYearValueTotal: 0 } as unknown as ProspectScores;

describe('one day is "1 day"', () => {
  it('in the prospects’ warnings', () => {
    expect(profileProspectsWarning({ ...oneDay, basis: 'profiles', model: 'none' } as ProspectScores, runWords(false))).toContain('no profile was signed up before a cutoff 1 day before the as-of date');
    expect(eventProspectsBaseRateWarning(oneDay)).toContain('before a cutoff 1 day before the as-of date');
    const fewRows = { ...oneDay, trainingRows: 40, conversions: 2 } as ProspectScores;
    expect(eventProspectsBaseRateWarning(fewRows)).toContain('2 bought within 1 day,');
    expect(profileProspectsWarning({ ...fewRows, basis: 'profiles' } as ProspectScores, runWords(false))).toContain('2 bought within 1 day,');
    const horizon = prospectHorizonWarning({ ...oneDay, model: 'logistic regression' } as ProspectScores)!;
    expect(horizon).toContain('a first purchase within 1 day, not 12 months');
    expect(horizon).toContain('conversions within 1 day (run.json');
    for (const text of [horizon, eventProspectsBaseRateWarning(fewRows)!]) expect(text).not.toMatch(ONE_DAYS);
  });

  it('in the lifecycle stage definitions and the short-calibration warning', () => {
    const stages = describeLifecycleStages({ ...DEFAULT_LIFECYCLE_THRESHOLDS, newDays: 1, reactivatedDays: 1, lapseMinDays: 1, churnedAfterDays: 1 }, 1);
    expect(stages.new).toBe('first purchase within the last 1 day');
    expect(stages.active).toContain('(one-time buyers: 1 day)');
    expect(Object.values(stages).join(' ')).not.toMatch(ONE_DAYS);
    const warning = shortCalibrationWarning({ calibrationDays: 0, calibrationEnd: '2024-01-01', holdoutDays: 30 }, { subject: 'the value model is', lengthen: 'x' })!;
    expect(warning).toContain('from at most 1 day of history');
  });

  it('in campaign evaluate’s window and audience create’s measure days', () => {
    const none: UpliftEstimate = { treatment: 0, control: 0, absoluteUplift: 0, absoluteUpliftInterval: [0, 0], relativeUplift: null, relativeUpliftInterval: null, pValue: 1, test: 'permutation', incremental: 0, incrementalInterval: [0, 0] };
    const e = { audience: 'flash', window: { from: '2024-01-01', to: '2024-01-01', days: 1 }, sendDate: '2024-01-01', groups: { treatment: 40, control: 10 }, purchases: none, buyers: estimateShareUplift({ n: 40, count: 0 }, { n: 10, count: 0 }), revenue: null, margin: null, unavailable: {}, roi: null, roiInterval: null, costPerIncrementalBuyer: null, cost: null, warnings: [] } as unknown as CampaignEvaluation;
    expect(formatCampaignEvaluation(e).split('\n')[0]).toBe('campaign flash: 2024-01-01 … 2024-01-01 (1 day from the send date 2024-01-01); 40 treated, 10 control');
    const a = { name: 'flash', members: 50, treatment: 40, control: 10, holdout: 0.2, seed: 1, where: 'TRUE', play: null, sendDate: '2024-01-01', scoresAsOf: '2023-12-31', measureDays: 1 } as unknown as AudienceSummary;
    expect(formatAudience(a)).toContain('; measured over 1 day: its control group');
  });

  it('in the playbook’s count of customers eligible for no play', () => {
    const suppressed = { optedOut: 0, contactedRecently: 0, runningControlGroup: 0, boughtRecently: 1, nextOrderDue: 0 };
    const plan = { playbook: 'default', sendDate: '2023-12-30', seed: 1, budget: null, plays: [], valueBasis: 'value', targeting: null, totals: { customers: 50, members: 0, notDrawn: 49, matchedByNone: 0, treatment: 0, expectedCost: 0, expectedIncrementalValue: 0, expectedRoi: null, suppressed } } as unknown as PlaybookPlan;
    expect(formatPlan(plan)).toContain('suppressed: 1 bought recently (1 customer eligible for no play)');
  });
});
