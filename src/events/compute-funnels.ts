/**
 * The session funnel view → add to cart → purchase (issue 16 item 3), over
 * the sessions of `buildEventSessions`: overall and per segment, lifecycle
 * stage, acquisition channel and cohort. The steps are nested, so they add
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
  /** purchased ÷ sessions */
  readonly conversionRate: number;
  /** sessions whose last search had no view after it */
  readonly searchesWithoutView: number;
  /** sessions with a cart add and no purchase */
  readonly cartsAbandoned: number;
  /** sessions that ended in an order without a cart add recorded (outside the nested funnel) */
  readonly purchasedWithoutCart: number;
}

export interface Funnels {
  readonly overall: FunnelRow;
  readonly bySegment: readonly FunnelRow[];
  readonly byStage: readonly FunnelRow[];
  readonly byChannel: readonly FunnelRow[];
  readonly byCohort: readonly FunnelRow[];
}

const ANONYMOUS = '(anonymous)';

async function funnelRows(warehouse: Warehouse, groupSql: string, joinSql: string): Promise<FunnelRow[]> {
  const rows = await warehouse.query(`
    WITH f AS (
      SELECT ${groupSql} AS grp, s.person, s.views > 0 AS viewed, s.views > 0 AND s.cart_adds > 0 AS carted, s.views > 0 AND s.cart_adds > 0 AND s.purchased AS bought,
        s.last_search_ts IS NOT NULL AND (s.last_view_ts IS NULL OR s.last_view_ts < s.last_search_ts) AS lost_search,
        s.cart_adds > 0 AND NOT s.purchased AS abandoned, s.purchased AND s.cart_adds = 0 AS bought_without_cart
      FROM ${SESSIONS_TABLE} s ${joinSql}
    )
    SELECT grp, count(DISTINCT person) AS people, count(*) AS sessions,
      count(*) FILTER (WHERE viewed) AS viewed, count(DISTINCT person) FILTER (WHERE viewed) AS people_viewed,
      count(*) FILTER (WHERE carted) AS carted, count(DISTINCT person) FILTER (WHERE carted) AS people_carted,
      count(*) FILTER (WHERE bought) AS bought, count(DISTINCT person) FILTER (WHERE bought) AS people_bought,
      count(*) FILTER (WHERE lost_search) AS lost_search, count(*) FILTER (WHERE abandoned) AS abandoned, count(*) FILTER (WHERE bought_without_cart) AS bought_without_cart
    FROM f GROUP BY grp ORDER BY grp`);
  return rows.map((r) => {
    const n = (key: string) => Number(r[key]);
    const step = (count: string, people: string, of: number): FunnelStep => {
      const interval = wilsonInterval(n(count), of);
      return { sessions: n(count), people: n(people), rate: of > 0 ? n(count) / of : Number.NaN, rateLow: interval.low, rateHigh: interval.high };
    };
    return {
      group: String(r.grp),
      people: n('people'),
      sessions: n('sessions'),
      viewed: step('viewed', 'people_viewed', n('sessions')),
      carted: step('carted', 'people_carted', n('viewed')),
      purchased: step('bought', 'people_bought', n('carted')),
      conversionRate: n('sessions') > 0 ? n('bought') / n('sessions') : Number.NaN,
      searchesWithoutView: n('lost_search'),
      cartsAbandoned: n('abandoned'),
      purchasedWithoutCart: n('bought_without_cart'),
    };
  });
}

/** The funnels; a breakdown whose table the run did not write (segments skipped, no profiles) is empty. */
export async function computeFunnels(warehouse: Warehouse): Promise<Funnels> {
  const anonymous = warehouse.dialect.literal(ANONYMOUS);
  const by = async (table: string, column: string, alias: string) =>
    (await tableExists(warehouse, table)) ? funnelRows(warehouse, `COALESCE(CAST(${alias}.${column} AS VARCHAR), CASE WHEN s.customer_id IS NULL THEN ${anonymous} ELSE '(none)' END)`, `LEFT JOIN ${table} ${alias} ON ${alias}.customer_id = s.customer_id`) : [];
  const [overall] = await funnelRows(warehouse, `'all'`, '');
  return {
    overall: overall!,
    bySegment: await by('customer_rfm', 'segment', 'g'),
    byStage: await by('customer_stages', 'stage', 'g'),
    byChannel: Number((await warehouse.query('SELECT count(acquisition_channel) AS n FROM customers'))[0]!.n) > 0 ? await by('customers', 'acquisition_channel', 'g') : [],
    byCohort: await by('customer_cohorts', 'cohort', 'g'),
  };
}
