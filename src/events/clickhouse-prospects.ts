/**
 * The prospects step's statements on ClickHouse (issues 16 and 18): the
 * same rows as DuckDB's (`duckdbProspectSql` in score-prospects.ts), written
 * with what ClickHouse 18.16 has. The cutoffs are an `ARRAY JOIN` of
 * literal dates (DuckDB: a VALUES list); a person's sessions before a
 * cutoff come from an equality join on the person, the window tested in
 * the aggregates (`countIf`, `minIf`: 18.16 joins on equality only); one
 * JOIN per SELECT on non-Nullable keys. The first-year value of a new
 * customer is read per acquisition channel (mean, count, sum of squares) and
 * `customer_prospects` written by the same TypeScript as on DuckDB
 * (prospect-value.ts: the product and its interval). The
 * calibration's held-out rows are the same on both (`heldOutSql`, the MD5 of
 * the token).
 */
import type { Warehouse } from '../engine/warehouse.js';
import { SESSIONS_TABLE } from './build-event-sessions.js';
import type { ProspectSql } from './score-prospects.js';
import { newCustomerValues, valueGroup } from './prospect-value.js';
import { currentCustomersSql } from '../engine/current-customers.js';
import { clickhouseDialect } from '../engine/clickhouse/clickhouse-dialect.js';

const DAY = 86_400;

function featuresSql(cutoffs: readonly string[], horizonDays: number, current = false): string {
  const cutEnd = `(toDateTime(cutoff) + ${DAY})`;
  const days = (ts: string) => `(toRelativeDayNum(cutoff) - toRelativeDayNum(${ts}))`;
  // known at the cutoff, with the sessions known as theirs then (their own, or stitched through a visitor id linked before it): as on DuckDB
  const known = `ifNull(known_ts < ${cutEnd}, 0)${current ? ' OR isNull(signup_ts)' : ''}`;
  const people = `SELECT customer_id, signup_ts, acquisition_cost, first_purchase_ts, cutoff, assumeNotNull(customer_id) AS join_customer
    FROM clv_people ARRAY JOIN [${cutoffs.map((c) => `toDate('${c}')`).join(', ')}] AS cutoff
    WHERE (isNull(first_purchase_ts) OR first_purchase_ts >= ${cutEnd}) AND (${known})`;
  // never NULL: a person without a session has one unmatched row, start_ts NULL, where 18.16 makes `0 AND NULL` NULL —
  // and countIf over conditions all NULL gives NULL, not DuckDB's 0 sessions (its views and cart adds, NULL, summed as 0 below)
  const inWindow = `ifNull(isNotNull(start_ts) AND start_ts < ${cutEnd} AND (NOT stitched OR ifNull(linked_ts < ${cutEnd}, 0)), 0)`;
  const recent = `ifNull(${inWindow} AND start_ts >= ${cutEnd} - ${30 * DAY}, 0)`;
  const sessions = `SELECT assumeNotNull(customer_id) AS join_customer, toNullable(start_ts) AS start_ts, stitched, linked_ts, views, cart_adds FROM (SELECT * FROM ${SESSIONS_TABLE} WHERE customer_id IS NOT NULL) s`;
  return `
    SELECT customer_id, cutoff,
      if(ifNull(any(signup_ts) < ${cutEnd}, 0), 1, 0) AS has_profile,
      if(ifNull(any(signup_ts) < ${cutEnd}, 0), ${days('any(signup_ts)')}, NULL) AS days_since_signup,
      if(countIf(${inWindow}) > 0, ${days(`minIf(start_ts, ${inWindow})`)}, NULL) AS days_since_first_session,
      if(countIf(${inWindow}) > 0, ${days(`maxIf(start_ts, ${inWindow})`)}, NULL) AS days_since_last_session,
      countIf(${inWindow}) AS sessions,
      countIf(${recent}) AS sessions_30d,
      ifNull(sumIf(views, ${recent}), 0) AS views_30d,
      ifNull(sumIf(cart_adds, ${recent}), 0) AS cart_adds_30d,
      any(acquisition_cost) AS acquisition_cost,
      if(ifNull(any(first_purchase_ts) >= ${cutEnd} AND any(first_purchase_ts) < ${cutEnd} + ${horizonDays * DAY}, 0), 1, 0) AS label
    FROM (${people}) p ALL LEFT JOIN (${sessions}) s USING join_customer
    GROUP BY customer_id, cutoff`;
}

