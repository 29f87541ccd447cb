import { basename } from 'node:path';
import { UserError } from '../core/errors/user-error.js';
import { groupThousands } from '../core/group-thousands.js';
import { plural } from '../core/plural.js';
import type { SqlDialect } from '../engine/sql-dialect.js';
import type { Warehouse } from '../engine/warehouse.js';
import { isoInShopTimeSql, type ShopTimezone } from './time-zone-offsets.js';
import { dateLikeOrMasked } from '../privacy/access/raw-values.js';
import { dayMonthOrder, decideDayMonthOrders, onlyCountsSql, ORDER_NAME, otherOrder, readersOfWholeColumn, readOnlyBy, separatorCountsSql, separatorOf, SEPARATOR_NAME, type DayMonth, type OnlyCounts, type OrderDecision, type Separator } from './day-month-order.js';
import { absentSeparatorsLeftOut } from './absent-separators.js';

/**
 * A way to read dates: `iso` (ISO-8601 with optional time, fraction and
 * offset), `epoch_s`, `epoch_ms`, `epoch_us` (seconds, milliseconds, microseconds since 1970-01-01 UTC, as
 * integers: 9–10, 12–13, 15–16 digits, so 1973–2286 — GA4's BigQuery export writes microseconds), or a strptime format
 * such as `%m/%d/%Y %H:%M`. Epoch times are UTC; they are stored as they read (no shop time zone applied).
 */
export type DateFormat = string;

/** The formats named by a word, not by strptime codes. */
export const NAMED_DATE_FORMATS: readonly DateFormat[] = ['iso', 'epoch_s', 'epoch_ms', 'epoch_us'];

/** What `--date-format` takes, for hints. */
export const DATE_FORMAT_CHOICES = `strptime codes, e.g. '%d/%m/%Y %H:%M', or ${NAMED_DATE_FORMATS.join(', ')}`;

/**
 * A `--date-format` that can be no format: neither a named one nor a text with a strptime % code (the engine's
 * strptime reads `epoch_us` as a literal text, so every date would be quarantined as bad_date); undefined when it can be one.
 */
export function namelessDateFormatError(format: DateFormat): UserError | undefined {
  if (NAMED_DATE_FORMATS.includes(format) || format.includes('%')) return undefined;
  return new UserError(`--date-format ${format} is not a valid date format`, `use ${DATE_FORMAT_CHOICES}`);
}

/**
 * The refusal of a file whose date column no candidate format reads: names the file, the column and a value of it —
 * as read when it looks like a date, masked otherwise (`dateLikeOrMasked`: a column mapped as a date by mistake holds
 * e-mail addresses or names, which an analyst may see masked only).
 */
export function noDateFormatError(path: string, column: string, example: string | null): UserError {
  return new UserError(
    `no date format fits column '${column}' of ${basename(path)}${example === null ? '' : ` (e.g. ${JSON.stringify(dateLikeOrMasked(example))})`}`,
    (example === null ? null : amPmFormatHint(example)) ??
      `pass --date-format, e.g. --date-format '%d/%m/%Y %H:%M' (%y for a two-digit year: '%d.%m.%y'; ${NAMED_DATE_FORMATS.slice(1).join(', ')} for epoch seconds, milliseconds, microseconds)`,
  );
}

/** A date and a 12-hour time: year first (`2023-01-15`) or last (`1/15/2023`, `15.01.2023`), `h:mm[:ss]`, then AM or PM (any case; %p reads no `p.m.`). */
const AM_PM_VALUE = /^(?:(\d{4})([-/.])\d{1,2}\2\d{1,2}|(\d{1,2})([-/.])(\d{1,2})\4\d{4})([ T])\d{1,2}:\d{2}(:\d{2})?( ?)[AaPp][Mm]$/;

/**
 * The hint for a date column whose value shown is written on a 12-hour clock: one format reads AM and PM alike — %I
 * the hour (1–12: 12 AM is midnight) and %p the AM/PM — built from the value (its separators, the seconds if it has
 * them; month first unless the first number is above 12). Null for any other value. The detection reads the
 * 12-hour layouts of `TWELVE_HOUR_DATE_FORMATS`; this is for those it does not try (`2:30PM` without a space):
 * a user given only '%d/%m/%Y %H:%M' wrote one format for the AM rows and another for the PM ones.
 *
 * Example: `amPmFormatHint('1/15/2023 2:30:05 PM')` → `"12-hour times read with %I for the hour and %p for AM/PM, in one format: --date-format '%m/%d/%Y %I:%M:%S %p'"`
 */
