import { addDays, dayOfValue } from '../core/calendar-days.js';
import type { SqlDialect } from '../engine/sql-dialect.js';
import type { Warehouse } from '../engine/warehouse.js';
import type { SuppressionRules } from './playbook.js';

/** Scratch table of opted-out customer tokens (`clvkit playbook --opt-out FILE`). */
export const OPT_OUT_TABLE = 'clv_opted_out';

/**
 * Why a customer the filter matches is left out of a play, in the order a
 * customer left out for several reasons is counted (once, under the first).
 */
export const SUPPRESSION_REASONS = ['optedOut', 'contactedRecently', 'runningControlGroup', 'boughtRecently', 'nextOrderDue'] as const;

export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** Customers left out, per reason (`SUPPRESSION_REASONS`). */
export type SuppressionCounts = Readonly<Record<SuppressionReason, number>>;

/** How each reason reads in a sentence ("3,412 contacted recently"). */
export const SUPPRESSION_REASON_LABELS: Readonly<Record<SuppressionReason, string>> = {
  optedOut: 'opted out',
  contactedRecently: 'contacted recently',
  runningControlGroup: "in a running campaign's control group",
  boughtRecently: 'bought recently',
  nextOrderDue: 'next order due anyway',
};

/** Zero for every reason. */
export function noSuppression(): Record<SuppressionReason, number> {
  return { optedOut: 0, contactedRecently: 0, runningControlGroup: 0, boughtRecently: 0, nextOrderDue: 0 };
}

/** The counts as a phrase, reasons with none left out: `3,412 contacted recently, 1,031 in a running campaign's control group` ('' when none). */
export function describeSuppression(counts: SuppressionCounts): string {
  return SUPPRESSION_REASONS.filter((r) => counts[r] > 0)
    .map((r) => `${counts[r].toLocaleString('en-US')} ${SUPPRESSION_REASON_LABELS[r]}`)
    .join(', ');
}

/** A stored audience (a campaign) and how far it has been measured. */
export interface CampaignWindow {
  readonly name: string;
  /** YYYY-MM-DD */
  readonly sendDate: string;
  /** last day of the latest-ending window it was evaluated over (`campaign_evaluations`), YYYY-MM-DD; null: never evaluated */
  readonly measuredTo: string | null;
  /** days from the send date over which it is to be measured (`audiences.measure_days`); null: not said (drawn before it was kept) */
  readonly measureDays?: number | null;
}

/**
 * The campaigns whose measurement window is still open on `sendDate`, for a
 * play that suppresses contacts of the last `days` days: a campaign never
 * evaluated is running while it was sent in the `days` days before, or in the
 * days of its own planned measurement window (`measureDays`) before, whichever
 * is longer (the window in which its treated are "contacted recently", and the
 * one it is to be measured over); an evaluated one is running while its
 * latest-ending evaluation window reaches `sendDate` (a contact then falls
 * inside the window measured, as `overlapWarnings` counts it), and has been
 * measured — is closed — once that window ended before it.
 *
 * Example: `runningCampaigns([{ name: 'a', sendDate: '2024-01-01', measuredTo: null }, { name: 'b', sendDate: '2024-01-01', measuredTo: '2024-01-05' }, { name: 'c', sendDate: '2023-12-01', measuredTo: null, measureDays: 60 }], '2024-01-10', 14)` → `['a', 'c']`
 */
export function runningCampaigns(campaigns: readonly CampaignWindow[], sendDate: string, days: number): string[] {
  // sent in the `days` days before the send date (or on it): on or after sendDate − days; still inside its own window
  // of measureDays days from its send date (its send date and the measureDays − 1 days after it): after sendDate − measureDays
  const open = (c: CampaignWindow) => (days > 0 && c.sendDate >= addDays(sendDate, -days)) || (c.measureDays != null && c.sendDate > addDays(sendDate, -c.measureDays));
  // sent after the send date (a draw dated in the past, a backtest): not running yet on that day
  return campaigns.filter((c) => c.sendDate <= sendDate && (c.measuredTo === null ? open(c) : c.measuredTo >= sendDate)).map((c) => c.name);
}

