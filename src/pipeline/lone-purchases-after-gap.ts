/**
 * Purchases that stand alone after a long gap at the end of the data: most often a mistyped date (2005 for 1998), which
 * becomes the analysis date by default. As of it every customer looks inactive, and the value models are chosen on a
 * holdout with next to no purchases in it: the run's numbers are those of an empty window, and nothing else says so.
 */
import type { RunWords } from '../core/run-words.js';
import type { Warehouse } from '../engine/warehouse.js';
import { addDays, dayOfValue, daysBetween } from '../core/calendar-days.js';
import { plural } from '../core/plural.js';

/** A gap this long (days) before the last purchases, */
const LONE_GAP_DAYS = 365;
/** with fewer than this share of the purchase lines after it, is warned about. */
const LONE_SHARE = 0.01;

/** The gap before the last purchases: the purchase days each side of it, the last day, its length, and the purchase lines after it of all. */
export interface LonePurchases {
  readonly before: string;
  readonly after: string;
  readonly last: string;
  readonly gapDays: number;
  readonly purchasesAfter: number;
  readonly purchases: number;
}

/**
 * The gap before the last purchases (`days`: each day with its purchase lines, in order): the earliest gap of at least
 * LONE_GAP_DAYS with under LONE_SHARE of the purchase lines after it, found from the end (so that an early stray date,
 * a longer gap at the start, does not hide a late one, and two late ones are one stretch); else null (a shop that
 * paused and came back with a real share of its orders is a history, not a stray date).
 *
 * Example: 300 days of purchases in 2023 and one line on 2031-05-02 → `{ before: '2023-10-27', after: '2031-05-02', last: '2031-05-02', gapDays: 2744, purchasesAfter: 1, purchases: 3001 }`
 */
export function lonePurchasesAfterGap(days: readonly { readonly day: string; readonly purchases: number }[]): LonePurchases | null {
  const purchases = days.reduce((sum, d) => sum + d.purchases, 0);
  let after = 0;
  let found: LonePurchases | null = null;
  for (let i = days.length - 1; i >= 1; i--) {
    after += days[i]!.purchases;
    if (after >= LONE_SHARE * purchases) break;
    const gap = daysBetween(days[i - 1]!.day, days[i]!.day);
    if (gap >= LONE_GAP_DAYS) found = { before: days[i - 1]!.day, after: days[i]!.day, last: days[days.length - 1]!.day, gapDays: gap, purchasesAfter: after, purchases };
  }
  return found;
}

/** What a run (analyze, validate) makes of the last day as its window's end. */
const modelsConsequence = (last: string) => `as of ${last} every customer looks inactive and the value models are chosen on a holdout with next to no purchases`;

/**
 * The warning; `endBefore` says how to end the window on a day (the day before the gap): analyze's words by default
 * (`pass --as-of DAY to analyse up to the gap`, `send "asOf": …` from the API), validate's `--holdout-end`;
 * `consequence` what the command makes of the last day (a run's by default: its value models).
 */
export function lonePurchasesWarning(lone: LonePurchases, endBefore: RunWords | ((day: string) => string), consequence: (last: string) => string = modelsConsequence): string {
  const end = typeof endBefore === 'function' ? endBefore(lone.before) : `${endBefore.give} ${endBefore.set('asOf', lone.before)} to analyse up to the gap`;
  const count = (n: number) => n.toLocaleString('en-US');
  const what = lone.after === lone.last ? `the last purchase day, ${lone.last}, comes` : `the purchases from ${lone.after} to ${lone.last} come`;
  return `${what} ${plural(lone.gapDays, 'day')} after the one before ${lone.after === lone.last ? 'it' : 'them'} (${lone.before}), and hold${lone.after === lone.last ? 's' : ''} ${count(lone.purchasesAfter)} of the ${count(lone.purchases)} purchase lines: ${consequence(lone.last)}; a mistyped date? ${end} (or correct the date and ingest the file again)`;
}

/** The warning for the purchases up to `asOf` in `warehouse` (returns left out), or null; `endBefore` and `consequence` as `lonePurchasesWarning`'s. */
export async function lonePurchasesAfterGapWarning(warehouse: Warehouse, asOf: string, endBefore: RunWords | ((day: string) => string), consequence?: (last: string) => string): Promise<string | null> {
  const d = warehouse.dialect;
  const rows = await warehouse.query(`SELECT ${d.dayOf('ts')} AS day, count(*) AS n FROM transactions WHERE NOT is_return AND ts < ${d.timestamp(`${addDays(asOf, 1)}T00:00:00.000Z`)} GROUP BY day ORDER BY day`);
  const days = rows.map((r) => ({ day: dayOfValue(r.day)!, purchases: Number(r.n) }));
  const lone = lonePurchasesAfterGap(days);
  return lone === null ? null : lonePurchasesWarning(lone, endBefore, consequence);
}
