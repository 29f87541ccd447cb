/**
 * QA (issue 16, finding 7): in an --as-of run the prospects' propensity horizon was 140 days (half the events' span),
 * yet the propensity fed predicted_clv_12m, a 12-month value, with no word. A horizon shorter than 365 days is now
 * said in a run warning (and in the columns' contracts); a 365-day one says nothing. And with training rows of people
 * known at their cutoff the QA's shop (profiles made at the first purchase) has 1 conversion in 13,305 rows: the
 * prospects get the base rate, which a warning now says with events as it did from profiles alone.
 */
import { describe, expect, it } from 'vitest';
import { eventProspectsBaseRateWarning, prospectHorizonWarning } from '../../src/pipeline/stages/events-stage.js';
import type { ProspectScores } from '../../src/events/score-prospects.js';

const scores = { prospects: 2000, basis: 'events', features: [], horizonDays: 140, cutoffs: ['2023-06-01'], trainingRows: 900, conversions: 60, model: 'logistic regression', coefficients: null, separatedLevels: [], calibration: [], meanPropensity: 0.01, expectedFirstYearValueTotal: 123 } as ProspectScores;

describe('prospectHorizonWarning', () => {
  it('says that a propensity over fewer than 365 days makes the prospects’ predicted_clv_12m a value of conversions within them', () => {
    expect(prospectHorizonWarning(scores)).toBe(
      "prospects: conversion_propensity is the chance of a first purchase within 140 days, not 12 months (half the span of the events, the longest horizon earlier prospects can be seen to convert in), and a prospect's predicted_clv_12m is that propensity × the first-year value of a new customer like them: it leaves out first purchases later in the 12 months, so read it as the value of conversions within 140 days (run.json prospects.horizonDays)",
    );
    expect(prospectHorizonWarning({ ...scores, basis: 'profiles', horizonDays: 90 })).toMatch(/^prospects: conversion_propensity is the chance of a first purchase within 90 days, not 12 months \(half the span of the sign-ups and purchases, /);
  });

  it('says nothing at 365 days, without prospects, or without propensities', () => {
    expect(prospectHorizonWarning({ ...scores, horizonDays: 365 })).toBeNull();
    expect(prospectHorizonWarning({ ...scores, prospects: 0 })).toBeNull();
    expect(prospectHorizonWarning({ ...scores, model: 'none' })).toBeNull();
  });
});

describe('eventProspectsBaseRateWarning', () => {
  // the QA's 20,000-customer shop once training rows are people known at their cutoff: 1 conversion in 13,305 rows
  const baseRate = { ...scores, horizonDays: 365, cutoffs: Array.from({ length: 12 }, () => 'c'), trainingRows: 13305, conversions: 1, model: 'base rate', meanPropensity: 1 / 13305 } as ProspectScores;

  it('says that every prospect got the base rate, and why, when no model could be fitted on the events', () => {
    expect(eventProspectsBaseRateWarning(baseRate)).toBe(
      '2,000 prospects all get the base rate as conversion_propensity (0.0075%): of 13,305 earlier prospects known at a cutoff (a person once per monthly cutoff, 12 cutoffs), 1 bought within 365 days, too few conversions or non-conversions (under 10 each) to fit a model on behaviour and profile (a shop that makes the profile at the first purchase has few earlier prospects who bought)',
    );
    expect(eventProspectsBaseRateWarning({ ...baseRate, trainingRows: 0, conversions: 0, cutoffs: [] })).toBe(
      '2,000 prospects all get conversion_propensity 0 and no interval: no earlier prospect (a profile signed up, or a login, before a cutoff 365 days before the as-of date) to learn from',
    );
  });

  it('says nothing with a model, without prospects, or from profiles alone (profileProspectsWarning says it there)', () => {
    expect(eventProspectsBaseRateWarning(scores)).toBeNull();
    expect(eventProspectsBaseRateWarning({ ...baseRate, prospects: 0 })).toBeNull();
    expect(eventProspectsBaseRateWarning({ ...baseRate, basis: 'profiles' })).toBeNull();
  });
});
