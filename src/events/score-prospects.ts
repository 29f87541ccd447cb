/**
 * The value of prospects (issue 16 item 6): people known to the shop — a
 * profile in `customers`, or a customer id on events (after stitching) — who
 * have not bought by the as-of date.
 *
 * Conversion propensity: a logistic regression (`fitLinearModel`, L2) on
 * behaviour and profile, trained on earlier prospects: at monthly cutoffs
 * (every 30 days back from the as-of date less the horizon, at most 12), each
 * person known and not yet a buyer at the cutoff is a row, labelled 1 when
 * their first purchase came within the horizon after it. The horizon is 365
 * days, or half the span of the events when shorter (a run warning says so:
 * predicted_clv_12m then counts first purchases within it only). Features at
 * a cutoff: has a profile, days since sign-up, days since the first and the
 * last session, sessions in all and in the last 30 days, views and cart adds
 * in the last 30 days, acquisition cost (missing values imputed at the mean).
 *
 * A training row holds what was known at its cutoff (QA, issue 16 finding 7:
 * future buyers who browsed anonymously and signed up at their first purchase
 * were "known" at every earlier cutoff through links made later, 1,744 rows
 * on a 20,000-customer shop, every one converted): a person is known at a
 * cutoff when a profile was signed up or an event carried their own customer
 * id before it (`known_ts`); their sessions before it count when their own,
 * or when stitched through a visitor id linked to them before it (the
 * session's `linked_ts`, build-event-sessions.ts: a session of a visitor id
 * linked after the cutoff was not known as theirs then). Each visitor id
 * (device) counts from its own link: with ids A linked before the cutoff and
 * B after it, A's sessions count — its anonymous ones from before its link
 * too, as stitching gives a linked id's earlier events to the customer — and
 * B's do not (before, one link time per person, the last, held back the
 * stitched sessions of all their ids). Today's prospects use every link made
 * by the as-of date.
 *
 * Calibration: people are split by the MD5 of their token (`heldOutSql`:
 * the same people on every engine); 30% are held out, the model fitted on
 * the rest scores them as today's prospects are scored (`scoreAsDeployed`:
 * its separated levels at its base rate), and predicted vs actual
 * conversions are compared by decile. The model scoring today's prospects is
 * then refitted on all rows.
 *
 * Expected first-year value = propensity × the first-year value of a new
 * customer like them: the mean net spend (× margin) in the first 365 days of
 * buyers of the same acquisition channel whose first purchase is at least a
 * year before the as-of date (all such buyers when a channel has fewer than
 * 20; the mean spend to date of every buyer when no one has a full year).
 * Not discounted. With fewer than 10 converting and 10 non-converting rows
 * no model is fitted: every prospect gets the observed conversion rate. A
 * level of a binary feature at which every training row converted (complete
 * separation, e.g. no profile when profiles are created at the first
 * purchase) has no estimable effect: the prospects at that level get the
 * observed conversion rate too (separated-levels.ts), and the run warns.
 *
 * Today's prospects are everyone known at the as-of date who has not bought:
 * a profile signed up by then, a profile without a sign-up date (sign-up
 * unknown: a prospect, as in the lifecycle stages, but never a training row,
 * as nobody knows since when), or a customer id seen in sessions.
 *
 * Without events (`basis: 'profiles'`, `scoreProspectsFromProfiles` in
 * run-events.ts) the same model is trained on the profile features alone
 * (`PROFILE_PROSPECT_FEATURES`: days since sign-up, acquisition cost), and
 * the span that sets the horizon and the cutoffs runs from the later of the
 * first sign-up and the first purchase (before the first purchase on file
 * nobody can be seen to convert). When no profile was signed up before a
 * cutoff there are no earlier prospects to learn from: the propensity (and
 * the expected value) is left empty (NULL), never a made-up 0.
 *
 * Writes `customer_prospects` (customer_id, conversion_propensity,
 * new_customer_value, expected_first_year_value and its parameter-uncertainty
 * interval _low / _high) with the same TypeScript on both engines
 * (prospect-value.ts); an engine gives only the compact inputs (the
 * new-customer value groups, the prospects' channels).
 */
