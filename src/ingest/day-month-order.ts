import type { SqlDialect } from '../engine/sql-dialect.js';
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
 * The day/month order of one separator's layouts: `unsure` when no value of it settles it (its default order, or the
 * order the other separators agree on, `like` the one whose values told it; the order thin evidence tells, or the
 * default against it: the ambiguity warning), `counts` the whole column's when it was asked and both orders have values
 * of their own.
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


/** A month or a day (1–12), and a day only (13–99): a value whose first two numbers are one of each only one order may read. */
const UP_TO_12 = '(0?[1-9]|1[0-2])';
const ABOVE_12 = '(1[3-9]|[2-9][0-9])';

/** A separator in a regular expression. */
const inPattern = (separator: Separator) => (separator === '.' ? '\\.' : separator);

/** The values only `order` may read among the layouts of `separator` (month/day: `1/13/…`, day/month: `13.01.…`). */
export function tellingPattern(order: DayMonth, separator: Separator): string {
  const s = inPattern(separator);
  return order === 'md' ? `${UP_TO_12}${s}${ABOVE_12}${s}.*` : `${ABOVE_12}${s}${UP_TO_12}${s}.*`;
}

/** The values written with `separator` between day and month (`25.12.2023 10:00`), read or not. */
export function separatorPattern(separator: Separator): string {
  const s = inPattern(separator);
  return `[0-9]{1,2}${s}[0-9]{1,2}${s}.*`;
}

/** SQL of the counts of the values written with each separator (`all_k`, the k-th of `SEPARATORS`), of `text`. */
export function separatorCountsSql(dialect: SqlDialect, text: string): string {
  return SEPARATORS.map((s, k) => `count(*) FILTER (WHERE ${dialect.fullMatch(text, separatorPattern(s))}) AS all_${k}`).join(', ');
}

/** The counts of values only one order reads per separator, with the values written with it (`all_k`). */
export interface SeparatorCounts extends OnlyCounts {
  readonly all: number;
}

/** The counts of `onlyCountsSql` and `separatorCountsSql` read back, by separator. */
function countsOf(row: Record<string, unknown>): Map<Separator, SeparatorCounts> {
  return new Map(SEPARATORS.map((s, k) => [s, { monthOnly: Number(row[`md_only_${k}`]), dayOnly: Number(row[`dm_only_${k}`]), all: Number(row[`all_${k}`] ?? 0) }]));
}

/**
 * Over the whole column (trimmed, non-empty values): per separator, the values only month/day reads, those only
 * day/month reads, and all those written with it. Every layout has its twin (%m.%d.%Y and %d.%m.%Y), so a value both
 * of whose first numbers are 1–12 is read by both orders or neither: only the values with one number above 12 are
 * parsed, each with the layouts of the one order that may read it (Online Retail's 541,909 dates written dotted: 8.9
 * user CPU-s for the whole ingest before the dotted month-first layouts, 19.8 with every layout on every value, 10.8
 * with only these). One scan of the column (a file's reader: a parallel scan each time it is queried).
 */
export async function readersOfWholeColumn(warehouse: Warehouse, whole: { table: string; column: string }, layouts: readonly string[], parsed: (f: string) => string): Promise<Map<Separator, SeparatorCounts>> {
  const d = warehouse.dialect;
  const reads = SEPARATORS.flatMap((s, k) =>
    (['md', 'dm'] as const).map((o) => `CASE WHEN telling THEN CASE WHEN ${d.fullMatch('v', tellingPattern(o, s))} THEN ${readByAny(layouts, o, s, parsed)} ELSE FALSE END ELSE FALSE END AS ${o}_${k}`),
  );
  const counts = SEPARATORS.map((_, k) => `count(*) FILTER (WHERE md_${k}) AS md_only_${k}, count(*) FILTER (WHERE dm_${k}) AS dm_only_${k}`);
  const [row] = await warehouse.query(`SELECT ${counts.join(', ')}, ${separatorCountsSql(d, 'v')} FROM (SELECT v, ${reads.join(', ')} FROM (SELECT v,
    ${d.fullMatch('v', `(${UP_TO_12}[-/.]${ABOVE_12}|${ABOVE_12}[-/.]${UP_TO_12})[-/.].*`)} AS telling FROM (SELECT trim(${d.identifier(whole.column)}) AS v FROM ${whole.table}) s) u) t`);
  return countsOf(row!);
}

/** The order a separator is read in when no value of its own tells: month first with slashes (US), day first with dashes and dots. */
export const DEFAULT_ORDER: Readonly<Record<Separator, DayMonth>> = { '/': 'md', '-': 'dm', '.': 'dm' };