export const clickhouseProspectSql: ProspectSql = {
  async writePeople(warehouse, end) {
    // the sessions' customers filtered before assumeNotNull names its result customer_id (an alias is global in a
    // ClickHouse query: `WHERE customer_id IS NOT NULL` beside it read the alias, and a session without a customer made '' a prospect)
    const ids = `SELECT customer_id FROM (SELECT customer_id FROM customers UNION ALL SELECT assumeNotNull(customer_id) AS customer_id FROM (SELECT customer_id FROM ${SESSIONS_TABLE} WHERE customer_id IS NOT NULL) s) all_ids GROUP BY customer_id`;
    const profiles = `SELECT customer_id, signup_ts, acquisition_channel, acquisition_cost FROM ${currentCustomersSql(warehouse.dialect, ['signup_ts', 'acquisition_channel', 'acquisition_cost'])} cc`;
    const buys = `SELECT customer_id, toNullable(min(ts)) AS first_purchase_ts FROM transactions WHERE NOT is_return AND ts <= ${end} GROUP BY customer_id`;
    // the first event carrying the customer's own id
    const seen = `SELECT assumeNotNull(customer_id) AS customer_id, toNullable(min(ts)) AS first_seen_ts FROM events WHERE customer_id IS NOT NULL AND ts <= ${end} GROUP BY customer_id`;
    const knownTs = 'multiIf(isNull(signup_ts), first_seen_ts, isNull(first_seen_ts), signup_ts, least(assumeNotNull(signup_ts), assumeNotNull(first_seen_ts)))';
    await warehouse.execute(`
      CREATE OR REPLACE TEMP TABLE clv_people AS
      SELECT customer_id, signup_ts, acquisition_channel, acquisition_cost, first_purchase_ts, ${knownTs} AS known_ts
      FROM (
        SELECT customer_id, signup_ts, acquisition_channel, acquisition_cost, first_purchase_ts FROM (
          SELECT customer_id, signup_ts, acquisition_channel, acquisition_cost FROM (${ids}) ids ALL LEFT JOIN (${profiles}) c USING customer_id
        ) known ALL LEFT JOIN (${buys}) b USING customer_id
      ) bought ALL LEFT JOIN (${seen}) v USING customer_id
      WHERE isNull(signup_ts) OR signup_ts <= ${end}`);
  },
  firstSessionDay: `SELECT if(count() = 0, NULL, toString(toDate(min(start_ts)))) AS first FROM ${SESSIONS_TABLE}`,
  firstSignupDay: `SELECT if(count(signup_ts) = 0, NULL, toString(toDate(min(signup_ts)))) AS first FROM ${currentCustomersSql(clickhouseDialect, ['signup_ts'])} cc`,
  firstPurchaseDay: 'SELECT if(count() = 0, NULL, toString(toDate(min(ts)))) AS first FROM transactions WHERE NOT is_return',
  features: featuresSql,
  async newCustomerValues(warehouse, end, margin) {
    const d = warehouse.dialect;
    const value = `ifNull(amount, 0) * ${d.literal(margin)}`;
    const firsts = `SELECT customer_id, min(ts) AS first_ts FROM transactions WHERE NOT is_return AND ts <= ${end} GROUP BY customer_id HAVING first_ts <= ${end} - ${365 * DAY}`;
    const firstYear = `SELECT customer_id, ${d.orderFreeSum(value)} AS spend FROM (
        SELECT customer_id, first_ts, ts, amount FROM (${firsts}) f ALL INNER JOIN (SELECT customer_id, ts, amount FROM transactions) t USING customer_id
      ) joined WHERE ts < first_ts + ${365 * DAY} GROUP BY customer_id`;
    const channels = await warehouse.query(`
      SELECT isNull(acquisition_channel) AS no_channel, assumeNotNull(acquisition_channel) AS channel, ${d.orderFreeSum('spend')} / count() AS v, count() AS n, ${d.orderFreeSum('spend * spend')} AS squares
      FROM (${firstYear}) y ALL LEFT JOIN (SELECT customer_id, acquisition_channel FROM clv_people) c USING customer_id
      GROUP BY no_channel, channel`);
    const [year] = await warehouse.query(`SELECT ${d.orderFreeSum('spend')} / count() AS v, count() AS n, ${d.orderFreeSum('spend * spend')} AS squares FROM (${firstYear}) y`);
    const [toDate] = await warehouse.query(`
      SELECT ${d.orderFreeSum('s')} / count() AS v, count() AS n, ${d.orderFreeSum('s * s')} AS squares
      FROM (SELECT customer_id, ${d.orderFreeSum(value)} AS s FROM transactions WHERE ts <= ${end} GROUP BY customer_id) t`);
    return newCustomerValues(
      channels.map((r) => ({ channel: Number(r.no_channel) ? null : String(r.channel), group: valueGroup(r.v, r.n, r.squares) })),
      valueGroup(year?.v, year?.n, year?.squares),
      valueGroup(toDate?.v, toDate?.n, toDate?.squares),
    );
  },
  prospectChannels: 'SELECT customer_id, acquisition_channel FROM clv_people WHERE isNull(first_purchase_ts)',
};
