import { addDays } from '../core/calendar-days.js';
import type { Warehouse } from '../engine/warehouse.js';
import { belowK } from '../privacy/disclosure/below-k.js';
import { formatCount } from '../report/format-number.js';
import { balanceLabel, formatSmd, IMBALANCED_SMD, type BalanceCovariate, type BalanceCovariateName, type BalanceGroup, type GroupBalance } from './balance-summary.js';
import { leftJoinPerCustomer } from './left-join-per-customer.js';
import { responsePurchasesSql } from './response-window.js';

export const BALANCE_METHOD = `balance of the random control draw before the send date: per group the mean and sample sd of each member's purchases and whether they bought in the pre-period (as many days before the send date as the window measured; at a draw, the audience's measure days), net revenue in it (when the members' purchase lines before the send date have amounts), purchases to date and days since the last purchase at the send date (members with a purchase before it; the others, prospects, left out and counted); purchases as campaign evaluate counts them (orders, or purchase days where lines have no order id). Standardised mean difference SMD = (mean_t − mean_c) / √((sd_t² + sd_c²) / 2), 0 when both sds are 0 and the means equal; |SMD| > ${IMBALANCED_SMD} is imbalanced (Austin 2009); random assignment keeps one covariate's |SMD| within 1.96 · √(1/n_t + 1/n_c) 95% of the time (chance95, the normal approximation), and the largest of the m covariates measured within z · √(1/n_t + 1/n_c), z for two-sided 0.05 / m (jointChance95, Bonferroni: 2.576 for 5) — beyond it the draw may not have been random; means of a group below the minimum group size are withheld, as are those of a group whose members with a history (purchases to date), or who bought in the pre-period (its purchases, buyers and revenue), are fewer than it, and a count without a history below it`;

export interface GroupBalanceOptions {
  /** the stored audience (`audience_members`) */
  readonly audience: string;
  readonly sendDate: string;
  /** days of the pre-period before the send date (evaluate: the days of the window measured; a draw: its measure days) */
  readonly preDays: number;
  /** groups (of members measured) below this publish no means (the privacy k-floor) */
  readonly minGroupSize: number;
}

type Group = 'treatment' | 'control';

/**
 * z of a two-sided 95% range over m covariates at once (Bonferroni: the normal quantile of 1 − 0.025 / m), by m
 * (1 … 5): 1.96 for one; random assignment keeps all m |SMD| within z · √(1/n_t + 1/n_c) at least 95% of the time.
 */
const Z_95: readonly (number | undefined)[] = [undefined, 1.959964, 2.241403, 2.39398, 2.497705, 2.575829];

/** One group's sums over its members, as the balance query returns them: [Σx, Σx²] per covariate. */
export interface GroupSums {
  readonly n: number;
  readonly prePurchases: readonly [number, number];
  /** members who bought in the pre-period (a 0/1 covariate: Σx² = Σx) */
  readonly preBuyers: number;
  /** null without order values */
  readonly preRevenue: readonly [number, number] | null;
  readonly purchasesToDate: readonly [number, number];
  /** members with a purchase before the send date, and the sums of their days since the last one */
  readonly withHistory: number;
  readonly daysSinceLastPurchase: readonly [number, number];
}

/**
 * The balance query: one row per group (`g_group`) of the audience's members, left-joined to their transactions before
 * the send date aggregated per member (a member without any — a prospect — has NULLs: 0 purchases, no last purchase),
 * then summed per group: counts, Σx and Σx² per covariate, and the purchase lines with an amount (`g_valued`: none at
 * all, a log of ids and dates, and there is no revenue to compare). One scan of the members' history, two rows back.
 * Integer sums are exact doubles; revenue's in 10⁻⁹ steps (`orderFreeSum`): the same figures on every engine and
 * thread count.
 */
