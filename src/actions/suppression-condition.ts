import { addDays } from '../core/calendar-days.js';
import type { SqlDialect } from '../engine/sql-dialect.js';
import type { SuppressionRules } from './playbook.js';

/** Scratch table of opted-out customer tokens (`clvkit playbook --opt-out FILE`). */
export const OPT_OUT_TABLE = 'clv_opted_out';

export interface SuppressionContext {
  /** first day of the campaign */
  readonly sendDate: string;
  /** customer_scores exists (next-order dates) */
  readonly withScores: boolean;
  /** an opt-out list was loaded into OPT_OUT_TABLE */
  readonly withOptOut: boolean;
}

export interface SuppressionSql {
  /** conditions ANDed to the filter (over the aliases of `audienceSourceSql`); '' for none */
  readonly sql: string;
  /** derived tables the conditions read */
  readonly tables: readonly string[];
  /** rules that could not apply, and why */
  readonly skipped: readonly string[];
}

/**
 * A play's suppression rules as SQL conditions (numbers only: the rules are
 * validated numbers, never user text):
 *
 * - `recentlyBoughtDays` N: the last purchase is at least N days before the send date;
 * - `nextOrderWithinDays` N: not when the next order is expected (P50) within N days of it anyway (needs the value models);
 * - `contactedWithinDays` N: not treated in an audience sent in the N days before it;
 * - `optedOut`: not on the opt-out list.
 */
export function suppressionCondition(rules: SuppressionRules, context: SuppressionContext, d: SqlDialect): SuppressionSql {
  const conditions: string[] = [];
  const tables: string[] = [];
  const skipped: string[] = [];
  const day = (value: string) => `CAST(${d.literal(value)} AS DATE)`;
  if (rules.recentlyBoughtDays) conditions.push(`s.last_purchase <= ${day(addDays(context.sendDate, -rules.recentlyBoughtDays))}`);
  if (rules.nextOrderWithinDays) {
    if (context.withScores) {
      tables.push('customer_scores');
      conditions.push(`NOT coalesce(c.next_order_p50 < ${day(addDays(context.sendDate, rules.nextOrderWithinDays))}, 1 = 0)`); // no FALSE in ClickHouse 18.16
    } else skipped.push('nextOrderWithinDays: no next-order dates (the value models did not run)');
  }
  if (rules.contactedWithinDays) {
    conditions.push(
      `s.customer_id NOT IN (SELECT m.customer_id FROM audience_members m JOIN audiences a ON a.name = m.audience WHERE m.group_name = 'treatment' AND a.send_date > ${d.timestamp(`${addDays(context.sendDate, -rules.contactedWithinDays)}T00:00:00`)})`,
    );
  }
  if (rules.optedOut) {
    if (context.withOptOut) conditions.push(`s.customer_id NOT IN (SELECT customer_id FROM ${OPT_OUT_TABLE})`);
    else skipped.push('optedOut: no opt-out list given (--opt-out FILE)');
  }
  return { sql: conditions.join(' AND '), tables, skipped };
}
