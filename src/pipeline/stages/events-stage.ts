import { addDays } from '../../core/calendar-days.js';
import { hasEvents, hasProfiles, runEvents, scoreProspectsFromProfiles } from '../../events/run-events.js';
import { clocksDiffer, eventsDataWarnings, readIngestZones } from '../../events/events-data-warnings.js';
import type { ProspectScores } from '../../events/score-prospects.js';
import { requireResult, type AnalysisContext } from '../analysis-context.js';
import { derivedTable } from '../../engine/derived-tables.js';
import type { Stage } from '../stage.js';
import { runWords, type RunWords } from '../../core/run-words.js';
import { plural } from '../../core/plural.js';
import { eventsStageDetail, profileProspectsStageDetail } from './stage-details.js';
import { idsMatchNoBuyer } from './ids-match-no-buyer.js';

const count = (n: number) => n.toLocaleString('en-US');
const percent = (p: number) => `${(100 * p).toFixed(1)}%`;

/**
 * Events and prospects (issue 16): identity stitching, sessions, funnels,
 * buyer types, the online lifecycle, prospects' conversion propensity and
 * value. Runs after the purchase stages (its breakdowns use their tables).
 * Without events, profiles that never bought are still prospects: they are
 * scored from the profile alone (score-prospects.ts, `basis: 'profiles'`),
 * and a warning says so when no model could be fitted.
 */
export const eventsStage: Stage<AnalysisContext> = {
  name: 'events',
  reads: ['events', 'transactions', 'customers', 'customer_scores', 'customer_stages', 'customer_rfm', 'customer_cohorts'],
  writes: ['customer_behaviour', 'customer_prospects'],
  async run(context) {
    const margin = context.options.margin !== undefined ? { margin: context.options.margin } : {};
    // profile or event ids written unlike the transactions' (17850.0 for 17850): every one a prospect, said here
    context.warnings.push(...(await idsMatchNoBuyer(context.warehouse)));
    if (!(await hasEvents(context.warehouse))) {
      // no events: the tables exist, empty, so customers.csv has its columns (buyer_type empty = unknown)
      const profiles = await hasProfiles(context.warehouse);
      for (const table of profiles ? ['customer_behaviour'] : ['customer_behaviour', 'customer_prospects']) {
        const d = context.warehouse.dialect;
        const columns = derivedTable(table).columns.map((c) => `${d.identifier(c.name)} ${c.type}`);
        await context.warehouse.execute(`CREATE OR REPLACE TABLE ${table} (${columns.join(', ')})`);
      }
      if (!profiles) return 'no events';
      const prospects = await scoreProspectsFromProfiles(context.warehouse, { asOf: requireResult(context, 'asOf'), ...margin });
      context.results.prospects = prospects;
      const warning = profileProspectsWarning(prospects, runWords(context.options.api));
      if (warning) context.warnings.push(warning);
      context.warnings.push(...separatedLevelWarnings(prospects));
      const horizon = prospectHorizonWarning(prospects);
      if (horizon) context.warnings.push(horizon);
      return profileProspectsStageDetail(prospects.prospects, prospects.model);
    }
    const valueModel = context.results.valueModel;
    const summary = await runEvents(context.warehouse, {
      asOf: requireResult(context, 'asOf'),
      validationFrom: valueModel ? addDays(valueModel.calibrationEnd, 1) : null,
      ...(context.options.sessionGapMinutes !== undefined ? { sessionGapMinutes: context.options.sessionGapMinutes } : {}),
      ...margin,
    });
    context.results.events = summary;
    context.results.prospects = summary.prospects;
    // what in the input left purchases out of the sessions (clocks, dates without a time, ids, later events): events-data-warnings.ts
    const zones = clocksDiffer(summary.orderPlacement) ? await readIngestZones(context.warehouse) : undefined;
    context.warnings.push(...eventsDataWarnings(summary, { asOf: requireResult(context, 'asOf'), asOfGiven: context.options.asOf !== undefined, words: runWords(context.options.api), ...(zones ? { zones } : {}) }));
    context.warnings.push(...separatedLevelWarnings(summary.prospects));
    for (const warning of [eventProspectsBaseRateWarning(summary.prospects), prospectHorizonWarning(summary.prospects)]) if (warning) context.warnings.push(warning);
    const { stitching, buyerTypes, prospects } = summary;
    return eventsStageDetail(stitching.sessions, stitching.sessionsStitched, buyerTypes === null ? null : buyerTypes.customers, prospects.prospects);
  },
};

/**
 * The warning of prospects scored from profiles alone when no model could be fitted (null when one was, or there are
 * none); how events are given is said in the run's `words` (`--events`, or `POST /api/events` through the API).
 */
