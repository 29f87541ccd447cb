import { daysBetween } from '../core/calendar-days.js';
import type { MeasuredWindow } from './response-window.js';
import { balanceLabel, formatSmd, type GroupBalance } from './balance-summary.js';
import type { AdjustedUplifts } from './adjusted-uplift.js';
import { formatSignedWithInterval } from './format-signed.js';

/** What `comparisonWarnings` reads of a compared campaign (a `CampaignKpi`). */
export interface ComparedWindow {
  readonly audience: string;
  readonly window: { readonly from: string; readonly days: number };
  readonly sendDate?: string;
}

/**
 * Why rows of a comparison are not comparable as equals: their evaluations' windows have different lengths, or start
 * at different days after their send dates (a campaign measured over 31 days against one over 3). Campaigns sent on
 * different days have different dates; those alone are not warned of.
 *
 * Example: `comparisonWarnings([{ audience: 'a', window: { days: 31 }, … }, { audience: 'b', window: { days: 3 }, … }])` → `['the campaigns were evaluated over windows of different lengths (31 days: a; 3 days: b): …']`
 */
export function comparisonWarnings(campaigns: readonly ComparedWindow[]): string[] {
  const grouped = (key: (c: (typeof campaigns)[number]) => number | null, unit: (n: number) => string) => {
    const groups = new Map<number, string[]>();
    for (const c of campaigns) {
      const k = key(c);
      if (k !== null) groups.set(k, [...(groups.get(k) ?? []), c.audience]);
    }
    return groups.size < 2 ? null : [...groups].map(([n, names]) => `${unit(n)}: ${names.join(', ')}`).join('; ');
  };
  const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
  const lengths = grouped((c) => c.window.days, days);
  const starts = grouped((c) => (c.sendDate ? daysBetween(c.sendDate, c.window.from) : null), (n) => `${days(n)} after the send date`);
  const again = 'evaluate them again over the same days after their send dates to compare them';
  return [
    ...(lengths ? [`the campaigns were evaluated over windows of different lengths (${lengths}): their uplifts and ROI are not comparable as equals; ${again}`] : []),
    ...(starts ? [`the campaigns' windows start at different days after their send dates (${starts}): their uplifts and ROI are not comparable as equals; ${again}`] : []),
  ];
}

/**
 * Whether a warning of an evaluation is one of campaign-overlap.ts' `overlapWarnings` (read back from a stored
 * evaluation's warnings). Here, not beside them: the CLI's compare imports this file at start-up, and campaign-overlap
 * loads the report's number formats.
 */
export function isOverlapWarning(warning: string): boolean {
  return /^[\d,]+ of the [\d,]+ (control|treated) customers were (also )?treated by other audiences /.test(warning);
}

/** How `evaluationWarnings` begins, after the audience, the footnote of an evaluation whose balance check found a covariate beyond chance. */
const BEYOND_CHANCE = 'its treatment and control groups differed before the send date beyond what random assignment gives: ';

/**
 * The covariates of a stored balance check (`CampaignEvaluation.balance`) whose standardised mean difference is beyond
 * chance, each with its SMD and the range random assignment keeps the largest within: `purchases per customer before
 * the send date: SMD −0.520 (chance ±0.281)`; [] when none is; undefined for an evaluation stored before the check.
 */
export function balanceBeyondChance(balance: GroupBalance | undefined): string[] | undefined {
  if (!balance) return undefined;
  return balance.covariates
    .filter((c) => c.beyondChance)
    .map((c) => `${balanceLabel(c.name, balance.preDays)}: ${c.smd === null ? 'the groups do not overlap at all' : `SMD ${formatSmd(c.smd)}`}${c.jointChance95 === null ? '' : ` (chance ±${c.jointChance95.toFixed(3)})`}`);
}

/** The adjusted (CUPED) uplift compare shows beside the unadjusted one: revenue per customer, or purchases without order values. */
export interface ComparedAdjustedUplift {
  readonly outcome: 'revenue' | 'purchases';
  /** per customer, adjusted for the same outcome in the pre-period, with its 95% interval */
  readonly absoluteUplift: number;
  readonly absoluteUpliftInterval: readonly [number, number];
  readonly pValue: number;
  /** 1 − Var(adjusted) / Var(unadjusted) (below 0 where the adjustment adds noise) */
  readonly varianceReduction: number;
}

/** The revenue uplift adjusted for the pre-period (purchases where the lines have no order values); undefined for an evaluation stored before it. */
export function comparedAdjustedUplift(adjusted: AdjustedUplifts | undefined): ComparedAdjustedUplift | undefined {
  if (!adjusted) return undefined;
  const [outcome, a] = adjusted.revenue ? (['revenue', adjusted.revenue] as const) : (['purchases', adjusted.purchases] as const);
  return { outcome, absoluteUplift: a.absoluteUplift, absoluteUpliftInterval: a.absoluteUpliftInterval, pValue: a.pValue, varianceReduction: a.varianceReduction };
}

/** `+4.1 [+0.52, +7.7] revenue per customer` (2 decimals at most; purchases 3); '—' without one (an evaluation stored before it). The same words in compare, the report and the dashboard. */
export function adjustedUpliftText(a: ComparedAdjustedUplift | null | undefined): string {
  if (!a) return '—';
  return `${formatSignedWithInterval(a.absoluteUplift, a.absoluteUpliftInterval, a.outcome === 'revenue' ? 2 : 3)} ${a.outcome} per customer`;
}

/**
 * The mark compare puts before a warning of `evaluationWarnings` (read back from published warnings, which are text):
 * `‡ ` a stale evaluation, `§ ` an overlap (`isOverlapWarning` of what follows the audience), `¶ ` a balance check
 * beyond chance, '' for any other.
 */
export function comparedWarningMark(warning: string): string {
  const of = /^the evaluation of \S+( is stale: |: )/.exec(warning);
  if (!of) return '';
  if (of[1] === ' is stale: ') return '‡ ';
  const rest = warning.slice(of[0].length);
  return isOverlapWarning(rest) ? '§ ' : rest.startsWith(BEYOND_CHANCE) ? '¶ ' : '';
}

/**
 * A stale evaluation, an evaluation whose groups other audiences treated (its `overlap` warnings, as `campaign evaluate`
 * gave them), one whose balance check found a covariate beyond chance (`balanceBeyondChance`), and stretches without
 * any transaction inside a window, as warnings of a comparison.
 */
export function evaluationWarnings(campaigns: readonly { readonly audience: string; readonly window: MeasuredWindow; readonly stale?: string; readonly overlap?: readonly string[]; readonly balanceBeyondChance?: readonly string[] }[]): string[] {
  return campaigns.flatMap((c) => [
    ...(c.stale ? [`the evaluation of ${c.audience} is stale: ${c.stale}`] : []),
    ...(c.overlap ?? []).map((w) => `the evaluation of ${c.audience}: ${w}`),
    ...(c.balanceBeyondChance && c.balanceBeyondChance.length > 0
      ? [`the evaluation of ${c.audience}: ${BEYOND_CHANCE}${c.balanceBeyondChance.join('; ')} — part of its uplift may be that difference, not the campaign (its adjusted uplift, CUPED, allows for the same outcome before the send date)`]
      : []),
    ...(c.window.gaps ?? []).map((g) => `${c.audience}'s window has no transaction at all from ${g.from} to ${g.to} (${g.days} day${g.days === 1 ? '' : 's'}) though the data goes on after it: a file of those days may have been missing when it was evaluated`),
  ]);
}
