import { daysBetween } from '../core/calendar-days.js';
import type { MeasuredWindow } from './response-window.js';

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

/**
 * The mark compare puts before a warning of `evaluationWarnings` (read back from published warnings, which are text):
 * `‡ ` a stale evaluation, `§ ` an overlap (`isOverlapWarning` of what follows the audience), '' for any other.
 */
export function comparedWarningMark(warning: string): string {
  const of = /^the evaluation of \S+( is stale: |: )/.exec(warning);
  if (!of) return '';
  return of[1] === ' is stale: ' ? '‡ ' : isOverlapWarning(warning.slice(of[0].length)) ? '§ ' : '';
}

/**
 * A stale evaluation, an evaluation whose groups other audiences treated (its `overlap` warnings, as `campaign evaluate`
 * gave them), and stretches without any transaction inside a window, as warnings of a comparison.
 */
export function evaluationWarnings(campaigns: readonly { readonly audience: string; readonly window: MeasuredWindow; readonly stale?: string; readonly overlap?: readonly string[] }[]): string[] {
  return campaigns.flatMap((c) => [
    ...(c.stale ? [`the evaluation of ${c.audience} is stale: ${c.stale}`] : []),
    ...(c.overlap ?? []).map((w) => `the evaluation of ${c.audience}: ${w}`),
    ...(c.window.gaps ?? []).map((g) => `${c.audience}'s window has no transaction at all from ${g.from} to ${g.to} (${g.days} day${g.days === 1 ? '' : 's'}) though the data goes on after it: a file of those days may have been missing when it was evaluated`),
  ]);
}