export function amPmFormatHint(example: string): string | null {
  const m = AM_PM_VALUE.exec(example.trim());
  if (!m) return null;
  const [, year, yearSeparator, first, separator, , between, seconds, space] = m;
  const date = year !== undefined ? `%Y${yearSeparator}%m${yearSeparator}%d` : Number(first) > 12 ? `%d${separator}%m${separator}%Y` : `%m${separator}%d${separator}%Y`;
  const format = `${date}${between}%I:%M${seconds ? ':%S' : ''}${space}%p`;
  return `12-hour times read with %I for the hour and %p for AM/PM, in one format: --date-format '${format}'`;
}

/**
 * The 12-hour layouts tried: those of the 24-hour layouts with a time below, %I for the hour (1–12) and %p for AM or
 * PM (any case; 12 AM is midnight, 12 PM noon), and year first with dashes (`2010-12-01 08:26:00 PM`, which the ISO
 * cast does not read). A space before AM/PM, as the engine's strptime reads it (`8:26PM` is left to --date-format, with
 * `amPmFormatHint`). Month/day and day/month as the 24-hour layouts: with slashes, dashes and dots (month first preferred
 * with slashes, day first with dashes and dots, when the column cannot tell). Tried only when a sampled value ends in
 * AM or PM (`chooseFormats`).
 */
const TWELVE_HOUR_DATE_FORMATS: readonly DateFormat[] = [
  '%Y-%m-%d %I:%M:%S %p',
  '%Y-%m-%d %I:%M %p',
  '%Y/%m/%d %I:%M:%S %p',
  '%Y/%m/%d %I:%M %p',
  '%m/%d/%Y %I:%M:%S %p',
  '%m/%d/%Y %I:%M %p',
  '%d/%m/%Y %I:%M:%S %p',
  '%d/%m/%Y %I:%M %p',
  '%d.%m.%Y %I:%M:%S %p',
  '%d.%m.%Y %I:%M %p',
  '%m.%d.%Y %I:%M:%S %p',
  '%m.%d.%Y %I:%M %p',
  '%d-%m-%Y %I:%M:%S %p',
  '%d-%m-%Y %I:%M %p',
  '%m-%d-%Y %I:%M:%S %p',
  '%m-%d-%Y %I:%M %p',
];

/**
 * The 24-hour layouts (and those without a time) tried, in order of preference: the day/month order a column cannot
 * tell is month first with slashes, day first with dashes and dots (`12-27-2023 23:41` and `12.25.2023` are read month
 * first all the same: the order is decided from the values, per separator, `decideDayMonthOrders`).
 */
const TWENTY_FOUR_HOUR_DATE_FORMATS: readonly DateFormat[] = [
  'iso',
  '%Y%m%d',
  'epoch_s',
  'epoch_ms',
  'epoch_us',
  '%Y/%m/%d %H:%M:%S',
  '%Y/%m/%d %H:%M',
  '%Y/%m/%d',
  '%m/%d/%Y %H:%M:%S',
  '%m/%d/%Y %H:%M',
  '%m/%d/%Y',
  '%d/%m/%Y %H:%M:%S',
  '%d/%m/%Y %H:%M',
  '%d/%m/%Y',
  '%d.%m.%Y %H:%M:%S',
  '%d.%m.%Y %H:%M',
  '%d.%m.%Y',
  '%m.%d.%Y %H:%M:%S',
  '%m.%d.%Y %H:%M',
  '%m.%d.%Y',
  '%d-%m-%Y %H:%M:%S',
  '%d-%m-%Y %H:%M',
  '%d-%m-%Y',
  '%m-%d-%Y %H:%M:%S',
  '%m-%d-%Y %H:%M',
  '%m-%d-%Y',
  '%d %b %Y',
  '%b %d %Y',
  '%Y%m%d%H%M%S',
];