import { addDays, daysBetween } from '../core/calendar-days.js';
import type { Warehouse } from '../engine/warehouse.js';
import { fitLinearModel, linearModelCovariance, predictLinearModel } from '../models/learned/linear-model.js';
import { newCustomerValues, valueGroup, writeProspectTable, type NewCustomerValues, type PropensityUncertainty } from './prospect-value.js';
import { SESSIONS_TABLE } from './build-event-sessions.js';
import { convertedOnlyLevels, type SeparatedLevel } from './separated-levels.js';
import { currentCustomersSql } from '../engine/current-customers.js';
import { duckdbDialect, type SqlDialect } from '../engine/sql-dialect.js';

export const PROSPECT_FEATURES = ['has_profile', 'days_since_signup', 'days_since_first_session', 'days_since_last_session', 'sessions', 'sessions_30d', 'views_30d', 'cart_adds_30d', 'acquisition_cost'] as const;

/** The features of a model trained without events: what a profile alone tells (every training row has a profile). */
export const PROFILE_PROSPECT_FEATURES = ['days_since_signup', 'acquisition_cost'] as const;

/** What the prospects were scored from: events and profiles, or profiles alone (no events ingested). */
export type ProspectBasis = 'events' | 'profiles';

export interface ProspectDecile {
  readonly decile: number;
  readonly rows: number;
  readonly predicted: number;
  readonly actual: number;
}

export interface ProspectScores {
  readonly prospects: number;
  /** 'events' (behaviour and profile) or 'profiles' (no events: the profile features alone) */
  readonly basis: ProspectBasis;
  /** the features the model was trained on (PROSPECT_FEATURES, or PROFILE_PROSPECT_FEATURES without events) */
  readonly features: readonly string[];
  readonly horizonDays: number;
  readonly cutoffs: readonly string[];
  readonly trainingRows: number;
  readonly conversions: number;
  /** 'logistic regression', or 'base rate' when there were too few conversions or non-conversions, or 'none' (profiles alone, no training rows: propensities empty) */
  readonly model: 'logistic regression' | 'base rate' | 'none';
  readonly coefficients: Readonly<Record<string, number>> | null;
  /** levels of a binary feature at which every training row converted: today's prospects there get the base rate (separated-levels.ts) */
  readonly separatedLevels: readonly SeparatedLevel[];
  /** predicted vs actual conversions per decile of the held-out rows (empty with the base rate) */
  readonly calibration: readonly ProspectDecile[];
  readonly meanPropensity: number;
  readonly expectedFirstYearValueTotal: number;
}

/** ⌈0.3 · 2^128⌉ as 32 hex digits: an MD5 below it, read as a fraction of 2^128, is below 0.3 */
export const HELD_OUT_MD5_BELOW = '4ccccccccccccccccccccccccccccccd';

/**
 * True for the rows held out for the calibration: those whose token's MD5, read as a fraction of 2^128, is below 0.3
 * — 30% of the people, every row of a person on the same side, and the same people on every engine (the dialect's
 * `md5` is the same lowercase hex on DuckDB and ClickHouse, and hex texts of one length compare as their numbers).
 * Each engine's own hash (DuckDB's `hash`, ClickHouse's `cityHash64`) held out other people, so the calibration
 * deciles differed between the engines.
 *
 * Example: `heldOutSql(duckdbDialect)` → `md5(customer_id) < '4ccccccccccccccccccccccccccccccd'`
 */
export function heldOutSql(d: Pick<SqlDialect, 'md5' | 'literal'>): string {
  return `${d.md5('customer_id')} < ${d.literal(HELD_OUT_MD5_BELOW)}`;
}

