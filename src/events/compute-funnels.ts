/**
 * The session funnel view → add to cart → purchase (issue 16 item 3), over
 * the sessions of `buildEventSessions`: overall and per segment, lifecycle
 * stage, acquisition channel, cohort (first-purchase month) and first-seen
 * month. The steps are nested, so they add
 * up: every session is counted once, at the deepest step it reached —
 * sessions = viewed + left before a view; viewed = carted + left after
 * viewing; carted = purchased + carts abandoned. Each step's rate (of the
 * step before) has a 95% Wilson interval. Also per group: sessions whose
 * last search had no view after it, and carts abandoned (a cart add, no
 * purchase).
 *
 * Groups are of people (a customer after stitching, else a visitor);
 * sessions without a customer fall in the group `(anonymous)`. `people*`
 * fields count the distinct people behind each step, for suppression.
 */
import type { Warehouse } from '../engine/warehouse.js';
import { tableExists } from '../features/table-exists.js';
import { wilsonInterval } from '../math/wilson-interval.js';
import { SESSIONS_TABLE } from './build-event-sessions.js';
import { currentCustomersSql } from '../engine/current-customers.js';

export interface FunnelStep {
  readonly sessions: number;
  /** distinct people behind the sessions of this step */
  readonly people: number;
  /** share of the step before (of all sessions for the first step) */
  readonly rate: number;
  readonly rateLow: number;
  readonly rateHigh: number;
}

export interface FunnelRow {
  readonly group: string;
  readonly people: number;
  readonly sessions: number;
  readonly viewed: FunnelStep;
  readonly carted: FunnelStep;
  readonly purchased: FunnelStep;
  /** purchased ÷ sessions, with its 95% Wilson interval */
  readonly conversionRate: number;
  readonly conversionLow: number;
  readonly conversionHigh: number;
  /** sessions whose last search had no view after it */
  readonly searchesWithoutView: number;
  /** distinct people behind `searchesWithoutView` (for suppression: a count of sessions is not one of people; not published) */
  readonly searchesWithoutViewPeople?: number;
  /** sessions with a cart add and no purchase */
  readonly cartsAbandoned: number;
  /** sessions that ended in an order without a cart add recorded (outside the nested funnel) */
  readonly purchasedWithoutCart: number;
  /** distinct people behind `purchasedWithoutCart` (for suppression; not published) */
  readonly purchasedWithoutCartPeople?: number;
}

export interface Funnels {
  readonly overall: FunnelRow;
  readonly bySegment: readonly FunnelRow[];
  readonly byStage: readonly FunnelRow[];
  readonly byChannel: readonly FunnelRow[];
  /** by first-purchase month (the lifecycle cohorts); people who have not bought are `(none)`, sessions without a customer `(anonymous)` */
  readonly byCohort: readonly FunnelRow[];
  /** by the month a person (customer after stitching, else visitor) was first seen: their first session */
  readonly byFirstSeen: readonly FunnelRow[];
}

export const ANONYMOUS = '(anonymous)';

/** One breakdown: the label of a session's group (NULL: not in this breakdown's table), and the join that gives it. */
export interface Breakdown {
  readonly key: Exclude<keyof Funnels, 'overall'>;
  readonly label: string;
  readonly join: string;
}

/** The funnel columns of one group of sessions `f`, as conditional aggregates. */
/** Per person (their customer: the largest customer id of their sessions — one, but for a visitor whose own and stitched ids differ): session counts at each step, as conditional aggregates over their sessions. */
const PERSON_COUNTS = `count(*) AS sessions, count(*) FILTER (WHERE s.views > 0) AS viewed, count(*) FILTER (WHERE s.views > 0 AND s.cart_adds > 0) AS carted,
  count(*) FILTER (WHERE s.views > 0 AND s.cart_adds > 0 AND s.purchased) AS bought, count(*) FILTER (WHERE s.lost_search) AS lost_search,
  count(*) FILTER (WHERE s.cart_adds > 0 AND NOT s.purchased) AS abandoned, count(*) FILTER (WHERE s.purchased AND s.cart_adds = 0) AS bought_without_cart`;

/** Per group of people (one row each): the sums of their counts, and the people reaching each step. */
const FUNNEL_AGGREGATES = `count(*) AS people, sum(sessions) AS sessions,
  sum(viewed) AS viewed, count(*) FILTER (WHERE viewed > 0) AS people_viewed,
  sum(carted) AS carted, count(*) FILTER (WHERE carted > 0) AS people_carted,
  sum(bought) AS bought, count(*) FILTER (WHERE bought > 0) AS people_bought,
  sum(lost_search) AS lost_search, count(*) FILTER (WHERE lost_search > 0) AS people_lost_search, sum(abandoned) AS abandoned,
  sum(bought_without_cart) AS bought_without_cart, count(*) FILTER (WHERE bought_without_cart > 0) AS people_bought_without_cart`;