/**
 * Formats tried, in order of preference (month-first before day-first when both fit): the 24-hour ones, then the
 * 12-hour ones (no value is read by a layout of each: a 24-hour layout reads no AM/PM after the minutes or seconds).
 */
export const CANDIDATE_DATE_FORMATS: readonly DateFormat[] = [...TWENTY_FOUR_HOUR_DATE_FORMATS, ...TWELVE_HOUR_DATE_FORMATS];

/**
 * SQL for one format applied to a trimmed text expression; NULL when it does not parse. With `shop`, an ISO
 * date carrying a UTC offset is moved to shop time (`isoInShopTimeSql`); without, its offset is not read.
 */
export function dateFormatSql(dialect: SqlDialect, text: string, format: DateFormat, shop?: ShopTimezone): string {
  switch (format) {
    case 'iso':
      // ISO dates start with a four-digit year and a dash; the cast does the rest.
      return `CASE WHEN substr(${text}, 5, 1) = '-' THEN ${shop ? isoInShopTimeSql(isoCastSql(text), text, shop) : isoCastSql(text)} END`;
    case 'epoch_s':
      return `CASE WHEN ${dialect.fullMatch(text, '[0-9]{9,10}')} THEN ${dialect.epochSeconds(text)} END`;
    case 'epoch_ms':
      return `CASE WHEN ${dialect.fullMatch(text, '[0-9]{12,13}')} THEN ${dialect.epochMilliseconds(text)} END`;
    case 'epoch_us':
      return `CASE WHEN ${dialect.fullMatch(text, '[0-9]{15,16}')} THEN ${dialect.epochMicroseconds(text)} END`;
    case '%Y%m%d':
      return `CASE WHEN ${dialect.fullMatch(text, '(19|20)[0-9]{6}')} THEN ${dialect.tryTimestamp(text, [format])} END`;
    default:
      if (format.includes('%Y')) {
        // strptime's %Y also reads "24" as the year 24: a date %Y reads must have a four-digit year (two-digit years need %y).
        // The engine parses once for both uses (a regular expression on the text cost 1.8× the parse, this 1.1×).
        const parsed = dialect.tryTimestamp(text, [format]);
        return `CASE WHEN ${parsed} >= ${dialect.timestamp('1000-01-01T00:00:00')} THEN ${parsed} END`;
      }
      return dialect.tryTimestamp(text, [format]);
  }
}

/**
 * An ISO text as a TIMESTAMP at its wall time (any UTC offset not read), NULL when it is not one. The cast takes
 * `…10:00:00-05:00`; Shopify writes a space before the offset (`…10:00:00 -0500`), which is read without it.
 */
function isoCastSql(text: string): string {
  return `COALESCE(TRY_CAST(${text} AS TIMESTAMP), CASE WHEN length(${text}) > 19 THEN TRY_CAST(regexp_replace(${text}, ' ([+-][0-9]{2}:?[0-9]{2})$', '\\1') AS TIMESTAMP) END)`;
}

/** SQL that parses a text expression with the given formats, first match wins (ISO dates with an offset moved to `shop` time when given). */
export function parseDateSql(dialect: SqlDialect, text: string, formats: readonly DateFormat[], shop?: ShopTimezone): string {
  if (formats.length === 1) return dateFormatSql(dialect, text, formats[0]!, shop);
  return `COALESCE(${formats.map((f) => dateFormatSql(dialect, text, f, shop)).join(', ')})`;
}

export interface DateFormatDetection {
  readonly formats: readonly DateFormat[];
  /** share of sampled values the chosen formats parse */
  readonly parsedShare: number;
  /** a warning for the ingest report, e.g. ambiguous day/month order */
  readonly warning?: string;
}

/**
 * Choose date formats from a sample of a text column: greedily the format
 * parsing the most values, then the one parsing most of the rest, while a
 * format still adds at least 0.5% of the sample (files with mixed formats).
 * One day/month order per separator (`decideDayMonthOrders`); day-first and
 * month-first formats that parse the same values are reported as ambiguous.
 */
/** Non-empty values of the date column the detection reads. */
export const DATE_SAMPLE_ROWS = 20_000;