/** Every stored audience with the end of its latest evaluation window (`CampaignWindow`). */
export async function campaignWindows(warehouse: Warehouse): Promise<CampaignWindow[]> {
  const measured = new Map<string, string>();
  for (const row of await warehouse.query('SELECT audience, max(window_to) AS measured_to FROM campaign_evaluations GROUP BY audience')) measured.set(String(row.audience), dayOfValue(row.measured_to)!);
  const rows = await warehouse.query('SELECT name, send_date, measure_days FROM audiences ORDER BY name');
  return rows.map((row) => ({ name: String(row.name), sendDate: dayOfValue(row.send_date)!, measuredTo: measured.get(String(row.name)) ?? null, measureDays: row.measure_days === null ? null : Number(row.measure_days) }));
}

/** The members of campaigns' control (or treatment) groups among some customers: how many in all, and per campaign in a phrase. */
export interface GroupHits {
  /** distinct customers, each counted once however many of the campaigns hold them */
  readonly total: number;
  readonly campaigns: number;
  /** the campaigns with their counts, most first, five at most: `31 customers also in spring, 4 also in summer` (`, … 7 campaigns in all` past five) */
  readonly named: string;
}

/**
 * How many of the customers `customersSql` selects (a query of `customer_id`) sit in the `group` (control or
 * treatment) of each of `campaigns`; null when none do. Read by the playbook's suppression note, `audience create`'s
 * overlap notes (running campaigns' control groups among its treated, same-day campaigns' treated among its control
 * group) and `campaign evaluate`'s overlap warnings (the campaigns that treated its members, each with its count).
 * (Counts are written with toLocaleString, not report/format-number's formatCount: the CLI's --help loads this file,
 * and must not load the report's code — cli-start-up.test.ts.)
 *
 * Example: `await groupHits(wh, ['spring'], 'control', "SELECT customer_id FROM audience_members WHERE audience = 'summer'")` → `{ total: 31, campaigns: 1, named: '31 customers also in spring' }`
 */
export async function groupHits(warehouse: Warehouse, campaigns: readonly string[], group: 'control' | 'treatment', customersSql: string): Promise<GroupHits | null> {
  if (campaigns.length === 0) return null;
  const d = warehouse.dialect;
  const members = `FROM audience_members WHERE group_name = ${d.literal(group)} AND audience IN (${campaigns.map((n) => d.literal(n)).join(', ')}) AND customer_id IN (${customersSql})`;
  const rows = await warehouse.query(`SELECT audience, count(*) AS n ${members} GROUP BY audience ORDER BY n DESC, audience`);
  if (rows.length === 0) return null;
  // "4 customers also in winback, 2 also in spring": counts said as customers ("winback 4" read as an audience's name)
  const named =
    rows
      .slice(0, 5)
      .map((r, i) => {
        const n = Number(r.n);
        return `${n.toLocaleString('en-US')}${i > 0 ? '' : n === 1 ? ' customer' : ' customers'} also in ${String(r.audience)}`;
      })
      .join(', ') + (rows.length > 5 ? `, … ${rows.length} campaigns in all` : '');
  const total = rows.length === 1 ? Number(rows[0]!.n) : Number((await warehouse.query(`SELECT count(DISTINCT customer_id) AS n ${members}`))[0]!.n);
  return { total, campaigns: rows.length, named };
}

export interface SuppressionContext {
  /** first day of the campaign */
  readonly sendDate: string;
  /** customer_scores exists (next-order dates) */
  readonly withScores: boolean;
  /** an opt-out list was loaded into OPT_OUT_TABLE */
  readonly withOptOut: boolean;
  /** the stored audiences, for the control groups of running campaigns (none: no audience is stored) */
  readonly campaigns?: readonly CampaignWindow[];
}

export interface SuppressionRule {
  readonly reason: SuppressionReason;
  /** what a customer who is not left out for this reason satisfies (over the aliases of `audienceSourceSql`) */
  readonly sql: string;
}

export interface SuppressionSql {
  /** the conditions a customer who is not left out satisfies, one per reason, in the order of `SUPPRESSION_REASONS` */
  readonly rules: readonly SuppressionRule[];
  /** derived tables the conditions read */
  readonly tables: readonly string[];
  /** rules that could not apply, and why */
  readonly skipped: readonly string[];
  /** the running campaigns whose control groups are left out (`runningCampaigns`) */
  readonly runningCampaigns: readonly string[];
}

/**
 * A play's suppression rules as SQL conditions (numbers and audience names
 * only: the rules are validated numbers, the names are quoted literals):
 *
 * - `optedOut`: not on the opt-out list;
 * - `contactedWithinDays` N: not treated in an audience sent in the N days before the send date or on it (contacted recently),
 *   nor in the control group of a running campaign (`runningCampaigns`: sent in those N days and not yet measured, or
 *   evaluated over a window that reaches the send date) — contacting it would contaminate that campaign's measured uplift;
 * - `recentlyBoughtDays` N: no purchase in the N days before the send date (read from the transactions);
 * - `nextOrderWithinDays` N: not when the next order is expected (P50) within N days of it anyway (needs the value models).
 */