export function profileProspectsWarning(prospects: ProspectScores, words: RunWords): string | null {
  if (prospects.prospects === 0 || prospects.model === 'logistic regression') return null;
  const who = `${count(prospects.prospects)} prospects (profiles without a purchase, no events)`;
  if (prospects.model === 'none') {
    return `${who} have no conversion_propensity and no predicted_clv_12m: no profile was signed up before a cutoff ${plural(prospects.horizonDays, 'day')} before the as-of date, so there are no earlier prospects to learn from (a sign-up date in the profiles, or ${words.events}, lets clvkit score them)`;
  }
  const converted = `of ${count(prospects.trainingRows)} earlier profile-only prospects (a person once per monthly cutoff, ${prospects.cutoffs.length} cutoffs), ${count(prospects.conversions)} bought within ${plural(prospects.horizonDays, 'day')}`;
  return `${who} all get the base rate as conversion_propensity (${percent(prospects.meanPropensity)}): ${converted}, too few conversions or non-conversions (under 10 each) to fit a model on their profiles`;
}

/**
 * The warning of prospects scored with events when no model could be fitted (null when one was, or there are none):
 * every prospect gets the training rows' conversion rate. Training rows are people known at a cutoff (score-prospects.ts),
 * so a shop whose profiles are made at the first purchase has hardly an earlier prospect who converted.
 */
export function eventProspectsBaseRateWarning(prospects: ProspectScores): string | null {
  if (prospects.basis !== 'events' || prospects.prospects === 0 || prospects.model !== 'base rate') return null;
  const who = `${count(prospects.prospects)} prospects all get`;
  if (prospects.trainingRows === 0) return `${who} conversion_propensity 0 and no interval: no earlier prospect (a profile signed up, or a login, before a cutoff ${plural(prospects.horizonDays, 'day')} before the as-of date) to learn from`;
  const rate = prospects.conversions / prospects.trainingRows;
  return `${who} the base rate as conversion_propensity (${rate > 0 && rate < 0.001 ? `${(100 * rate).toPrecision(2)}%` : percent(rate)}): of ${count(prospects.trainingRows)} earlier prospects known at a cutoff (a person once per monthly cutoff, ${prospects.cutoffs.length} cutoffs), ${count(prospects.conversions)} bought within ${plural(prospects.horizonDays, 'day')}, too few conversions or non-conversions (under 10 each) to fit a model on behaviour and profile (a shop that makes the profile at the first purchase has few earlier prospects who bought)`;
}

/**
 * The warning of a propensity horizon shorter than the 12 months of predicted_clv_12m (null at 365 days, or when no
 * prospect has a propensity): the horizon is half the span of the history (the events', or with profiles alone the
 * sign-ups' and purchases'), so that earlier prospects can be seen to convert or not within it; a prospect's
 * predicted_clv_12m = propensity × a new customer's first-year value, and so counts first purchases within that
 * horizon only. Not scaled to 12 months: how conversions beyond the horizon come would be a guess the data cannot check.
 */
export function prospectHorizonWarning(prospects: ProspectScores): string | null {
  if (prospects.horizonDays >= 365 || prospects.prospects === 0 || prospects.model === 'none') return null;
  const history = prospects.basis === 'events' ? 'the events' : 'the sign-ups and purchases';
  return `prospects: conversion_propensity is the chance of a first purchase within ${plural(prospects.horizonDays, 'day')}, not 12 months (half the span of ${history}, the longest horizon earlier prospects can be seen to convert in), and a prospect's predicted_clv_12m is that propensity × the first-year value of a new customer like them: it leaves out first purchases later in the 12 months, so read it as the value of conversions within ${plural(prospects.horizonDays, 'day')} (run.json prospects.horizonDays)`;
}

/** How a level of a binary feature reads in a sentence about prospects. */
function levelWords(feature: string, level: number): string {
  if (feature === 'has_profile') return level === 0 ? 'without a profile' : 'with a profile';
  return `with ${feature} = ${level}`;
}

/**
 * One warning per level of a binary feature at which every training row converted (separated-levels.ts) when today's
 * prospects hold it: the training counts, and that those prospects got the base rate in place of the model's.
 */
export function separatedLevelWarnings(prospects: ProspectScores): string[] {
  const rate = prospects.trainingRows > 0 ? prospects.conversions / prospects.trainingRows : Number.NaN;
  return (prospects.separatedLevels ?? [])
    .filter((s) => s.prospects > 0)
    .map((s) => {
      const words = levelWords(s.feature, s.level);
      const who = s.prospects === 1 ? `the 1 prospect ${words} gets` : `the ${count(s.prospects)} prospects ${words} get`;
      return `conversion_propensity: in training all ${count(s.trainingRows)} earlier prospects ${words} (${s.feature} = ${s.level}) converted within ${plural(prospects.horizonDays, 'day')} and none did not (complete separation: the model cannot estimate that level's effect and would call it near-certain, a sign the feature records the conversion itself, e.g. a profile created at the first purchase); ${who} the base rate ${percent(rate)} (${count(prospects.conversions)} of ${count(prospects.trainingRows)} training rows) as conversion_propensity instead`;
    });
}