function featuresSql(cutoffs: readonly string[], horizonDays: number, current = false): string {
  const cut = cutoffs.map((c) => `(DATE '${c}')`).join(', ');
  const c = 'CAST(cut.c AS TIMESTAMP) + INTERVAL 1 DAY';
  // known at the cutoff (a profile signed up or an own-id event before it), with the sessions known as theirs then
  // (their own, or stitched through a visitor id linked before it): see the file header
  return `
    SELECT p.customer_id, cut.c AS cutoff,
      CASE WHEN p.signup_ts < ${c} THEN 1 ELSE 0 END AS has_profile,
      CASE WHEN p.signup_ts < ${c} THEN date_diff('day', p.signup_ts, cut.c) END AS days_since_signup,
      date_diff('day', min(s.start_ts), cut.c) AS days_since_first_session,
      date_diff('day', max(s.start_ts), cut.c) AS days_since_last_session,
      count(s.start_ts) AS sessions,
      count(s.start_ts) FILTER (WHERE s.start_ts >= ${c} - INTERVAL 30 DAY) AS sessions_30d,
      COALESCE(sum(s.views) FILTER (WHERE s.start_ts >= ${c} - INTERVAL 30 DAY), 0) AS views_30d,
      COALESCE(sum(s.cart_adds) FILTER (WHERE s.start_ts >= ${c} - INTERVAL 30 DAY), 0) AS cart_adds_30d,
      p.acquisition_cost,
      CASE WHEN p.first_purchase_ts >= ${c} AND p.first_purchase_ts < ${c} + INTERVAL ${horizonDays} DAY THEN 1 ELSE 0 END AS label
    FROM clv_people p CROSS JOIN (VALUES ${cut}) cut(c)
      LEFT JOIN ${SESSIONS_TABLE} s ON s.customer_id = p.customer_id AND s.start_ts < ${c} AND (NOT s.stitched OR s.linked_ts < ${c})
    WHERE (p.first_purchase_ts IS NULL OR p.first_purchase_ts >= ${c}) AND (p.known_ts < ${c}${current ? ' OR p.signup_ts IS NULL' : ''})
    GROUP BY p.customer_id, cut.c, p.signup_ts, p.acquisition_cost, p.first_purchase_ts`;
}

function columnsOf(rows: readonly Record<string, unknown>[], features: readonly string[]): Float64Array[] {
  return features.map((f) => Float64Array.from(rows, (r) => (r[f] === null || r[f] === undefined ? Number.NaN : Number(r[f]))));
}

export interface ScoreProspectsOptions {
  readonly asOf: string;
  /** share of spend kept as margin (default 1) */
  readonly margin?: number;
  /** 'events' (default: sessions built) or 'profiles' (no events: an empty sessions table, the profile features alone) */
  readonly basis?: ProspectBasis;
}

/**
 * The statements of the prospects step that an engine spells its own way
 * (the ClickHouse ones: clickhouse-prospects.ts); the model between them is
 * the same TypeScript on both engines.
 */
export interface ProspectSql {
  /**
   * writes `clv_people` (customer_id, signup_ts, acquisition_channel, acquisition_cost, first_purchase_ts, known_ts —
   * the earlier of the sign-up and the first event carrying the customer's own id —): everyone known by `end`
   */
  writePeople(warehouse: Warehouse, end: string): Promise<void>;
  /** a query giving `first`: the day (YYYY-MM-DD) of the first session */
  readonly firstSessionDay: string;
  /** a query giving `first`: the day (YYYY-MM-DD) of the first sign-up of a profile (NULL without one) */
  readonly firstSignupDay: string;
  /** a query giving `first`: the day (YYYY-MM-DD) of the first purchase (NULL without one) */
  readonly firstPurchaseDay: string;
  /**
   * The feature rows at each cutoff (and their label), one per person known and not yet a buyer there; with
   * `current` (the as-of date's rows) profiles without a sign-up date too.
   */
  features(cutoffs: readonly string[], horizonDays: number, current?: boolean): string;
  /** the new-customer value groups (per acquisition channel and overall, with their standard errors; prospect-value.ts) */
  newCustomerValues(warehouse: Warehouse, end: string, margin: number): Promise<NewCustomerValues>;
  /** a query giving (customer_id, acquisition_channel) of everyone in `clv_people` who has not bought */
  readonly prospectChannels: string;
}

