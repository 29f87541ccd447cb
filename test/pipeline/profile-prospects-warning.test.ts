/**
 * The warning of prospects scored from profiles alone with no model (events-stage.ts profileProspectsWarning) names
 * how events are given in the words of the run: `--events` for the CLI, `POST /api/events` for a run started through
 * the API (it said --events to both).
 */
import { describe, expect, it } from 'vitest';
import { profileProspectsWarning } from '../../src/pipeline/stages/events-stage.js';
import type { ProspectScores } from '../../src/events/score-prospects.js';
import { runWords } from '../../src/core/run-words.js';

const none = { prospects: 12, basis: 'profiles', features: [], horizonDays: 90, cutoffs: [], trainingRows: 0, conversions: 0, model: 'none', coefficients: null, separatedLevels: [], calibration: [], meanPropensity: Number.NaN, expectedFirstYearValueTotal: 0 } as ProspectScores;

describe('profileProspectsWarning', () => {
  it('says how events are given: --events (CLI), POST /api/events (API)', () => {
    const head = '12 prospects (profiles without a purchase, no events) have no conversion_propensity and no predicted_clv_12m: no profile was signed up before a cutoff 90 days before the as-of date, so there are no earlier prospects to learn from';
    expect(profileProspectsWarning(none, runWords(false))).toBe(`${head} (a sign-up date in the profiles, or --events, lets clvkit score them)`);
    expect(profileProspectsWarning(none, runWords(true))).toBe(`${head} (a sign-up date in the profiles, or events sent to POST /api/events, lets clvkit score them)`);
  });

  it('says nothing when a model was fitted or there are no prospects', () => {
    expect(profileProspectsWarning({ ...none, model: 'logistic regression' }, runWords(true))).toBeNull();
    expect(profileProspectsWarning({ ...none, prospects: 0 }, runWords(true))).toBeNull();
  });
});
