/**
 * The events step of `analyze` (issue 16): stitching and sessions, funnels,
 * buyer types, the online lifecycle, and the prospects with their value —
 * in that order, each in SQL over the warehouse, the prospects' model in
 * TypeScript on one row per person.
 *
 * Prospects join the per-customer outputs: a `customer_scores` row
 * (predicted_clv_12m = expected first-year value, predicted_clv_12m_low /
 * _high its parameter-uncertainty interval; the purchase-model columns empty) when the value models ran on data with order values, and a
 * `customer_stages` row with stage `prospect` for those the lifecycle stage
 * did not already list.
 *
 * Without events, profiles that never bought are prospects all the same:
 * `scoreProspectsFromProfiles` scores them from the profile alone (see
 * score-prospects.ts) and adds them the same way.
 */
import type { Warehouse } from '../engine/warehouse.js';
import { tableExists } from '../features/table-exists.js';
import { buildEventSessions, IDENTITY_LINKS_TABLE, SESSIONS_TABLE, type StitchingCounts } from './build-event-sessions.js';
import { measureOrderPlacement, type OrderPlacement } from './measure-order-placement.js';
import { classifyBuyerTypes, type BuyerTypeResult } from './classify-buyer-types.js';
import { computeFunnels, type Funnels } from './compute-funnels.js';
import { buildOnlineLifecycle, type OnlineLifecycle } from './online-lifecycle.js';
import { scoreProspects, type ProspectScores } from './score-prospects.js';
import { buildEventSessionsOnClickHouse } from './clickhouse-event-sessions.js';
import { computeFunnelsOnClickHouse } from './clickhouse-funnels.js';
import { classifyBuyerTypesOnClickHouse } from './clickhouse-buyer-types.js';
import { buildOnlineLifecycleOnClickHouse } from './clickhouse-online-lifecycle.js';
import { clickhouseProspectSql } from './clickhouse-prospects.js';

/** An order up to this long after a session's last event is its purchase (the purchase flag's rule). */
export const PURCHASE_WINDOW_MINUTES = 60;

export interface EventsOptions {
  readonly asOf: string;
  /** start of the holdout window (YYYY-MM-DD) when the value models ran, else null */
  readonly validationFrom: string | null;
  readonly sessionGapMinutes?: number;
  readonly margin?: number;
}

/** What the events step found (unsuppressed; `publishEventsSummary` makes the published copy). */
export interface EventsSummary {
  readonly sessionGapMinutes: number;
  readonly stitching: StitchingCounts;
  readonly funnels: Funnels;
  /** null when not measured (`unavailable.buyerTypes` says why): no zero counts that would read as a measurement */
  readonly buyerTypes: BuyerTypeResult | null;
  readonly onlineLifecycle: OnlineLifecycle;
  readonly prospects: ProspectScores;
  /** how the orders fell in the sessions: dated orders placed by day, the clock check (measure-order-placement.ts) */
  readonly orderPlacement: OrderPlacement;
  /**
   * figures that could not be measured, each with why (absent in a run.json written before it): `purchases` — the
   * funnel's purchase step, conversion rate, carts abandoned and purchases without a cart add (published empty) — and
   * `buyerTypes` (then null), when no session belongs to a customer, so that no purchase can be put in a session. A
   * run.json written before session 35 kept zero buyer-type counts beside that reason: read it through
   * `measuredBuyerTypes` (measured-buyer-types.ts)
   */
  readonly unavailable?: Readonly<Partial<Record<'purchases' | 'buyerTypes', string>>>;
}

/** True when `table` holds a row (one row read, on either engine). */
async function holdsRows(warehouse: Warehouse, table: 'events' | 'customers'): Promise<boolean> {
  const [row] = await warehouse.query(`SELECT count(*) AS n FROM (SELECT 1 FROM ${table} LIMIT 1) t`);
  return Number(row!.n) > 0;
}

/** True when the warehouse holds events to analyse. */
export async function hasEvents(warehouse: Warehouse): Promise<boolean> {
  return holdsRows(warehouse, 'events');
}