/** DuckDB's statements (the engine-neutral default). */
export const duckdbProspectSql: ProspectSql = {
  async writePeople(warehouse, end) {
    await warehouse.execute(`
      CREATE OR REPLACE TEMP TABLE clv_people AS
      WITH ids AS (SELECT customer_id FROM customers UNION SELECT customer_id FROM ${SESSIONS_TABLE} WHERE customer_id IS NOT NULL),
      buys AS (SELECT customer_id, min(ts) AS first_purchase_ts FROM transactions WHERE NOT is_return AND ts <= ${end} GROUP BY customer_id),
      seen AS (SELECT customer_id, min(ts) AS first_seen_ts FROM events WHERE customer_id IS NOT NULL AND ts <= ${end} GROUP BY customer_id)
      SELECT ids.customer_id, c.signup_ts, c.acquisition_channel, c.acquisition_cost, b.first_purchase_ts, least(c.signup_ts, v.first_seen_ts) AS known_ts
      FROM ids LEFT JOIN ${currentCustomersSql(warehouse.dialect, ['signup_ts', 'acquisition_channel', 'acquisition_cost'])} c ON c.customer_id = ids.customer_id
        LEFT JOIN buys b ON b.customer_id = ids.customer_id LEFT JOIN seen v ON v.customer_id = ids.customer_id
      WHERE c.signup_ts IS NULL OR c.signup_ts <= ${end}`);
  },
  firstSessionDay: `SELECT CAST(min(start_ts) AS DATE)::VARCHAR AS first FROM ${SESSIONS_TABLE}`,
  firstSignupDay: `SELECT CAST(min(signup_ts) AS DATE)::VARCHAR AS first FROM ${currentCustomersSql(duckdbDialect, ['signup_ts'])} cc`,
  firstPurchaseDay: 'SELECT CAST(min(ts) AS DATE)::VARCHAR AS first FROM transactions WHERE NOT is_return',
  features: featuresSql,
  async newCustomerValues(warehouse, end, margin) {
    const value = `COALESCE(amount, 0) * ${margin}`;
    // first-year spend and its means summed whatever the order of the rows (as the KPIs' money sums)
    const d = warehouse.dialect;
    const firstYear = `WITH firsts AS (SELECT customer_id, min(ts) AS first_ts FROM transactions WHERE NOT is_return AND ts <= ${end} GROUP BY customer_id),
      first_year AS (
        SELECT f.customer_id, ${d.orderFreeSum(value)} AS spend FROM firsts f JOIN transactions t ON t.customer_id = f.customer_id AND t.ts < f.first_ts + INTERVAL 365 DAY
        WHERE f.first_ts <= ${end} - INTERVAL 365 DAY GROUP BY f.customer_id
      )`;
    const channels = await warehouse.query(`${firstYear}
      SELECT c.acquisition_channel AS channel, ${d.orderFreeSum('y.spend')} / count(*) AS v, count(*) AS n, ${d.orderFreeSum('y.spend * y.spend')} AS squares
      FROM first_year y LEFT JOIN clv_people c ON c.customer_id = y.customer_id GROUP BY 1`);
    const [year] = await warehouse.query(`${firstYear} SELECT ${d.orderFreeSum('spend')} / NULLIF(count(*), 0) AS v, count(*) AS n, ${d.orderFreeSum('spend * spend')} AS squares FROM first_year`);
    const [toDate] = await warehouse.query(`
      SELECT ${d.orderFreeSum('s')} / NULLIF(count(*), 0) AS v, count(*) AS n, ${d.orderFreeSum('s * s')} AS squares
      FROM (SELECT customer_id, ${d.orderFreeSum(value)} AS s FROM transactions WHERE ts <= ${end} GROUP BY customer_id) t`);
    return newCustomerValues(
      channels.map((r) => ({ channel: r.channel === null ? null : String(r.channel), group: valueGroup(r.v, r.n, r.squares) })),
      valueGroup(year?.v, year?.n, year?.squares),
      valueGroup(toDate?.v, toDate?.n, toDate?.squares),
    );
  },
  prospectChannels: 'SELECT customer_id, acquisition_channel FROM clv_people WHERE first_purchase_ts IS NULL',
};

