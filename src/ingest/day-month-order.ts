import type { Warehouse } from '../engine/warehouse.js';

/**
 * The day/month order of a date column's layouts, decided per separator (slashes, dashes, dots) from the values only
 * one order reads. A column may merge exports written `12/25/2023` and `25.12.2023`: each separator is read in the order
 * its own values tell, and a separator whose values cannot tell takes the order the others agree on (with a warning).
 */
export type DayMonth = 'md' | 'dm';

export type Separator = '/' | '-' | '.';

export const SEPARATORS: readonly Separator[] = ['/', '-', '.'];

/** A separator in words: `dates with dots`. */
export const SEPARATOR_NAME: Readonly<Record<Separator, string>> = { '/': 'slashes', '-': 'dashes', '.': 'dots' };

/** An order in words. */
export const ORDER_NAME: Readonly<Record<DayMonth, string>> = { md: 'month/day', dm: 'day/month' };

/** Whether a layout reads day/month month first (`md`: %m/%d…, %m-%d…, %m.%d…) or day first (`dm`: %d/%m…); null for the others. */
export function dayMonthOrder(format: string): DayMonth | null {
  if (/^%m[/.-]%d/.test(format)) return 'md';
  if (/^%d[/.-]%m/.test(format)) return 'dm';
  return null;
}

/** The separator between day and month of a layout with a day/month order (`%d.%m.%Y` → `.`); null for the others. */
export function separatorOf(format: string): Separator | null {
  return dayMonthOrder(format) === null ? null : (format[2] as Separator);
}

export function otherOrder(order: DayMonth): DayMonth {
  return order === 'md' ? 'dm' : 'md';
}

/** Values only one order reads: month/day (01/13/2011) and day/month (13/01/2011). */
export interface OnlyCounts {
  readonly monthOnly: number;
  readonly dayOnly: number;
}

/** Of `counts`, the values only `order` reads and those only the other order reads. */
export function readOnlyBy(order: DayMonth, counts: OnlyCounts): { readonly read: number; readonly other: number } {
  return order === 'md' ? { read: counts.monthOnly, other: counts.dayOnly } : { read: counts.dayOnly, other: counts.monthOnly };
}

/**
 * The day/month order of one separator's layouts: `unsure` when no value of it settles it (the order of the other
 * separators, `like` the one whose values told it; else the preferred order, or the larger of a mixed column's counts
 * when the sample cannot tell: the ambiguity warning), `counts` the whole column's when it was asked and both orders
 * have values of their own.
 */
export interface OrderDecision {
  readonly order: DayMonth;
  readonly unsure: boolean;
  readonly counts?: OnlyCounts;
  readonly like?: Separator;
}

/** SQL true when one of the layouts of `order` and `separator`, whose parses `parsed` gives, reads the value. */
export function readByAny(candidates: readonly string[], order: DayMonth, separator: Separator, parsed: (f: string, i: number) => string): string {
  const readers = candidates.flatMap((f, i) => (dayMonthOrder(f) === order && separatorOf(f) === separator ? [`${parsed(f, i)} IS NOT NULL`] : []));
  return readers.length === 0 ? 'FALSE' : `(${readers.join(' OR ')})`;
}

/** SQL of the counts, per separator (the k-th of `SEPARATORS`), of the values only month/day (`md_only_k`) and only day/month (`dm_only_k`) reads. */
export function onlyCountsSql(candidates: readonly string[], parsed: (f: string, i: number) => string): string {
  return SEPARATORS.map((s, k) => {
    const [md, dm] = [readByAny(candidates, 'md', s, parsed), readByAny(candidates, 'dm', s, parsed)];
    return `count(*) FILTER (WHERE ${md} AND NOT ${dm}) AS md_only_${k}, count(*) FILTER (WHERE ${dm} AND NOT ${md}) AS dm_only_${k}`;
  }).join(', ');
}

/** The counts of `onlyCountsSql` read back, by separator. */
function onlyCountsOf(row: Record<string, unknown>): Map<Separator, OnlyCounts> {
  return new Map(SEPARATORS.map((s, k) => [s, { monthOnly: Number(row[`md_only_${k}`]), dayOnly: Number(row[`dm_only_${k}`]) }]));
}

/** A month or a day (1–12), and a day only (13–99): a value whose first two numbers are one of each only one order may read. */
const UP_TO_12 = '(0?[1-9]|1[0-2])';
const ABOVE_12 = '(1[3-9]|[2-9][0-9])';

/** The values only `order` may read among the layouts of `separator` (month/day: `1/13/…`, day/month: `13.01.…`). */
function tellingPattern(order: DayMonth, separator: Separator): string {
  const s = separator === '.' ? '\\.' : separator;
  return order === 'md' ? `${UP_TO_12}${s}${ABOVE_12}${s}.*` : `${ABOVE_12}${s}${UP_TO_12}${s}.*`;
}