export function groupBalanceSql(warehouse: Warehouse, options: Pick<GroupBalanceOptions, 'audience' | 'sendDate' | 'preDays'>): string {
  const d = warehouse.dialect;
  const name = d.literal(options.audience);
  const send = d.timestamp(`${options.sendDate}T00:00:00`);
  const inPre = `ts >= ${d.timestamp(`${addDays(options.sendDate, -options.preDays)}T00:00:00`)}`;
  const perMember = `SELECT customer_id,
      ${responsePurchasesSql(d, inPre)} AS member_pre_purchases,
      ${d.orderFreeSum(`CASE WHEN ${inPre} THEN amount END`)} AS member_pre_revenue,
      count(CASE WHEN NOT is_return THEN amount END) AS member_valued,
      ${responsePurchasesSql(d)} AS member_purchases,
      ${d.daysBetween('max(CASE WHEN NOT is_return THEN ts END)', send)} AS member_days_since
    FROM transactions WHERE ts < ${send} AND customer_id IN (SELECT customer_id FROM audience_members WHERE audience = ${name})
    GROUP BY customer_id`;
  const members = leftJoinPerCustomer(`SELECT customer_id, group_name FROM audience_members WHERE audience = ${name}`, [perMember]);
  const value = (column: string) => `coalesce(${column}, 0)`;
  const sums = (column: string, alias: string) => `CAST(sum(${value(column)}) AS DOUBLE) AS ${alias}, CAST(sum(${value(column)} * ${value(column)}) AS DOUBLE) AS ${alias}2`;
  const revenue = value('member_pre_revenue');
  return `SELECT group_name AS g_group, count(*) AS g_n,
      ${sums('member_pre_purchases', 'g_pre')},
      CAST(sum(CASE WHEN member_pre_purchases > 0 THEN 1 ELSE 0 END) AS DOUBLE) AS g_buyers,
      ${d.orderFreeSum(revenue)} AS g_rev, ${d.orderFreeSum(`${revenue} * ${revenue}`)} AS g_rev2,
      CAST(sum(${value('member_valued')}) AS DOUBLE) AS g_valued,
      ${sums('member_purchases', 'g_all')},
      count(member_days_since) AS g_hist,
      ${sums('member_days_since', 'g_days')}
    FROM (${members}) balance_members GROUP BY group_name`;
}

/**
 * Whether the audience's treatment and control groups were alike before the send date (`BALANCE_METHOD`): per group
 * the members' pre-send covariates from the warehouse's transactions in one query (`groupBalanceSql`), and for each the
 * means, sds, standardised mean difference and the range random assignment gives 95% of the time (`balanceOfSums`).
 * Net revenue only when the data has order values: some of the members' purchase lines before the send date have an
 * amount (the one query tells; a log of ids and dates has none).
 *
 * Example: `await groupBalance(wh, { audience: 'winback', sendDate: '2024-01-01', preDays: 31, minGroupSize: 5 })` → `{ covariates: [{ name: 'prePurchases', smd: 0.02, chance95: 0.21, … }, …], imbalanced: [] , … }`
 */
export async function groupBalance(warehouse: Warehouse, options: GroupBalanceOptions): Promise<GroupBalance> {
  const rows = await warehouse.query(groupBalanceSql(warehouse, options));
  // order values: some purchase line of the members before the send date has an amount (else revenue is unknown, not 0)
  const orderValues = rows.some((r) => Number(r.g_valued ?? 0) > 0);
  const empty: GroupSums = { n: 0, prePurchases: [0, 0], preBuyers: 0, preRevenue: orderValues ? [0, 0] : null, purchasesToDate: [0, 0], withHistory: 0, daysSinceLastPurchase: [0, 0] };
  const sums: Record<Group, GroupSums> = { treatment: empty, control: empty };
  const num = (v: unknown) => Number(v ?? 0);
  for (const r of rows) {
    const group = String(r.g_group) === 'control' ? 'control' : 'treatment';
    sums[group] = {
      n: num(r.g_n),
      prePurchases: [num(r.g_pre), num(r.g_pre2)],
      preBuyers: num(r.g_buyers),
      preRevenue: orderValues ? [num(r.g_rev), num(r.g_rev2)] : null,
      purchasesToDate: [num(r.g_all), num(r.g_all2)],
      withHistory: num(r.g_hist),
      daysSinceLastPurchase: [num(r.g_days), num(r.g_days2)],
    };
  }
  return balanceOfSums(sums, options);
}

/** Mean and sample sd from n, Σx and Σx² (sd 0 for fewer than two). */
function moments(n: number, sum: number, squares: number): BalanceGroup {
  const mean = sum / n;
  const variance = n > 1 ? Math.max(0, (squares - sum * mean) / (n - 1)) : 0;
  return { n, mean, sd: Math.sqrt(variance) };
}