export function toFunnelRow(group: string, r: Record<string, unknown>): FunnelRow {
  const n = (key: string) => Number(r[key]);
  const step = (count: string, people: string, of: number): FunnelStep => {
    const interval = wilsonInterval(n(count), of);
    return { sessions: n(count), people: n(people), rate: of > 0 ? n(count) / of : Number.NaN, rateLow: interval.low, rateHigh: interval.high };
  };
  const conversion = wilsonInterval(n('bought'), n('sessions'));
  return {
    group,
    people: n('people'),
    sessions: n('sessions'),
    viewed: step('viewed', 'people_viewed', n('sessions')),
    carted: step('carted', 'people_carted', n('viewed')),
    purchased: step('bought', 'people_bought', n('carted')),
    conversionRate: n('sessions') > 0 ? n('bought') / n('sessions') : Number.NaN,
    conversionLow: conversion.low,
    conversionHigh: conversion.high,
    searchesWithoutView: n('lost_search'),
    searchesWithoutViewPeople: n('people_lost_search'),
    cartsAbandoned: n('abandoned'),
    purchasedWithoutCart: n('bought_without_cart'),
    purchasedWithoutCartPeople: n('people_bought_without_cart'),
  };
}

/**
 * The funnels, in one pass over the sessions: their counts per person, then
 * GROUPING SETS over the people give the overall row and every breakdown at
 * once (the breakdowns are attributes of people). A breakdown whose table the run did not
 * write (segments skipped, no profiles) is empty.
 */
export async function computeFunnels(warehouse: Warehouse): Promise<Funnels> {
  const d = warehouse.dialect;
  const fallback = `CASE WHEN p.customer_id IS NULL THEN ${d.literal(ANONYMOUS)} ELSE '(none)' END`;
  const breakdowns: Breakdown[] = [];
  // source: what is joined (a customer's current profile for `customers`: one row per customer, current-customers.ts)
  const joined = async (key: Breakdown['key'], table: string, column: string, alias: string, source = table) => {
    if (await tableExists(warehouse, table)) breakdowns.push({ key, label: `COALESCE(CAST(${alias}.${column} AS VARCHAR), ${fallback})`, join: `LEFT JOIN ${source} ${alias} ON ${alias}.customer_id = p.customer_id` });
  };
  await joined('bySegment', 'customer_rfm', 'segment', 'g_segment');
  await joined('byStage', 'customer_stages', 'stage', 'g_stage');
  if (Number((await warehouse.query('SELECT count(acquisition_channel) AS n FROM customers'))[0]!.n) > 0) await joined('byChannel', 'customers', 'acquisition_channel', 'g_channel', currentCustomersSql(d, ['acquisition_channel']));
  await joined('byCohort', 'customer_cohorts', 'cohort', 'g_cohort');
  // the month a person was first seen (their first session), for everyone, anonymous visitors included
  breakdowns.push({ key: 'byFirstSeen', label: `strftime(p.first_ts, '%Y-%m')`, join: '' });
  const labels = breakdowns.map((b, i) => `${b.label} AS g${i}`).join(', ');
  const rows = await warehouse.query(`
    WITH p AS (SELECT s.person, max(s.customer_id) AS customer_id, min(s.start_ts) AS first_ts, ${PERSON_COUNTS} FROM ${SESSIONS_TABLE} s GROUP BY s.person),
    f AS (SELECT ${labels}, p.* FROM p ${breakdowns.map((b) => b.join).join(' ')})
    SELECT GROUPING(${breakdowns.map((_, i) => `g${i}`).join(', ')}) AS grouping_id, ${breakdowns.map((_, i) => `g${i}`).join(', ')}, ${FUNNEL_AGGREGATES}
    FROM f GROUP BY GROUPING SETS ((), ${breakdowns.map((_, i) => `(g${i})`).join(', ')})`);
  const all = (1 << breakdowns.length) - 1;
  const overall = rows.find((r) => Number(r.grouping_id) === all);
  const of = (i: number) =>
    rows
      .filter((r) => Number(r.grouping_id) === all - (1 << (breakdowns.length - 1 - i)))
      .map((r) => toFunnelRow(String(r[`g${i}`]), r))
      .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
  const empty = { bySegment: [], byStage: [], byChannel: [], byCohort: [], byFirstSeen: [] };
  return {
    overall: overall ? toFunnelRow('all', overall) : toFunnelRow('all', { people: 0, sessions: 0, viewed: 0, people_viewed: 0, carted: 0, people_carted: 0, bought: 0, people_bought: 0, lost_search: 0, people_lost_search: 0, abandoned: 0, bought_without_cart: 0, people_bought_without_cart: 0 }),
    ...empty,
    ...Object.fromEntries(breakdowns.map((b, i) => [b.key, of(i)])),
  };
}
