import { DERIVED_TABLES } from '../engine/derived-tables.js';
import { REPLACED_PREFIX, stagedTableName } from '../engine/staged-derived-tables.js';

/**
 * The scratch tables an analysis on a cluster makes (its TEMP tables and views, the derived tables it stages, those
 * the swap moves aside), claimed all at once before the run (`ScratchLeases.claimAhead`) instead of one claim per
 * name as each is made — one INSERT per shard where a small analysis sent 35 (docs/scaling.md, session 25). A name
 * missing here is still claimed, by itself, before its table is made; test/engine/clickhouse/events-analyze-two-engines.test.ts
 * sees that one analysis claims no name on its own.
 */
export const ANALYSIS_SCRATCH_NAMES: readonly string[] = [
  ...DERIVED_TABLES.map((table) => stagedTableName(table.name)),
  ...DERIVED_TABLES.map((table) => `${REPLACED_PREFIX}${table.name}`),
  // value models, churn, KPIs
  'clv_tuple_scores', 'clv_spend_scores', 'clv_intervals', 'clv_learned_categories', 'clv_kpi_customers',
  // events: stitching, sessions, funnel, buyer types, prospects
  'clv_identity_links', 'clv_event_rows', 'clv_session_rows', 'clv_orders_read', 'clv_day_placed', 'clv_order_times', 'clv_sessions', 'clv_funnel_people',
  'clv_purchase_measures', 'clv_purchase_behaviour', 'clv_buyer_scores', 'clv_buyer_types', 'clv_people', 'clv_prospect_propensity',
  // customers.csv, cross-sell
  'clv_export_customers', 'clv_basket_kept', 'clv_basket_lines', 'clv_items', 'clv_basket_items', 'clv_basket_customers', 'clv_basket_ids',
];
