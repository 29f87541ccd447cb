/**
 * The session funnels on ClickHouse (issues 16 and 18): the rows of
 * `computeFunnels` (its doc comment) from the same sessions, written with
 * what ClickHouse 18.16 has: no GROUPING SETS (the overall row and each
 * breakdown are one query each over the per-person table), one JOIN per
 * SELECT on a non-Nullable key, and, since its aliases are global to a
 * query, per-person counts named apart from the sums over them.
 */
import type { Warehouse } from '../engine/warehouse.js';
import { tableExists } from '../features/table-exists.js';
import { SESSIONS_TABLE } from './build-event-sessions.js';
import { ANONYMOUS, toFunnelRow, type Breakdown, type FunnelRow, type Funnels } from './compute-funnels.js';
import { currentCustomersSql } from '../engine/current-customers.js';

const PERSON_COUNTS = `count() AS p_sessions, countIf(views > 0) AS p_viewed, countIf(views > 0 AND cart_adds > 0) AS p_carted,
  countIf(views > 0 AND cart_adds > 0 AND purchased) AS p_bought, countIf(lost_search) AS p_lost_search,
  countIf(cart_adds > 0 AND NOT purchased) AS p_abandoned, countIf(purchased AND cart_adds = 0) AS p_bought_without_cart`;

const FUNNEL_AGGREGATES = `count() AS people, sum(p_sessions) AS sessions,
  sum(p_viewed) AS viewed, countIf(p_viewed > 0) AS people_viewed,
  sum(p_carted) AS carted, countIf(p_carted > 0) AS people_carted,
  sum(p_bought) AS bought, countIf(p_bought > 0) AS people_bought,
  sum(p_lost_search) AS lost_search, countIf(p_lost_search > 0) AS people_lost_search, sum(p_abandoned) AS abandoned,
  sum(p_bought_without_cart) AS bought_without_cart, countIf(p_bought_without_cart > 0) AS people_bought_without_cart`;

const PEOPLE_TABLE = 'clv_funnel_people';

export async function computeFunnelsOnClickHouse(warehouse: Warehouse): Promise<Funnels> {
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE ${PEOPLE_TABLE} AS
    SELECT person, max(customer_id) AS customer_id, min(start_ts) AS first_ts, ${PERSON_COUNTS} FROM ${SESSIONS_TABLE} GROUP BY person`);
  const fallback = `if(isNull(customer_id), '${ANONYMOUS}', '(none)')`;
  const breakdowns: (Breakdown & { readonly table: string | null })[] = [];
  // source: what is read (a customer's current profile for `customers`: one row per customer, current-customers.ts)
  const joined = async (key: Breakdown['key'], table: string, column: string, source = table) => {
    if (await tableExists(warehouse, table)) breakdowns.push({ key, table: source, label: `CAST(${column} AS Nullable(String))`, join: '' });
  };
  await joined('bySegment', 'customer_rfm', 'segment');
  await joined('byStage', 'customer_stages', 'stage');
  if (Number((await warehouse.query('SELECT count(acquisition_channel) AS n FROM customers'))[0]!.n) > 0) await joined('byChannel', 'customers', 'acquisition_channel', `${currentCustomersSql(warehouse.dialect, ['acquisition_channel'])} current_customers`);
  await joined('byCohort', 'customer_cohorts', 'cohort');
  breakdowns.push({ key: 'byFirstSeen', table: null, label: "formatDateTime(first_ts, '%Y-%m')", join: '' });
  const [overall] = await warehouse.query(`SELECT ${FUNNEL_AGGREGATES} FROM ${PEOPLE_TABLE}`);
  const result: Record<Breakdown['key'], FunnelRow[]> = { bySegment: [], byStage: [], byChannel: [], byCohort: [], byFirstSeen: [] };
  for (const b of breakdowns) {
    const people = b.table
      ? `SELECT *, ifNull(label_value, ${fallback}) AS funnel_group FROM (SELECT *, assumeNotNull(customer_id) AS join_customer FROM ${PEOPLE_TABLE}) p
         ALL LEFT JOIN (SELECT customer_id AS join_customer, ${b.label} AS label_value FROM ${b.table}) t USING join_customer`
      : `SELECT *, ${b.label} AS funnel_group FROM ${PEOPLE_TABLE}`;
    const rows = await warehouse.query(`SELECT funnel_group, ${FUNNEL_AGGREGATES} FROM (${people}) f GROUP BY funnel_group`);
    result[b.key] = rows.map((r) => toFunnelRow(String(r.funnel_group), r)).sort((a, c) => (a.group < c.group ? -1 : a.group > c.group ? 1 : 0));
  }
  return { overall: toFunnelRow('all', overall!), ...result };
}