/**
 * Over the whole column (trimmed, non-empty values): per separator, the values only month/day reads and those only
 * day/month reads. Every layout has its twin (%m.%d.%Y and %d.%m.%Y), so a value both of whose first numbers are 1–12
 * is read by both orders or neither: only the values with one number above 12 are parsed, each with the layouts of
 * the one order that may read it (Online Retail's 541,909 dates written dotted: 8.9 user CPU-s for the whole ingest
 * before the dotted month-first layouts, 19.8 with every layout on every value, 10.8 with only these).
 */
export async function readersOfWholeColumn(warehouse: Warehouse, whole: { table: string; column: string }, layouts: readonly string[], parsed: (f: string) => string): Promise<Map<Separator, OnlyCounts>> {
  const d = warehouse.dialect;
  const reads = SEPARATORS.flatMap((s, k) =>
    (['md', 'dm'] as const).map((o) => `CASE WHEN ${d.fullMatch('v', tellingPattern(o, s))} THEN ${readByAny(layouts, o, s, parsed)} ELSE FALSE END AS ${o}_${k}`),
  );
  const counts = SEPARATORS.map((_, k) => `count(*) FILTER (WHERE md_${k}) AS md_only_${k}, count(*) FILTER (WHERE dm_${k}) AS dm_only_${k}`);
  const [row] = await warehouse.query(`SELECT ${counts.join(', ')} FROM (SELECT ${reads.join(', ')} FROM (SELECT trim(${d.identifier(whole.column)}) AS v FROM ${whole.table}) s
    WHERE ${d.fullMatch('v', `(${UP_TO_12}[-/.]${ABOVE_12}|${ABOVE_12}[-/.]${UP_TO_12})[-/.].*`)}) t`);
  return onlyCountsOf(row!);
}

/**
 * The order of each separator of the column from the first round's counts over the sample (`f<i>` each layout's
 * values, `md_only_k` and `dm_only_k` those only one order reads): the order more of its sampled values can only be
 * read in; when the sample cannot tell one of them, the whole column asked once (`askWhole`, over every layout with an
 * order: a value beyond the sample may be written in another layout, a 24-hour time after 12-hour ones); when its own
 * values cannot tell, the order the others' values agree on (`like`); when they disagree, the order of its layout
 * reading most of the sample (month first with slashes, day first with dashes and dots); when none tells, the order of
 * the layout reading most of the sample, for all. Only the separators of sampled values.
 */
export async function decideDayMonthOrders(
  row: Record<string, unknown>,
  candidates: readonly string[],
  askWhole?: () => Promise<Map<Separator, OnlyCounts>>,
): Promise<Map<Separator, OrderDecision>> {
  const present = SEPARATORS.filter((s) => candidates.some((f, i) => separatorOf(f) === s && Number(row[`f${i}`]) > 0));
  // the order of the layout of `separator` (of any, without) reading most of the sample
  const preferred = (separator?: Separator): DayMonth => {
    let [order, most]: [DayMonth, number] = [separator === '/' ? 'md' : 'dm', 0];
    candidates.forEach((f, i) => {
      const s = separatorOf(f);
      if (s !== null && (separator === undefined || s === separator) && Number(row[`f${i}`]) > most) [order, most] = [dayMonthOrder(f)!, Number(row[`f${i}`])];
    });
    return order;
  };
  const told = new Map<Separator, OrderDecision>();
  for (const [s, c] of onlyCountsOf(row)) if (present.includes(s) && c.monthOnly !== c.dayOnly) told.set(s, { order: c.monthOnly > c.dayOnly ? 'md' : 'dm', unsure: false });
  if (askWhole && present.some((s) => !told.has(s))) {
    for (const [s, c] of await askWhole()) {
      if (told.has(s) || (c.monthOnly === 0 && c.dayOnly === 0)) continue;
      if (c.dayOnly === 0 || c.monthOnly === 0) told.set(s, { order: c.dayOnly === 0 ? 'md' : 'dm', unsure: false });
      else told.set(s, { order: c.monthOnly === c.dayOnly ? preferred(s) : c.monthOnly > c.dayOnly ? 'md' : 'dm', unsure: true, counts: c });
    }
  }
  const toldOrders = new Set([...told.values()].map((t) => t.order));
  return new Map(
    present.map((s): [Separator, OrderDecision] => {
      const own = told.get(s);
      if (own) return [s, own];
      // no separator tells: one order for all, as a column of one separator; separators that tell different orders:
      // the preferred order of this one
      if (toldOrders.size !== 1) return [s, { order: toldOrders.size === 0 ? preferred() : preferred(s), unsure: true }];
      const like = [...told.keys()][0]!;
      return [s, { order: told.get(like)!.order, unsure: true, like }];
    }),
  );
}