/**
 * The prospects in `customer_prospects`: how many, their mean conversion propensity (NaN when none has one) and their
 * expected first-year value in all. Exact sums (`orderFreeSum`: each value to 9 decimals, summed as a decimal), not
 * `avg`/`sum` over doubles, whose last digit depended on the order the engine met the rows in (and on its threads).
 */
export async function prospectTotals(warehouse: Warehouse): Promise<Pick<ProspectScores, 'prospects' | 'meanPropensity' | 'expectedFirstYearValueTotal'>> {
  const d = warehouse.dialect;
  const [totals] = await warehouse.query(
    `SELECT count(*) AS n, count(conversion_propensity) AS scored, ${d.orderFreeSum('conversion_propensity')} AS p, ${d.orderFreeSum('expected_first_year_value')} AS v FROM customer_prospects`,
  );
  const scored = Number(totals!.scored);
  return { prospects: Number(totals!.n), meanPropensity: scored > 0 ? Number(totals!.p) / scored : Number.NaN, expectedFirstYearValueTotal: Number(totals!.v ?? 0) };
}

/**
 * The propensities of the rows `columns` as the model fitted on the training rows (`trainingColumns`, `labels`)
 * scores them, with a level at which every training row converted — no estimable effect — at the training rows'
 * conversion rate (separated-levels.ts): today's prospects, and the calibration's held-out rows by the model of the
 * other rows, so that the calibration table is of the scoring in use.
 */
function scoreAsDeployed(model: ReturnType<typeof fitLinearModel>, features: readonly string[], trainingColumns: Float64Array[], labels: Float64Array, columns: Float64Array[]) {
  const rows = columns.length ? columns[0]!.length : 0;
  const propensity = rows ? predictLinearModel(model, columns) : new Float64Array(0);
  const separated = convertedOnlyLevels(features, trainingColumns, labels, columns);
  const rate = labels.reduce((a, b) => a + b, 0) / labels.length;
  separated.affected.forEach((a, i) => {
    if (a) propensity[i] = rate;
  });
  return { propensity, separated };
}