export function suppressionCondition(rules: SuppressionRules, context: SuppressionContext, d: SqlDialect): SuppressionSql {
  const kept: SuppressionRule[] = [];
  const tables: string[] = [];
  const skipped: string[] = [];
  let running: string[] = [];
  const day = (value: string) => `CAST(${d.literal(value)} AS DATE)`;
  if (rules.optedOut) {
    if (context.withOptOut) kept.push({ reason: 'optedOut', sql: `s.customer_id NOT IN (SELECT customer_id FROM ${OPT_OUT_TABLE})` });
    else skipped.push('optedOut: no opt-out list given (--opt-out FILE)');
  }
  if (rules.contactedWithinDays) {
    kept.push({
      reason: 'contactedRecently',
      // sent in the N days before the send date, or on it (not after it: a draw dated in the past looks back only)
      sql: `s.customer_id NOT IN (SELECT m.customer_id FROM audience_members m JOIN audiences a ON a.name = m.audience WHERE m.group_name = 'treatment' AND a.send_date >= ${d.timestamp(`${addDays(context.sendDate, -rules.contactedWithinDays)}T00:00:00`)} AND a.send_date <= ${d.timestamp(`${context.sendDate}T00:00:00`)})`,
    });
    running = runningCampaigns(context.campaigns ?? [], context.sendDate, rules.contactedWithinDays);
    if (running.length > 0) {
      kept.push({ reason: 'runningControlGroup', sql: `s.customer_id NOT IN (SELECT customer_id FROM audience_members WHERE group_name = 'control' AND audience IN (${running.map((n) => d.literal(n)).join(', ')}))` });
    }
  }
  // bought in the N days before the send date, read from the transactions themselves: the summary's last_purchase is
  // as old as the last analysis, and purchases ingested since would go unseen (a user trial); purchases from the send
  // date on are responses (a draw dated in the past), not reasons to leave anyone out
  if (rules.recentlyBoughtDays) {
    const from = d.timestamp(`${addDays(context.sendDate, -rules.recentlyBoughtDays)}T00:00:00`);
    kept.push({ reason: 'boughtRecently', sql: `s.customer_id NOT IN (SELECT customer_id FROM transactions WHERE NOT is_return AND ts >= ${from} AND ts < ${d.timestamp(`${context.sendDate}T00:00:00`)})` });
  }
  if (rules.nextOrderWithinDays) {
    if (context.withScores) {
      tables.push('customer_scores');
      kept.push({ reason: 'nextOrderDue', sql: `NOT coalesce(c.next_order_p50 < ${day(addDays(context.sendDate, rules.nextOrderWithinDays))}, 1 = 0)` }); // no FALSE in ClickHouse 18.16
    } else skipped.push('nextOrderWithinDays: no next-order dates (the value models did not run)');
  }
  return { rules: kept, tables, skipped, runningCampaigns: running };
}

/**
 * The reason a customer is left out, as a SQL expression: the code of the
 * first rule (in their order) whose condition does not hold — as in a WHERE
 * clause, one that is NULL leaves the customer out — or 0 when none leaves
 * them out. Codes count from 1 in the order of `SUPPRESSION_REASONS`
 * (`suppressionReasonOfCode` reads one back).
 *
 * Example: `suppressionReasonSql([{ reason: 'boughtRecently', sql: 's.last_purchase <= …' }])` → `CASE WHEN NOT coalesce((s.last_purchase <= …), 1 = 0) THEN 4 ELSE 0 END`
 */
export function suppressionReasonSql(rules: readonly SuppressionRule[]): string {
  if (rules.length === 0) return '0';
  return `CASE ${rules.map((r) => `WHEN NOT coalesce((${r.sql}), 1 = 0) THEN ${SUPPRESSION_REASONS.indexOf(r.reason) + 1}`).join(' ')} ELSE 0 END`;
}

/** The reason of a code of `suppressionReasonSql` (1, 2, …), null for 0 (not left out). */
export function suppressionReasonOfCode(code: number): SuppressionReason | null {
  return code === 0 ? null : SUPPRESSION_REASONS[code - 1]!;
}
