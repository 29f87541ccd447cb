/**
 * The prospects step's statements on ClickHouse (issues 16 and 18): the
 * same rows as DuckDB's (`duckdbProspectSql` in score-prospects.ts), written
 * with what ClickHouse 18.16 has. The cutoffs are an `ARRAY JOIN` of
 * literal dates (DuckDB: a VALUES list); a person's sessions before a
 * cutoff come from an equality join on the person, the window tested in
 * the aggregates (`countIf`, `minIf`: 18.16 joins on equality only); one
 * JOIN per SELECT on non-Nullable keys. The first-year value of a new
 * customer is read per acquisition channel and written with the propensity
 * from TypeScript (the same product of the same two doubles). The
 * calibration's held-out rows are the same on both (`heldOutSql`, the MD5 of
 * the token).
 */
import { derivedTable } from '../engine/derived-tables.js';
import type { Warehouse } from '../engine/warehouse.js';
import { SESSIONS_TABLE } from './build-event-sessions.js';
import type { ProspectSql } from './score-prospects.js';
import { currentCustomersSql } from '../engine/current-customers.js';
import { clickhouseDialect } from '../engine/clickhouse/clickhouse-dialect.js';

const DAY = 86_400;

function featuresSql(cutoffs: readonly string[], horizonDays: number, current = false): string {
  const cutEnd = `(toDateTime(cutoff) + ${DAY})`;
  const inWindow = `isNotNull(start_ts) AND start_ts < ${cutEnd}`;
  const recent = `${inWindow} AND start_ts >= ${cutEnd} - ${30 * DAY}`;
  const days = (ts: string) => `(toRelativeDayNum(cutoff) - toRelativeDayNum(${ts}))`;
  const people = `SELECT customer_id, signup_ts, acquisition_cost, first_purchase_ts, cutoff, assumeNotNull(customer_id) AS join_customer
    FROM clv_people ARRAY JOIN [${cutoffs.map((c) => `toDate('${c}')`).join(', ')}] AS cutoff
    WHERE isNull(first_purchase_ts) OR first_purchase_ts >= ${cutEnd}`;
  const sessions = `SELECT assumeNotNull(customer_id) AS join_customer, toNullable(start_ts) AS start_ts, views, cart_adds FROM (SELECT * FROM ${SESSIONS_TABLE} WHERE customer_id IS NOT NULL) s`;
  return `
    SELECT customer_id, cutoff,
      if(ifNull(any(signup_ts) < ${cutEnd}, 0), 1, 0) AS has_profile,
      if(ifNull(any(signup_ts) < ${cutEnd}, 0), ${days('any(signup_ts)')}, NULL) AS days_since_signup,
      if(countIf(${inWindow}) > 0, ${days(`minIf(start_ts, ${inWindow})`)}, NULL) AS days_since_first_session,
      if(countIf(${inWindow}) > 0, ${days(`maxIf(start_ts, ${inWindow})`)}, NULL) AS days_since_last_session,
      countIf(${inWindow}) AS sessions,
      countIf(${recent}) AS sessions_30d,
      sumIf(views, ${recent}) AS views_30d,
      sumIf(cart_adds, ${recent}) AS cart_adds_30d,
      any(acquisition_cost) AS acquisition_cost,
      if(ifNull(any(first_purchase_ts) >= ${cutEnd} AND any(first_purchase_ts) < ${cutEnd} + ${horizonDays * DAY}, 0), 1, 0) AS label
    FROM (${people}) p ALL LEFT JOIN (${sessions}) s USING join_customer
    GROUP BY customer_id, cutoff
    HAVING ifNull(any(signup_ts) < ${cutEnd}, 0) OR countIf(${inWindow}) > 0${current ? ' OR isNull(any(signup_ts))' : ''}`;
}

