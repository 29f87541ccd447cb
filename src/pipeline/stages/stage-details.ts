import { plural } from '../../core/plural.js';

/**
 * The progress details of the analysis stages (the line `clvkit analyze` prints as each stage ends), the counts in
 * agreement with their nouns: `1 lifecycle stage, 1 cohort`, not `1 lifecycle stages, 1 cohorts`.
 */

const count = (n: number) => n.toLocaleString('en-US');

/** The summary stage's detail: `1,234 customers as of 2024-06-30`. */
export function summaryStageDetail(customers: number, asOf: string): string {
  return `${plural(customers, 'customer')} as of ${asOf}`;
}

/** The segments stage's detail: `11 RFM segments, 4 clusters` (the segments that hold a customer). */
export function segmentsStageDetail(rfmSegments: number, clusters: number): string {
  return `${plural(rfmSegments, 'RFM segment')}, ${plural(clusters, 'cluster')}`;
}

/** The lifecycle stage's detail: `6 lifecycle stages, 12 cohorts` (the stages that hold a customer). */
export function lifecycleStageDetail(stages: number, cohorts: number): string {
  return `${plural(stages, 'lifecycle stage')}, ${plural(cohorts, 'cohort')}`;
}

/** The cross-sell stage's counts: `12 rules (3 of lift below 1.2 left out), 5 next-purchase rules`. */
export function crossSellRuleCounts(rules: number, lowLiftRules: number, minLift: number, sequenceRules: number): string {
  return `${plural(rules, 'rule')}${lowLiftRules > 0 ? ` (${lowLiftRules} of lift below ${minLift} left out)` : ''}, ${plural(sequenceRules, 'next-purchase rule')}`;
}

/** The events stage's detail: `1,200 sessions (40 stitched), 30 impulsive / 20 deliberate buyers, 7 prospects`. */
export function eventsStageDetail(sessions: number, stitched: number, buyerTypes: { impulsive: number; deliberate: number } | null, prospects: number): string {
  const types = buyerTypes === null ? 'buyer types not measured' : `${count(buyerTypes.impulsive)} impulsive / ${count(buyerTypes.deliberate)} deliberate buyers`;
  return `${plural(sessions, 'session')} (${count(stitched)} stitched), ${types}, ${plural(prospects, 'prospect')}`;
}

/** The events stage's detail without events: `no events; 7 prospects (profiles without a purchase) scored from their profiles: logistic`. */
export function profileProspectsStageDetail(prospects: number, model: string): string {
  return prospects === 1
    ? `no events; 1 prospect (a profile without a purchase) scored from the profiles: ${model}`
    : `no events; ${count(prospects)} prospects (profiles without a purchase) scored from their profiles: ${model}`;
}

/** The publish stage's detail: `1,234 customers written`. */
export function publishStageDetail(customers: number): string {
  return `${plural(customers, 'customer')} written`;
}