export async function runEvents(warehouse: Warehouse, options: EventsOptions): Promise<EventsSummary> {
  const sessionGapMinutes = options.sessionGapMinutes ?? 30;
  // ClickHouse 18.16 has no window functions, GROUPING SETS or non-equality joins: its own statements, the same tables (clickhouse-*.ts)
  const onClickHouse = warehouse.dialect.name === 'clickhouse';
  const stitching = await (onClickHouse ? buildEventSessionsOnClickHouse : buildEventSessions)(warehouse, { asOf: options.asOf, gapMinutes: sessionGapMinutes, purchaseWindowMinutes: PURCHASE_WINDOW_MINUTES });
  const orderPlacement = await measureOrderPlacement(warehouse, SESSIONS_TABLE, PURCHASE_WINDOW_MINUTES);
  const funnels = await (onClickHouse ? computeFunnelsOnClickHouse : computeFunnels)(warehouse);
  const buyerTypes = await (onClickHouse ? classifyBuyerTypesOnClickHouse : classifyBuyerTypes)(warehouse);
  const onlineLifecycle = await (onClickHouse ? buildOnlineLifecycleOnClickHouse : buildOnlineLifecycle)(warehouse, { asOf: options.asOf, validationFrom: options.validationFrom });
  const prospects = await scoreProspects(warehouse, { asOf: options.asOf, ...(options.margin !== undefined ? { margin: options.margin } : {}) }, ...(onClickHouse ? [clickhouseProspectSql] : []));
  await addProspectRows(warehouse);
  const unavailable = purchasesUnattributed(stitching);
  // the classification still runs (it writes clv_buyer_types, every buyer's type empty); its counts are published only when measured
  return { sessionGapMinutes, stitching, funnels, buyerTypes: unavailable ? null : buyerTypes, onlineLifecycle, prospects, orderPlacement, ...(unavailable ? { unavailable: { purchases: unavailable, buyerTypes: unavailable } } : {}) };
}

/**
 * Why no purchase can be put in a session, or null when one can: no session belongs to a customer — the events carry
 * only a session id (each session then counts as one person), or no visitor id was linked to a customer. The funnel
 * would show 0% conversion and every cart abandoned, measured on nobody.
 */
export function purchasesUnattributed(stitching: StitchingCounts): string | null {
  if (stitching.sessions === 0 || stitching.customerSessions > 0) return null;
  if (stitching.sessionsWithoutIds === stitching.sessions) return 'the events carry no customer or visitor id (a session id only): no session can be matched to its customer\'s orders, and each session counts as one person';
  return 'no session belongs to a customer: no event carries a customer id and no visitor id was linked to one (by a login or a purchase event carrying both ids), so no session can be matched to an order';
}

/** True when the warehouse holds customer profiles (whose never-buyers are prospects, with events or without). */
export async function hasProfiles(warehouse: Warehouse): Promise<boolean> {
  return holdsRows(warehouse, 'customers');
}

/**
 * The prospects of a warehouse without events: profiles that never bought by the as-of date, scored from the profile
 * alone (`basis: 'profiles'`: no sessions, an empty sessions table in their place) and added to `customer_scores` and
 * `customer_stages` as with events. Writes `customer_prospects`.
 */
export async function scoreProspectsFromProfiles(warehouse: Warehouse, options: Pick<EventsOptions, 'asOf' | 'margin'>): Promise<ProspectScores> {
  const onClickHouse = warehouse.dialect.name === 'clickhouse';
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${SESSIONS_TABLE} (customer_id VARCHAR, start_ts TIMESTAMP NOT NULL, stitched BOOLEAN NOT NULL, linked_ts TIMESTAMP, views BIGINT NOT NULL, cart_adds BIGINT NOT NULL)`);
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${IDENTITY_LINKS_TABLE} (anonymous_id VARCHAR NOT NULL, customer_id VARCHAR NOT NULL)`);
  const prospects = await scoreProspects(warehouse, { asOf: options.asOf, basis: 'profiles', ...(options.margin !== undefined ? { margin: options.margin } : {}) }, ...(onClickHouse ? [clickhouseProspectSql] : []));
  await addProspectRows(warehouse);
  return prospects;
}

/** Prospects join the per-customer outputs: a `customer_scores` row (predicted_clv_12m and its interval only) and a `customer_stages` row, for those not yet listed. */
async function addProspectRows(warehouse: Warehouse): Promise<void> {
  const onClickHouse = warehouse.dialect.name === 'clickhouse';
  // prospects not yet listed (ClickHouse: NOT IN, it has no correlated subqueries)
  const missing = (table: string, alias: string) =>
    onClickHouse ? `p.customer_id NOT IN (SELECT customer_id FROM ${table})` : `NOT EXISTS (SELECT 1 FROM ${table} ${alias} WHERE ${alias}.customer_id = p.customer_id)`;
  if (await tableExists(warehouse, 'customer_scores')) {
    const columns = (await warehouse.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'customer_scores'")).map((r) => String(r.column_name));
    if (columns.includes('predicted_clv_12m')) {
      const interval = columns.includes('predicted_clv_12m_low') && columns.includes('predicted_clv_12m_high');
      await warehouse.execute(`INSERT INTO customer_scores (customer_id, predicted_clv_12m${interval ? ', predicted_clv_12m_low, predicted_clv_12m_high' : ''})
        SELECT p.customer_id, p.expected_first_year_value${interval ? ', p.expected_first_year_value_low, p.expected_first_year_value_high' : ''} FROM customer_prospects p
        WHERE ${missing('customer_scores', 'c')}`);
    }
  }
  if (await tableExists(warehouse, 'customer_stages')) {
    await warehouse.execute(`INSERT INTO customer_stages (customer_id, stage) SELECT p.customer_id, 'prospect' FROM customer_prospects p
      WHERE ${missing('customer_stages', 'g')}`);
  }
}