export interface DateFormatDetectionOptions {
  /** non-empty values sampled (default `DATE_SAMPLE_ROWS`) */
  readonly sampleSize?: number;
  /**
   * The whole column's table or view (the file's rows): when the sample cannot tell month/day from day/month for one
   * of its separators, every value is looked at once more for one that only one of them reads (13/01/2011), so a file
   * whose first rows hold only days 1–12 is not read month-first throughout, quarantining its other days and swapping
   * the rest
   */
  readonly whole?: string;
}

export async function detectDateFormat(warehouse: Warehouse, table: string, column: string, options: DateFormatDetectionOptions = {}): Promise<DateFormatDetection> {
  const d = warehouse.dialect;
  // The sample is read once (from the file's reader: a parallel scan each time it is queried) and kept for the rounds below.
  const sample = DATE_SAMPLE_TABLE;
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${sample} AS SELECT trim(${d.identifier(column)}) AS v FROM ${table} WHERE trim(${d.identifier(column)}) <> '' LIMIT ${options.sampleSize ?? DATE_SAMPLE_ROWS}`);
  try {
    return await chooseFormats(warehouse, sample, options.whole === undefined ? undefined : { table: options.whole, column });
  } finally {
    await warehouse.execute(`DROP TABLE IF EXISTS ${sample}`);
  }
}

const DATE_SAMPLE_TABLE = 'clv_date_sample';

/** A value ending in AM or PM (any case) after a digit, a space or not between: the 12-hour layouts are tried (`TWELVE_HOUR_DATE_FORMATS`). */
const AM_PM_ENDING = '.*[0-9] *[AaPp][Mm]';

/**
 * A sampled value both formats read, preferably one they read as different dates (03/04/2011: 4 March or 3 April);
 * null when none does (a tie of 01/13 against 13/01: no value is ambiguous, the orders are mixed).
 */
async function ambiguousExample(warehouse: Warehouse, sample: string, monthFirst: DateFormat, dayFirst: DateFormat): Promise<string | null> {
  const d = warehouse.dialect;
  const [a, b] = [dateFormatSql(d, 'v', monthFirst), dateFormatSql(d, 'v', dayFirst)];
  const [row] = await warehouse.query(`SELECT v FROM ${sample} WHERE ${a} IS NOT NULL AND ${b} IS NOT NULL ORDER BY CASE WHEN ${a} <> ${b} THEN 0 ELSE 1 END LIMIT 1`);
  return row?.v === undefined || row.v === null ? null : String(row.v);
}

async function chooseFormats(warehouse: Warehouse, sample: string, whole?: { table: string; column: string }): Promise<DateFormatDetection> {
  const d = warehouse.dialect;
  const text = 'v';
  // The first candidate (ISO) reading every sampled value is what the rounds below would choose (it wins every tie,
  // and nothing is left for a second round): one test instead of every candidate on every value. The 12-hour layouts
  // are tried only when a sampled value ends in AM or PM (no cost to a file on a 24-hour clock).
  const [probe] = await warehouse.query(`SELECT count(*) AS n, count(*) FILTER (WHERE ${dateFormatSql(d, text, CANDIDATE_DATE_FORMATS[0]!)} IS NOT NULL) AS f0,
    count(*) FILTER (WHERE ${d.fullMatch(text, AM_PM_ENDING)}) AS am_pm FROM ${sample} s`);
  const sampled = Number(probe!.n);
  if (sampled === 0) return { formats: [], parsedShare: 0 };
  if (Number(probe!.f0) === sampled) return { formats: [CANDIDATE_DATE_FORMATS[0]!], parsedShare: 1 };
  const candidates = Number(probe!.am_pm) > 0 ? CANDIDATE_DATE_FORMATS : TWENTY_FOUR_HOUR_DATE_FORMATS;
  const chosen: DateFormat[] = [];
  let total = 0;
  let parsed = 0;
  let decisions = new Map<Separator, OrderDecision>();
  // each layout parsed once per value (p<i>), counted per layout and, for the order, per separator and day/month order
  const parses = candidates.map((f, i) => `${dateFormatSql(d, text, f)} AS p${i}`).join(', ');
  const counts = candidates.map((_, i) => `count(*) FILTER (WHERE p${i} IS NOT NULL) AS f${i}`).join(', ');
  // every layout with an order, not only those that read a sampled value: a value beyond the sample that tells the
  // order may be written in another layout (a 24-hour time after 20,000 ambiguous 12-hour ones, a 12-hour one after
  // 24-hour ones); asked only of a file whose sample cannot tell the order of one of its separators
  const askWhole = whole && (() => readersOfWholeColumn(warehouse, whole, ORDERED_LAYOUTS, (f) => dateFormatSql(d, 'v', f)));
  for (let round = 0; round < 4; round++) {
    const unparsed = chosen.length === 0 ? 'TRUE' : `${parseDateSql(d, text, chosen)} IS NULL`;
    const orders = round === 0 ? `, ${onlyCountsSql(candidates, (_, i) => `p${i}`)}, ${separatorCountsSql(d, 'v')}` : '';
    const [row] = await warehouse.query(`SELECT count(*) AS n, ${counts}${orders} FROM (SELECT v, ${parses} FROM ${sample} s WHERE ${unparsed}) t`);
    const n = Number(row!.n);
    if (round === 0) total = n;
    if (n === 0) break;
    // one day/month order per separator, whatever the layout (with or without a time of day, 12- or 24-hour), decided
    // once: 13/01 beside 01/13 would otherwise read 05/01 one way and 13/01 the other
    if (round === 0) decisions = await decideDayMonthOrders(row!, candidates, askWhole);
    let best = -1;
    let bestCount = 0;
    candidates.forEach((candidate, i) => {
      const separator = separatorOf(candidate);
      const decided = separator === null ? undefined : decisions.get(separator);
      if (decided !== undefined && dayMonthOrder(candidate) !== decided.order) return;
      const count = Number(row![`f${i}`]);
      if (count > bestCount) {
        best = i;
        bestCount = count;
      }
    });
    if (best < 0 || bestCount < Math.max(1, 0.005 * total)) break;
    chosen.push(candidates[best]!);
    parsed += bestCount;
  }
  const warning = await orderWarnings(warehouse, sample, whole ?? { table: sample, column: 'v' }, chosen, candidates, decisions);
  return { formats: chosen, parsedShare: total === 0 ? 0 : parsed / total, ...(warning ? { warning } : {}) };
}

/** The layouts with a day/month order, those the whole column is asked with. */
const ORDERED_LAYOUTS = CANDIDATE_DATE_FORMATS.filter((f) => dayMonthOrder(f) !== null);

/**
 * The warnings of the column's day/month orders, in one text: separators read in different orders (`orderPerSeparator`),
 * then per separator both when both apply: the ambiguous values read in its order, and the values of the other order
 * quarantined, counted (unless the first counted them: the whole column asked, `decision.counts`).
 */
async function orderWarnings(
  warehouse: Warehouse,
  sample: string,
  whole: { table: string; column: string },
  chosen: readonly DateFormat[],
  candidates: readonly DateFormat[],
  decisions: ReadonlyMap<Separator, OrderDecision>,
): Promise<string | undefined> {
  const said: (string | undefined)[] = [await orderPerSeparator(warehouse, whole, chosen, decisions)];
  const separators = [...new Set(chosen.map(separatorOf).filter((s): s is Separator => s !== null))];
  for (const separator of separators) {
    const decision = decisions.get(separator)!;
    const ambiguity = decision.unsure ? await ambiguityWarning(warehouse, sample, whole, chosen, separator, decision) : undefined;
    const opposite = candidates.filter((f) => dayMonthOrder(f) === otherOrder(decision.order) && separatorOf(f) === separator);
    said.push(ambiguity, ambiguity !== undefined && decision.counts !== undefined ? undefined : await otherOrderLeftOut(warehouse, whole, chosen, separator, opposite));
  }
  // the values of a separator no layout chosen reads (absent from the sample, or too few there), counted apart
  said.push(await absentSeparatorsLeftOut(warehouse, whole, chosen, separators, ORDERED_LAYOUTS, decisions, (f) => dateFormatSql(warehouse.dialect, 'v', f)));
  const warnings = said.filter((w): w is string => w !== undefined);
  return warnings.length > 0 ? warnings.join('; ') : undefined;
}

/**
 * A value of the column one of `readers` reads and none of `others` does (01/13/2023 read month first beside
 * 13/01/2023), the least; null when none.
 */
async function onlyReadExample(warehouse: Warehouse, whole: { table: string; column: string }, readers: readonly DateFormat[], others: readonly DateFormat[]): Promise<string | null> {
  const d = warehouse.dialect;
  const any = (formats: readonly DateFormat[]) => (formats.length === 0 ? 'FALSE' : `(${formats.map((f) => `${dateFormatSql(d, 'v', f)} IS NOT NULL`).join(' OR ')})`);
  const [row] = await warehouse.query(`SELECT min(v) AS example FROM (SELECT trim(${d.identifier(whole.column)}) AS v FROM ${whole.table}) s
    WHERE v <> '' AND ${any(readers)} AND NOT ${any(others)}`);
  return row?.example === undefined || row.example === null ? null : String(row.example);
}

/** A value only `order` reads among the layouts of `separator`, e.g. 25.12.2023 for day/month with dots. */
function separatorExample(warehouse: Warehouse, whole: { table: string; column: string }, separator: Separator, order: DayMonth): Promise<string | null> {
  const of = (o: DayMonth) => ORDERED_LAYOUTS.filter((f) => separatorOf(f) === separator && dayMonthOrder(f) === o);
  return onlyReadExample(warehouse, whole, of(order), of(otherOrder(order)));
}

/**
 * The warning of a column whose separators' own values tell different orders (`12/25/2023` beside `25.12.2023`: the
 * review's c08): each is read in its order, said with a value of each; undefined when they agree.
 */
async function orderPerSeparator(warehouse: Warehouse, whole: { table: string; column: string }, chosen: readonly DateFormat[], decisions: ReadonlyMap<Separator, OrderDecision>): Promise<string | undefined> {
  // the separators whose own values told their order (not those read in an order they could not tell)
  const told = [...new Set(chosen.map(separatorOf))].filter((s): s is Separator => s !== null && (!decisions.get(s)!.unsure || decisions.get(s)!.counts !== undefined));
  if (new Set(told.map((s) => decisions.get(s)!.order)).size < 2) return undefined;
  const parts = await Promise.all(
    told.map(async (s) => {
      const order = decisions.get(s)!.order;
      const example = await separatorExample(warehouse, whole, s, order);
      return `${ORDER_NAME[order]} with ${SEPARATOR_NAME[s]}${example === null ? '' : ` (such as ${example})`}`;
    }),
  );
  return `dates are written ${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}: each separator is read in its own order`;
}

/**
 * The warning of a separator whose order no value of its own settled: a sampled value a chosen layout and its twin
 * both read (`dates such as 03/04/2011 are ambiguous; read as month/day …`), the separator whose values told the order
 * when it was taken from them, with the counts of a column that mixes both orders; undefined when no value both read
 * (a tie of 01/13 against 13/01: not ambiguous but mixed, which `otherOrderLeftOut` says with the file's own values).
 */
async function ambiguityWarning(
  warehouse: Warehouse,
  sample: string,
  whole: { table: string; column: string },
  chosen: readonly DateFormat[],
  separator: Separator,
  decision: OrderDecision,
): Promise<string | undefined> {
  for (const format of chosen.filter((f) => separatorOf(f) === separator)) {
    const twin = twinLayout(format);
    if (twin === undefined) continue;
    const order = decision.order;
    const example = await ambiguousExample(warehouse, sample, order === 'md' ? format : twin, order === 'md' ? twin : format);
    if (example === null) continue;
    const left = decision.counts === undefined ? 0 : readOnlyBy(order, decision.counts).other;
    const mixed = left > 0 ? ` (${mixedOrderCounts(order, decision.counts!)})` : '';
    const likeExample = decision.like === undefined ? null : await separatorExample(warehouse, whole, decision.like, order);
    const like = decision.like === undefined ? '' : ` as the dates with ${SEPARATOR_NAME[decision.like]}${likeExample === null ? '' : ` (such as ${likeExample})`}`;
    // the other separators' layouts kept beside the twin: --date-format replaces every layout detected
    const kept = chosen.filter((f) => separatorOf(f) !== null && separatorOf(f) !== separator);
    const hint = [twin, ...kept].map((f) => `--date-format '${f}'`).join(' ');
    return `dates such as ${example} are ambiguous; read as ${ORDER_NAME[order]} (${format})${like}${mixed}; pass ${hint} if they are ${ORDER_NAME[otherOrder(order)]}`;
  }
  return undefined;
}

/**
 * The whole column's values that one order only reads, said of the file (the sample is part of it: they may be in it):
 * `in the file, 2 values read only as month/day and 1 only as day/month: the day/month one is quarantined as bad_date`.
 */
function mixedOrderCounts(order: DayMonth, counts: OnlyCounts): string {
  const { read, other: left } = readOnlyBy(order, counts);
  const [name, otherName] = [ORDER_NAME[order], ORDER_NAME[otherOrder(order)]];
  const quarantined = left === 1 ? `the ${otherName} one is` : `the ${groupThousands(left)} ${otherName} ones are`;
  return `in the file, ${plural(read, 'value')} ${read === 1 ? 'reads' : 'read'} only as ${name} and ${groupThousands(left)} only as ${otherName}: ${quarantined} quarantined as bad_date`;
}

/** The same layout with day and month the other way round (%m/%d/%Y ↔ %d/%m/%Y, %d.%m.%Y ↔ %m.%d.%Y), or undefined. */
function twinLayout(format: DateFormat): DateFormat | undefined {
  const order = dayMonthOrder(format);
  if (order === null) return undefined;
  const other = order === 'md' ? format.replace(/^%m([/.-])%d/, '%d$1%m') : format.replace(/^%d([/.-])%m/, '%m$1%d');
  return other !== format && CANDIDATE_DATE_FORMATS.includes(other) ? other : undefined;
}

/**
 * A warning when values of the column are read only by `opposite`, layouts of the other day/month order than that of
 * `separator` (13/01/2023 in a column read month first, 01/20/2023 beside 13/01/2023 10:15): they are quarantined as
 * bad_date, not read the other way round. The hint names the other order's layouts: the twins of those chosen and
 * those that read the values left out.
 */
async function otherOrderLeftOut(warehouse: Warehouse, whole: { table: string; column: string }, chosen: readonly DateFormat[], separator: Separator, opposite: readonly DateFormat[]): Promise<string | undefined> {
  const d = warehouse.dialect;
  const main = chosen.find((f) => separatorOf(f) === separator)!;
  const order = dayMonthOrder(main)!;
  const readBy = opposite.map((f, i) => `count(*) FILTER (WHERE ${dateFormatSql(d, 'v', f)} IS NOT NULL) AS r${i}`);
  const [row] = await warehouse.query(`SELECT count(*) AS n, min(v) AS example, ${readBy.join(', ')} FROM (SELECT trim(${d.identifier(whole.column)}) AS v FROM ${whole.table}) s
    WHERE v <> '' AND ${parseDateSql(d, 'v', chosen)} IS NULL AND (${opposite.map((f) => `${dateFormatSql(d, 'v', f)} IS NOT NULL`).join(' OR ')})`);
  const n = Number(row!.n);
  if (n === 0) return undefined;
  const twins = chosen.filter((f) => separatorOf(f) === separator).map(twinLayout).filter((f): f is DateFormat => f !== undefined);
  const hint = [...new Set([...twins, ...opposite.filter((_, i) => Number(row![`r${i}`]) > 0)])].map((f) => `--date-format '${f}'`).join(' ');
  const [name, otherName] = [ORDER_NAME[order], ORDER_NAME[otherOrder(order)]];
  const values = n === 1 ? '1 value' : `${n.toLocaleString('en-US')} values`;
  // a value of the column only the order chosen reads (01/13/2023 read month first), beside one of those left out
  const read = await onlyReadExample(warehouse, whole, [main], opposite);
  const readExample = read === null ? '' : `, such as ${read}`;
  return `dates are written both month/day and day/month: read as ${name} (${main}${readExample}); ${values} read only as ${otherName} (such as ${String(row!.example)}) ${n === 1 ? 'is' : 'are'} quarantined as bad_date; pass ${hint} if they are ${otherName}`;
}