/**
 * The balance of two groups from their sums (`GroupSums`): each covariate's means, sds, SMD and `chance95`; withheld
 * (means null) where a group measured is below `minGroupSize` or empty. Pure: the sums in, the figures out.
 */
export function balanceOfSums(sums: Readonly<Record<Group, GroupSums>>, options: Pick<GroupBalanceOptions, 'sendDate' | 'preDays' | 'minGroupSize'>): GroupBalance {
  const { treatment: t, control: c } = sums;
  const withheld = (name: BalanceCovariateName, why: string): BalanceCovariate => ({ name, treatment: null, control: null, smd: null, chance95: null, jointChance95: null, beyondChance: false, withheld: why });
  // each covariate's means, sds and SMD, and the SMD's standard deviation under random assignment (`se`)
  const k = options.minGroupSize;
  // `contributing`: the members whose values make up the mean (the others' are 0): 1 … k − 1 of them in a group, and
  // the mean × n is their sum — one member's purchases, or revenue, where there is one — so it is withheld
  const covariate = (name: BalanceCovariateName, n: Record<Group, number>, of: (s: GroupSums) => readonly [number, number], who: string, contributing?: { readonly who: string; readonly count: Record<Group, number> }) => {
    if (n.treatment === 0 || n.control === 0) return { covariate: withheld(name, `no ${who} in the ${n.treatment === 0 ? 'treatment' : 'control'} group`), se: null };
    if (belowK(n.treatment, k) || belowK(n.control, k)) {
      return { covariate: withheld(name, `fewer ${who} than the minimum group size ${k} in a group: its mean would describe individuals`), se: null };
    }
    if (contributing && (belowK(contributing.count.treatment, k) || belowK(contributing.count.control, k))) {
      return { covariate: withheld(name, `fewer ${contributing.who} than the minimum group size ${k} in a group: its mean would describe them`), se: null };
    }
    const [mt, mc] = [moments(n.treatment, ...of(t)), moments(n.control, ...of(c))];
    const pooled = Math.sqrt((mt.sd * mt.sd + mc.sd * mc.sd) / 2);
    const smd = pooled > 0 ? (mt.mean - mc.mean) / pooled : mt.mean === mc.mean ? 0 : null;
    const se = Math.sqrt(1 / n.treatment + 1 / n.control);
    return { covariate: { name, treatment: mt, control: mc, smd, chance95: Z_95[1]! * se, jointChance95: null, beyondChance: false }, se };
  };
  const members = { treatment: t.n, control: c.n };
  const preBuyers = { who: 'members who bought in the pre-period', count: { treatment: t.preBuyers, control: c.preBuyers } };
  const withHistory = { who: 'members with a purchase before the send date', count: { treatment: t.withHistory, control: c.withHistory } };
  const each = [
    covariate('prePurchases', members, (s) => s.prePurchases, 'members', preBuyers),
    covariate('preBuyers', members, (s) => [s.preBuyers, s.preBuyers], 'members', preBuyers),
    ...(t.preRevenue && c.preRevenue ? [covariate('preRevenue', members, (s) => s.preRevenue!, 'members', preBuyers)] : []),
    covariate('purchasesToDate', members, (s) => s.purchasesToDate, 'members', withHistory),
    covariate('daysSinceLastPurchase', { treatment: t.withHistory, control: c.withHistory }, (s) => s.daysSinceLastPurchase, 'members with a purchase before the send date'),
  ];
  // the range of the largest |SMD| of all the covariates measured (Bonferroni over them)
  const z = Z_95[each.filter((x) => x.se !== null).length] ?? Z_95[1]!;
  const covariates = each.map(({ covariate: x, se }): BalanceCovariate => {
    if (se === null) return x;
    const jointChance95 = z * se;
    return { ...x, jointChance95, beyondChance: x.smd === null || Math.abs(x.smd) > jointChance95 };
  });
  const imbalanced = covariates.filter((x) => x.withheld === undefined && (x.smd === null || Math.abs(x.smd) > IMBALANCED_SMD)).map((x) => x.name);
  return {
    method: BALANCE_METHOD,
    preDays: options.preDays,
    preFrom: addDays(options.sendDate, -options.preDays),
    preTo: addDays(options.sendDate, -1),
    covariates,
    imbalanced,
    beyondChance: covariates.filter((x) => x.beyondChance).map((x) => x.name),
    // 1 … k − 1 not published (null): with the group's size it would give away the sum of the others
    withoutHistory: { treatment: belowK(t.n - t.withHistory, k) ? null : t.n - t.withHistory, control: belowK(c.n - c.withHistory, k) ? null : c.n - c.withHistory },
  };
}