/** The fewest values only an order reads, and their least share of a separator's values, that read it against its default order. */
const FEWEST_AGAINST_DEFAULT = 2;
const LEAST_SHARE_AGAINST_DEFAULT = 1 / 20;

/**
 * What a separator's counts tell: undefined when no value only one order reads; else the order more values only it
 * reads (a tie: the default), `thin` when that is not the default order and its values are fewer than 2 or under 1 in
 * 20 of those written with the separator. A month-first file of dates spread over the month has some 60% of its values
 * after the 12th, one of the first two weeks of each month 1 in 7; a lone `01.13.2023` among German dates, or a few
 * in hundreds, is a typo or a stray row, not the order of the column.
 */
function evidence(separator: Separator, c: SeparatorCounts): { order: DayMonth; thin: boolean } | undefined {
  if (c.monthOnly === 0 && c.dayOnly === 0) return undefined;
  const order = c.monthOnly > c.dayOnly ? 'md' : c.dayOnly > c.monthOnly ? 'dm' : DEFAULT_ORDER[separator];
  const told = readOnlyBy(order, c).read;
  const thin = order !== DEFAULT_ORDER[separator] && (told < FEWEST_AGAINST_DEFAULT || told < LEAST_SHARE_AGAINST_DEFAULT * c.all);
  return { order, thin };
}

/**
 * The order of each separator present in the sample (read by one of its layouts: only these are decided, and only
 * these lend their order), from the first round's counts over the sample (`f<i>` each layout's values, `md_only_k`,
 * `dm_only_k` those only one order reads, `all_k` all written with the separator): the order more of its values can
 * only be read in. When the sample cannot tell, or tells against the separator's default on thin evidence
 * (`evidence`), the whole column is asked once (`askWhole`, over every layout with an order: a value beyond the sample
 * may be written in another layout, a 24-hour time after 12-hour ones). Thin evidence there too reads dots in their
 * default order, day first (dotted dates are day first almost everywhere: the month-first ones are quarantined and
 * counted), and slashes and dashes in the order it tells (both orders are common there: a lone `13/01/2023` is the best
 * evidence a small file has), unsure: with the ambiguity warning. A separator whose own values cannot tell is read in
 * its default order, unsure, except that slashes and dashes take an order all told separators agree on (`like`: a
 * day-first export writes `01/02/2023` beside `25.12.2023`); dots never take month/day from others (a US export merged
 * with a German one).
 */
export async function decideDayMonthOrders(
  row: Record<string, unknown>,
  candidates: readonly string[],
  askWhole?: () => Promise<Map<Separator, SeparatorCounts>>,
): Promise<Map<Separator, OrderDecision>> {
  const present = SEPARATORS.filter((s) => candidates.some((f, i) => separatorOf(f) === s && Number(row[`f${i}`]) > 0));
  const told = new Map<Separator, OrderDecision>();
  for (const [s, c] of countsOf(row)) {
    const e = present.includes(s) ? evidence(s, c) : undefined;
    if (e !== undefined && !e.thin && c.monthOnly !== c.dayOnly) told.set(s, { order: e.order, unsure: false });
  }
  if (askWhole && present.some((s) => !told.has(s))) {
    for (const [s, c] of await askWhole()) {
      const e = present.includes(s) && !told.has(s) ? evidence(s, c) : undefined;
      if (e === undefined) continue;
      if (e.thin) told.set(s, { order: s === '.' ? DEFAULT_ORDER[s] : e.order, unsure: true });
      else if (c.dayOnly === 0 || c.monthOnly === 0) told.set(s, { order: e.order, unsure: false });
      else told.set(s, { order: e.order, unsure: true, counts: c });
    }
  } else if (!askWhole) {
    // the sample alone: thin evidence as the whole column's
    for (const [s, c] of countsOf(row)) {
      const e = present.includes(s) && !told.has(s) ? evidence(s, c) : undefined;
      if (e !== undefined) told.set(s, { order: e.thin && s === '.' ? DEFAULT_ORDER[s] : e.order, unsure: true, ...(c.monthOnly > 0 && c.dayOnly > 0 && !e.thin ? { counts: c } : {}) });
    }
  }
  const lenders = [...told.keys()];
  const toldOrders = new Set(lenders.map((s) => told.get(s)!.order));
  return new Map(
    present.map((s): [Separator, OrderDecision] => {
      const own = told.get(s);
      if (own) return [s, own];
      const lent = toldOrders.size === 1 ? told.get(lenders[0]!)!.order : undefined;
      if (lent === undefined || s === '.' || lent === DEFAULT_ORDER[s]) return [s, { order: DEFAULT_ORDER[s], unsure: true }];
      return [s, { order: lent, unsure: true, like: lenders[0]! }];
    }),
  );
}