export async function scoreProspects(warehouse: Warehouse, options: ScoreProspectsOptions, sql: ProspectSql = duckdbProspectSql): Promise<ProspectScores> {
  const { asOf } = options;
  const margin = options.margin ?? 1;
  const basis = options.basis ?? 'events';
  const features: readonly string[] = basis === 'events' ? PROSPECT_FEATURES : PROFILE_PROSPECT_FEATURES;
  const end = warehouse.dialect.timestamp(`${asOf}T23:59:59.999`);
  await sql.writePeople(warehouse, end);
  const dayOf = async (query: string) => {
    const [row] = await warehouse.query(query);
    return row?.first ? String(row.first) : null;
  };
  let firstDay: string;
  if (basis === 'events') firstDay = (await dayOf(sql.firstSessionDay)) ?? asOf;
  else {
    // profiles alone: from the later of the first sign-up and the first purchase (none without a sign-up date)
    const signup = await dayOf(sql.firstSignupDay);
    const purchase = await dayOf(sql.firstPurchaseDay);
    firstDay = signup === null ? asOf : purchase !== null && purchase > signup ? purchase : signup;
  }
  const horizonDays = Math.max(1, Math.min(365, Math.floor(daysBetween(firstDay, asOf) / 2)));
  const cutoffs: string[] = [];
  for (let k = 0; k < 12; k++) {
    const cutoff = addDays(asOf, -horizonDays - 30 * k);
    if (cutoff <= firstDay) break;
    cutoffs.push(cutoff);
  }
  const training = cutoffs.length ? await warehouse.query(`SELECT *, ${heldOutSql(warehouse.dialect)} AS held_out FROM (${sql.features(cutoffs, horizonDays)}) f ORDER BY cutoff, customer_id`) : [];
  const current = await warehouse.query(`SELECT * FROM (${sql.features([asOf], horizonDays, true)}) f ORDER BY customer_id`);
  const labels = Float64Array.from(training, (r) => Number(r.label));
  const conversions = labels.reduce((a, b) => a + b, 0);
  const enough = conversions >= 10 && training.length - conversions >= 10;
  let propensity: Float64Array;
  let uncertainty: PropensityUncertainty;
  // the information of the rows counted once per person: one person's rows at successive cutoffs are far from independent
  const rowsPerPerson = training.length ? training.length / new Set(training.map((r) => String(r.customer_id))).size : 1;
  let coefficients: Record<string, number> | null = null;
  let separatedLevels: SeparatedLevel[] = [];
  const calibration: ProspectDecile[] = [];
  if (enough) {
    const fit = (rows: readonly Record<string, unknown>[]) => fitLinearModel({ columns: columnsOf(rows, features), label: Float64Array.from(rows, (r) => Number(r.label)) }, { family: 'logistic', l2: 1e-2, featureNames: features });
    const train = training.filter((r) => !r.held_out);
    const held = training.filter((r) => r.held_out);
    if (held.length >= 10 && train.some((r) => Number(r.label) === 1)) {
      // the held-out rows scored as today's prospects are: by the model of the other rows, its separated levels at their base rate
      const trainLabels = Float64Array.from(train, (r) => Number(r.label));
      const { propensity: predicted } = scoreAsDeployed(fit(train), features, columnsOf(train, features), trainLabels, columnsOf(held, features));
      const order = Array.from(predicted.keys()).sort((a, b) => predicted[a]! - predicted[b]!);
      for (let d = 0; d < 10; d++) {
        const slice = order.slice(Math.floor((d * order.length) / 10), Math.floor(((d + 1) * order.length) / 10));
        calibration.push({ decile: d + 1, rows: slice.length, predicted: slice.reduce((a, i) => a + predicted[i]!, 0), actual: slice.reduce((a, i) => a + Number(held[i]!.label), 0) });
      }
    }
    const model = fit(training);
    coefficients = Object.fromEntries(features.map((f, i) => [f, model.standardisedCoefficients[i]!]));
    const columns = columnsOf(current, features);
    const trainingColumns = columnsOf(training, features);
    const deployed = scoreAsDeployed(model, features, trainingColumns, labels, columns);
    propensity = deployed.propensity;
    const separated = deployed.separated;
    separatedLevels = separated.levels;
    const baseRate = { conversions, rows: training.length, rowsPerPerson };
    const covariance = linearModelCovariance(model, { columns: trainingColumns, label: labels }, rowsPerPerson);
    uncertainty = { kind: 'model', model, covariance, columns, ...(separated.levels.length ? { baseRate: { ...baseRate, affected: separated.affected } } : {}) };
  } else {
    // no rows to learn from: 0 with events (as before), empty (NaN, appended as NULL) from profiles alone
    const rate = training.length ? conversions / training.length : basis === 'profiles' ? Number.NaN : 0;
    propensity = new Float64Array(current.length).fill(rate);
    uncertainty = training.length ? { kind: 'rate', conversions, rows: training.length, rowsPerPerson } : { kind: 'none' };
  }
  const channels = new Map((await warehouse.query(sql.prospectChannels)).map((r) => [String(r.customer_id), r.acquisition_channel ?? null]));
  const prospects = current.map((r, i) => ({ customer_id: r.customer_id, conversion_propensity: Number.isNaN(propensity[i]!) ? null : propensity[i]!, acquisition_channel: channels.get(String(r.customer_id)) ?? null }));
  await writeProspectTable(warehouse, prospects, await sql.newCustomerValues(warehouse, end, margin), uncertainty);
  const totals = await prospectTotals(warehouse);
  return {
    prospects: totals.prospects,
    basis,
    features,
    horizonDays,
    cutoffs,
    trainingRows: training.length,
    conversions,
    model: enough ? 'logistic regression' : basis === 'profiles' && training.length === 0 ? 'none' : 'base rate',
    coefficients,
    separatedLevels,
    calibration,
    meanPropensity: totals.meanPropensity,
    expectedFirstYearValueTotal: totals.expectedFirstYearValueTotal,
  };
}