/** A covariate's mean as the warning prints it: a share as a percentage, days and counts to two decimals, small means to three. */
function meanText(name: BalanceCovariateName, mean: number): string {
  if (name === 'preBuyers') return `${(100 * mean).toFixed(1)}%`;
  return mean.toLocaleString('en-US', { maximumFractionDigits: Math.abs(mean) >= 100 ? 0 : Math.abs(mean) >= 1 ? 2 : 3 });
}

/** One covariate of the warning: its label, both means and its SMD (with its own ranges where measured on other members than `first`). */
function warningItem(b: GroupBalance, c: BalanceCovariate, first: BalanceCovariate, ranges: (c: BalanceCovariate) => string, sizes: (c: BalanceCovariate) => string): string {
  const means = `${balanceLabel(c.name, b.preDays)} ${meanText(c.name, c.treatment!.mean)} treatment against ${meanText(c.name, c.control!.mean)} control`;
  if (c.smd === null) return `${means} (no overlap: every member of each group alike)`;
  const sameSizes = c.treatment!.n === first.treatment!.n && c.control!.n === first.control!.n;
  return `${means} (SMD ${formatSmd(c.smd)}${sameSizes ? '' : `; at ${sizes(c)} random assignment keeps ${ranges(c)}`})`;
}

/**
 * The warning of a campaign evaluation whose groups differed before the send date beyond chance (`beyondChance` not
 * empty: some |SMD| beyond the range random assignment keeps the largest of the covariates within — at large groups
 * below 0.1), else null: each such covariate with both means and its SMD; the ranges random assignment gives at these
 * group sizes (one covariate, the largest of all measured); that the draw may not have been random; the covariates
 * above 0.1 within chance beside them; and that part of the measured uplift may be that difference. An |SMD| above 0.1
 * within chance alone is no warning (1,800 and 200 random members pass 0.1 on a covariate in about 18% of draws,
 * 100 and 100 in about half): the balance line says it as a note.
 *
 * Example: → `treatment and control differed before the send date 2024-01-01 beyond chance: purchases per customer before the send date 2.1 treatment against 3.4 control (SMD −0.520). At 280 and 120 customers random assignment keeps one covariate's |SMD| within 0.214 and the largest of 5 within 0.281 95% of the time, so this is beyond chance: …`
 */
export function balanceWarning(b: GroupBalance, sendDate: string): string | null {
  const beyond = b.covariates.filter((c) => c.beyondChance);
  if (beyond.length === 0) return null;
  const within = b.covariates.filter((c) => !c.beyondChance && b.imbalanced.includes(c.name));
  const m = b.covariates.filter((c) => c.withheld === undefined).length;
  const sizes = (c: BalanceCovariate) => `${formatCount(c.treatment!.n)} and ${formatCount(c.control!.n)} ${c.name === 'daysSinceLastPurchase' ? 'members with a purchase before the send date' : 'customers'}`;
  const ranges = (c: BalanceCovariate) => (m === 1 ? `its |SMD| within ${c.jointChance95!.toFixed(3)}` : `one covariate's |SMD| within ${c.chance95!.toFixed(3)} and the largest of ${m} within ${c.jointChance95!.toFixed(3)}`);
  // the ranges are said once, at the sizes of the first covariate; one measured on other members (days since the last purchase) says its own
  const first = beyond[0]!;
  const items = (of: readonly BalanceCovariate[]) => of.map((c) => warningItem(b, c, first, ranges, sizes)).join('; ');
  const range = first.smd === null ? 'groups that do not overlap are beyond anything random assignment gives' : `at ${sizes(first)} random assignment keeps ${ranges(first)} 95% of the time`;
  const verdict = 'so this is beyond chance: the draw may not have been random — were members moved between the groups, or changed since the draw?';
  const also = within.length > 0 ? `Above ${IMBALANCED_SMD} too, within chance: ${items(within)}. ` : '';
  return `treatment and control differed before the send date ${sendDate} beyond chance: ${items(beyond)}. ${range.charAt(0).toUpperCase()}${range.slice(1)}, ${verdict} ${also}Part of the measured uplift may be that difference, not the campaign`;
}