export const clickhouseProspectSql: ProspectSql = {
  async writePeople(warehouse, end) {
    const ids = `SELECT customer_id FROM (SELECT customer_id FROM customers UNION ALL SELECT assumeNotNull(customer_id) AS customer_id FROM ${SESSIONS_TABLE} WHERE customer_id IS NOT NULL) all_ids GROUP BY customer_id`;
    const profiles = `SELECT customer_id, signup_ts, acquisition_channel, acquisition_cost FROM ${currentCustomersSql(warehouse.dialect, ['signup_ts', 'acquisition_channel', 'acquisition_cost'])} cc`;
    const buys = `SELECT customer_id, toNullable(min(ts)) AS first_purchase_ts FROM transactions WHERE NOT is_return AND ts <= ${end} GROUP BY customer_id`;
    await warehouse.execute(`
      CREATE OR REPLACE TEMP TABLE clv_people AS
      SELECT customer_id, signup_ts, acquisition_channel, acquisition_cost, first_purchase_ts
      FROM (SELECT customer_id, signup_ts, acquisition_channel, acquisition_cost FROM (${ids}) ids ALL LEFT JOIN (${profiles}) c USING customer_id) known
        ALL LEFT JOIN (${buys}) b USING customer_id
      WHERE isNull(signup_ts) OR signup_ts <= ${end}`);
  },
  firstSessionDay: `SELECT if(count() = 0, NULL, toString(toDate(min(start_ts)))) AS first FROM ${SESSIONS_TABLE}`,
  firstSignupDay: `SELECT if(count(signup_ts) = 0, NULL, toString(toDate(min(signup_ts)))) AS first FROM ${currentCustomersSql(clickhouseDialect, ['signup_ts'])} cc`,
  firstPurchaseDay: 'SELECT if(count() = 0, NULL, toString(toDate(min(ts)))) AS first FROM transactions WHERE NOT is_return',
  features: featuresSql,
  async writeProspects(warehouse, end, margin) {
    const d = warehouse.dialect;
    const value = `ifNull(amount, 0) * ${d.literal(margin)}`;
    const firsts = `SELECT customer_id, min(ts) AS first_ts FROM transactions WHERE NOT is_return AND ts <= ${end} GROUP BY customer_id HAVING first_ts <= ${end} - ${365 * DAY}`;
    const firstYear = `SELECT customer_id, ${d.orderFreeSum(value)} AS spend FROM (
        SELECT customer_id, first_ts, ts, amount FROM (${firsts}) f ALL INNER JOIN (SELECT customer_id, ts, amount FROM transactions) t USING customer_id
      ) joined WHERE ts < first_ts + ${365 * DAY} GROUP BY customer_id`;
    const channels = await warehouse.query(`
      SELECT isNull(acquisition_channel) AS no_channel, assumeNotNull(acquisition_channel) AS channel, ${d.orderFreeSum('spend')} / count() AS v, count() AS n
      FROM (${firstYear}) y ALL LEFT JOIN (SELECT customer_id, acquisition_channel FROM clv_people) c USING customer_id
      GROUP BY no_channel, channel`);
    const [year] = await warehouse.query(`SELECT ${d.orderFreeSum('spend')} / count() AS v, count() AS n FROM (${firstYear}) y`);
    const [toDate] = await warehouse.query(`SELECT ${d.orderFreeSum(value)} / ${d.countDistinct('customer_id')} AS v FROM transactions WHERE ts <= ${end}`);
    const finite = (v: unknown) => (v === null || v === undefined || !Number.isFinite(Number(v)) ? null : Number(v));
    const overall = (Number(year?.n ?? 0) > 0 ? finite(year!.v) : finite(toDate?.v)) ?? 0;
    const byChannel = new Map(channels.filter((r) => Number(r.n) >= 20).map((r) => [Number(r.no_channel) ? null : String(r.channel), Number(r.v)]));
    const prospects = await warehouse.query(`
      SELECT customer_id, conversion_propensity, acquisition_channel FROM clv_prospect_propensity p ALL LEFT JOIN (SELECT customer_id, acquisition_channel FROM clv_people) c USING customer_id
      ORDER BY customer_id`);
    const columns = derivedTable('customer_prospects').columns;
    await warehouse.execute(`CREATE OR REPLACE TABLE customer_prospects (${columns.map((c) => `${d.identifier(c.name)} ${c.type}`).join(', ')})`);
    if (prospects.length === 0) return;
    const newValue = Float64Array.from(prospects, (r) => byChannel.get(r.acquisition_channel === null ? null : String(r.acquisition_channel)) ?? overall);
    // an empty propensity (profiles alone, nothing to learn from) stays empty: NaN, appended as NULL
    const propensity = Float64Array.from(prospects, (r) => (r.conversion_propensity === null ? Number.NaN : Number(r.conversion_propensity)));
    await warehouse.append('customer_prospects', {
      customer_id: prospects.map((r) => String(r.customer_id)),
      conversion_propensity: propensity,
      new_customer_value: newValue,
      expected_first_year_value: propensity.map((p, i) => p * newValue[i]!),
    });
  },
};
