import { UserError } from '../core/errors/user-error.js';
import type { Warehouse } from '../engine/warehouse.js';

/**
 * UTC offsets in ISO dates (`2011-01-04T10:00:00+02:00`, `…Z`, `… UTC`). A
 * date with an offset is an instant; the shop time zone says which clock it
 * is stored in: a fixed offset (`UTC`, `-05:00`), an IANA zone
 * (`America/New_York`: each instant at that zone's local time, daylight
 * saving included), or `keep` (wall times as written, offsets not read). A
 * date without an offset is taken as shop time. `--timezone` gives it; by
 * default (`detectShopTimezone`) the offset most common among the file's
 * sampled dates, or `keep` when they carry two offsets one hour apart (one
 * zone's standard and summer time: Shopify writes each order at its local
 * time with that moment's offset).
 */
export type ShopTimezone = (
  /** a fixed offset, `minutes` east of UTC; `name` is `UTC` or `±HH:MM` */
  | { readonly kind: 'offset'; readonly minutes: number; readonly name: string }
  /** an IANA zone, e.g. `America/New_York` */
  | { readonly kind: 'zone'; readonly name: string }
  /** wall times as written, offsets not read */
  | { readonly kind: 'keep'; readonly name: 'keep' }
) & {
  /** dates without an offset are UTC (the date column's header says so: Stripe's `Created (UTC)`), not shop time */
  readonly unmarkedUtc?: true;
};

/** `UTC` for 0, else `±HH:MM`. */
export function timezoneName(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function fixedOffset(minutes: number): ShopTimezone {
  return { kind: 'offset', minutes, name: timezoneName(minutes) };
}

/**
 * The shop time zone a `--timezone` value names: `keep`, `UTC` (or `Z`,
 * `GMT`), a fixed offset `±HH:MM`, `±HHMM`, `±HH` within ±14:00, or an IANA
 * zone name (any case; given as the zone database spells it).
 *
 * Example: `parseTimezone('-0500')` → `{ kind: 'offset', minutes: -300, name: '-05:00' }`;
 * `parseTimezone('america/new_york')` → `{ kind: 'zone', name: 'America/New_York' }`
 */
export function parseTimezone(text: string): ShopTimezone {
  const value = text.trim();
  if (/^keep$/i.test(value)) return { kind: 'keep', name: 'keep' };
  if (/^(utc|z|gmt)$/i.test(value)) return fixedOffset(0);
  const match = /^([+-])(\d{2})(?::?(\d{2}))?$/.exec(value);
  if (match) {
    const minutes = (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] ?? 0));
    if (Number(match[3] ?? 0) < 60 && Math.abs(minutes) <= 14 * 60) return fixedOffset(minutes);
  } else if (/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) {
    const zone = zoneDatabaseName(value);
    if (zone) return { kind: 'zone', name: zone };
  }
  throw new UserError(
    `--timezone ${value} is not a time zone`,
    'pass a zone name such as America/New_York or Europe/Paris (daylight saving followed), UTC or a fixed offset such as -05:00, or keep (wall times as written); leave it out to use the offset most common in the file',
  );
}

/** The zone database's spelling of an IANA zone name (`europe/paris` → `Europe/Paris`), undefined when it names none. */
function zoneDatabaseName(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** `UserError` when the engine does not know the zone `--timezone` names (its zone database may differ from Node's). */
export async function checkTimezone(warehouse: Warehouse, timezone: string | undefined): Promise<void> {
  if (timezone === undefined) return;
  const shop = parseTimezone(timezone);
  if (shop.kind !== 'zone') return;
  try {
    await warehouse.query(`SELECT timezone(${warehouse.dialect.literal(shop.name)}, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS t`);
  } catch {
    throw new UserError(`--timezone ${shop.name}: the engine's zone database does not know this zone`, 'pass another name of the zone (e.g. America/New_York) or a fixed offset such as -05:00');
  }
}

/** The widest UTC offset in use (Kiribati): where the shop zone is unknown, a date up to this far ahead of UTC may be now somewhere. */
const WIDEST_OFFSET_MINUTES = 14 * 60;

/**
 * The latest date an ingest at `now` accepts (later ones are future_date),
 * as an ISO text read as shop time: `now` on the shop's clock (a fixed
 * offset, or the zone's offset at that instant); where no zone applies (no
 * offset read, or `keep`: wall times as written, in a zone unknown) `now` at
 * the widest offset, +14:00, so that no real recent date is refused.
 *
 * Example: `latestShopTimeIso(new Date('2025-01-10T12:00:00Z'), parseTimezone('+05:30'))` → `'2025-01-10T17:30:00.000Z'`
 */
export function latestShopTimeIso(now: Date, shop: ShopTimezone | undefined): string {
  const minutes = shop === undefined || shop.kind === 'keep' ? WIDEST_OFFSET_MINUTES : shop.kind === 'offset' ? shop.minutes : zoneOffsetMinutes(shop.name, now);
  return new Date(now.getTime() + minutes * 60_000).toISOString();
}

/** The UTC offset (minutes east) of IANA zone `zone` at instant `at`. */
function zoneOffsetMinutes(zone: string, at: Date): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(at).map((p) => [p.type, Number(p.value)]),
  );
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((local - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/**
 * SQL (DuckDB) conditions on an ISO text's last characters, one per way of
 * writing an offset (`Z`, ` UTC` in any case, `±HH:MM`, `±HH:MM:SS` whose
 * seconds are dropped, `±HHMM`, `±HH`), each with the offset in minutes it gives. Only texts of
 * more than 16 characters are looked at (a date-time with an offset has at
 * least 17: `2011-01-04T10:00Z`), so the characters read are past the date
 * and a date's own dashes are never taken for a sign. Plain string slices,
 * no pattern: the files without offsets pay a few comparisons per value.
 * A text these misread is not a date the cast reads (NULL either way).
 * Slicing from the end costs more than the cast: `isoInShopTimeSql` does it
 * only for texts that pass a cheaper test.
 */
function offsetCases(text: string): readonly (readonly [string, string])[] {
  const at = (position: number) => `substr(${text}, ${position}, 1)`;
  const digits = (position: number) => `TRY_CAST(substr(${text}, ${position}, 2) AS INTEGER)`;
  const sign = (position: number) => `(CASE WHEN ${at(position)} = '-' THEN -1 ELSE 1 END)`;
  const isSign = (position: number) => `${at(position)} IN ('+', '-')`;
  return [
    [`right(${text}, 1) IN ('Z', 'z')`, '0'], // …Z
    [`upper(right(${text}, 4)) = ' UTC'`, '0'], // … UTC (BigQuery's export)
    [`${isSign(-6)} AND ${at(-3)} = ':'`, `${sign(-6)} * (${digits(-5)} * 60 + ${digits(-2)})`], // …±HH:MM
    [`${isSign(-9)} AND ${at(-6)} = ':' AND ${at(-3)} = ':'`, `${sign(-9)} * (${digits(-8)} * 60 + ${digits(-5)})`], // …±HH:MM:SS (the seconds are not read)
    [isSign(-5), `${sign(-5)} * (${digits(-4)} * 60 + ${digits(-2)})`], // …±HHMM
    [isSign(-3), `${sign(-3)} * ${digits(-2)} * 60`], // …±HH
  ];
}

/** SQL (DuckDB) of the UTC offset in minutes an ISO text carries, NULL when it carries none. */
export function offsetMinutesSql(text: string): string {
  return `CASE WHEN length(${text}) > 16 THEN (CASE ${offsetCases(text).map(([when, minutes]) => `WHEN ${when} THEN ${minutes}`).join(' ')} END) END`;
}

/** A cheap test before the offset is read (most files carry none): a text ending in Z or C (… UTC), or with a + anywhere or a - past its date. */
function mayCarryOffsetSql(text: string): string {
  return `length(${text}) > 16 AND (ends_with(${text}, 'Z') OR ends_with(${text}, 'z') OR ends_with(${text}, 'C') OR ends_with(${text}, 'c') OR contains(${text}, '+') OR contains(substr(${text}, 12), '-'))`;
}

/**
 * SQL (DuckDB) of the UTC offset an ISO text carries, as a SMALLINT of
 * minutes (NULL without): what the judging pass keeps to count the offsets
 * it met (`unexpectedOffsetsWarning`). Behind the cheap test; with
 * `lengthOnly` (a file read without a shop zone, which must not pay for
 * offsets it does not read) behind a cheaper one, more than 19 bytes: plain
 * `2011-01-04 10:00:00` is rejected at once, and the short forms it misses
 * (`2011-01-04T10:00Z`) are not counted.
 */
export function dateOffsetSql(text: string, lengthOnly = false): string {
  return `CAST(CASE WHEN ${lengthOnly ? `strlen(${text}) > 19` : mayCarryOffsetSql(text)} THEN ${offsetMinutesSql(text)} END AS SMALLINT)`;
}

/**
 * SQL (DuckDB) of an ISO text in shop time: `wallTime` (its timestamp, the
 * offset not read) moved from the text's own offset (if any) to the shop's:
 * to a fixed offset by adding the difference; to a zone by the engine's zone
 * database (ICU), the instant's local time there; `keep` reads no offset. A
 * text without an offset stays as it is, or, with `unmarkedUtc`, is moved from UTC.
 */
export function isoInShopTimeSql(wallTime: string, text: string, shop: ShopTimezone): string {
  if (shop.kind === 'keep') return wallTime;
  const carries = mayCarryOffsetSql(text);
  const moved = (offset: string) => shop.kind === 'offset'
    ? `${wallTime} + to_minutes(${shop.minutes} - (${offset}))`
    : `timezone('${shop.name.replaceAll("'", "''")}', timezone('UTC', ${wallTime} - to_minutes(${offset})))`;
  return `CASE WHEN ${carries} THEN ${moved(offsetMinutesSql(text))} ELSE ${shop.unmarkedUtc ? moved('0') : wallTime} END`;
}

export interface OffsetDetection {
  /** the shop time zone: the given one, else the commonest sampled offset (or `keep`, see `detectShopTimezone`); undefined when neither (no sampled date carries an offset) */
  readonly timezone?: ShopTimezone;
  /** a warning when the sampled dates carry more than one offset (unless a zone name or keep was given) */
  readonly warning?: string;
  /** the offsets (minutes) the sampled dates carry, ascending (dates without one count as UTC with `unmarkedUtc`) */
  readonly sampledOffsets?: readonly number[];
  /** how many dates were sampled */
  readonly sampled?: number;
  /** true when the zone was given (`--timezone`), not chosen from the sample */
  readonly given?: boolean;
}

/** A zone whose standard and summer offsets are these (minutes; the lower first), for the hint. */
/** Non-empty dates whose UTC offsets the detection reads. */
export const OFFSET_SAMPLE_ROWS = 20_000;

const ZONE_EXAMPLES: Readonly<Record<string, string>> = {
  '-540,-480': 'America/Anchorage', '-480,-420': 'America/Los_Angeles', '-420,-360': 'America/Denver', '-360,-300': 'America/Chicago',
  '-300,-240': 'America/New_York', '-240,-180': 'America/Halifax', '-210,-150': 'America/St_Johns', '0,60': 'Europe/London',
  '60,120': 'Europe/Paris', '120,180': 'Europe/Helsinki', '570,630': 'Australia/Adelaide', '600,660': 'Australia/Sydney', '720,780': 'Pacific/Auckland',
};

/**
 * The offsets the sampled dates of `column` carry (first `sampleSize`
 * non-empty values of `table`), and the shop time zone: `given`, else the
 * commonest offset (the one nearest UTC on a tie) — unless the dates carry
 * exactly two offsets one hour apart, one zone's standard and summer time:
 * converting those to one offset would move every date of the other season
 * by an hour, so they keep their wall times (`keep`), with a warning naming
 * the flags that convert them. With `unmarkedUtc`, dates without an offset
 * count as UTC.
 */
export async function detectShopTimezone(warehouse: Warehouse, table: string, column: string, given: ShopTimezone | undefined, sampleSize = OFFSET_SAMPLE_ROWS, unmarkedUtc = false): Promise<OffsetDetection> {
  const d = warehouse.dialect;
  const v = `trim(${d.identifier(column)})`;
  const all = await warehouse.query(`
    SELECT off, count(*) AS n FROM (
      SELECT ${unmarkedUtc ? `COALESCE(${offsetMinutesSql('v')}, 0)` : offsetMinutesSql('v')} AS off FROM (SELECT ${v} AS v FROM ${table} WHERE ${v} <> '' LIMIT ${sampleSize}) s
    ) o GROUP BY off ORDER BY n DESC, abs(off), off`);
  const rows = all.filter((r) => r.off !== null);
  const offsets = rows.map((r) => Number(r.off));
  const sampled = { sampledOffsets: [...offsets].sort((a, b) => a - b), sampled: all.reduce((sum, r) => sum + Number(r.n), 0), ...(given ? { given: true } : {}) };
  if (rows.length === 0) return given ? { timezone: given, ...sampled } : sampled;
  if (rows.length === 1) return { timezone: given ?? fixedOffset(offsets[0]!), ...sampled };
  if (given && given.kind !== 'offset') return { timezone: given, ...sampled };
  const counts = `${rows.map((r) => `${timezoneName(Number(r.off))}: ${Number(r.n).toLocaleString('en-US')}`).join(', ')} of ${sampled.sampled.toLocaleString('en-US')} sampled`;
  if (!given && rows.length === 2 && Math.abs(offsets[0]! - offsets[1]!) === 60) {
    const standard = Math.min(...offsets);
    const example = ZONE_EXAMPLES[`${standard},${standard + 60}`] ?? 'Europe/Paris';
    return {
      ...sampled,
      timezone: { kind: 'keep', name: 'keep' },
      warning: `dates carry two UTC offsets one hour apart (${counts}), as one zone's standard and summer time do: wall times kept as written; to convert every date to one clock pass the zone (e.g. --timezone ${example}) or a fixed offset (e.g. --timezone ${timezoneName(standard)})`,
    };
  }
  const timezone = given ?? fixedOffset(offsets[0]!);
  const why = given ? 'as --timezone gives' : 'the commonest; pass --timezone to choose another (a zone name such as America/New_York follows daylight saving)';
  return { timezone, warning: `dates carry more than one UTC offset (${counts}); converted to ${timezone.name}, ${why}`, ...sampled };
}

/** A date column header that says its values are UTC: `Created (UTC)`, `created_utc`, `UTC time`. */
const UTC_HEADER = /(^|[^a-z])utc([^a-z]|$)/i;

/**
 * The shop time zone of one file read with `formats` (only ISO dates carry
 * offsets): `detectShopTimezone` on `column` of `table`, with the zone
 * `timezone` (`--timezone`) names, if given; nothing to do without a date
 * column or rows (`column` undefined). When the column's header says UTC
 * (Stripe's `Created (UTC)`), its dates without an offset are read as UTC
 * and converted like any offset (`unmarkedUtc`), and a warning says so.
 */
export async function fileShopTimezone(warehouse: Warehouse, formats: readonly string[], table: string, column: string | undefined, timezone: string | undefined): Promise<OffsetDetection> {
  if (!formats.includes('iso') || column === undefined) return {};
  const given = timezone === undefined ? undefined : parseTimezone(timezone);
  if (!UTC_HEADER.test(column) || given?.kind === 'keep') return detectShopTimezone(warehouse, table, column, given);
  const detection = await detectShopTimezone(warehouse, table, column, given, undefined, true);
  if (detection.timezone === undefined || detection.timezone.kind === 'keep') return detection;
  const shop = { ...detection.timezone, unmarkedUtc: true as const };
  const stored = shop.name === 'UTC' ? "stored in UTC; pass --timezone with the shop's zone (e.g. America/New_York) to store them on the shop clock" : `converted to ${shop.name}`;
  const note = `column '${column}' says UTC: its dates without an offset are read as UTC and ${stored}`;
  return { timezone: shop, warning: detection.warning ? `${detection.warning}; ${note}` : note };
}

/**
 * How the judging pass keeps each date's offset to count them (`dateOffsetSql`): `full` where a shop zone applies,
 * `length` where none does (the cheaper test), none without ISO dates or with `keep` (offsets ignored).
 */
export function countsDateOffsets(formats: readonly string[], detection: OffsetDetection): 'full' | 'length' | undefined {
  if (!formats.includes('iso') || detection.sampled === undefined || detection.timezone?.kind === 'keep') return undefined;
  return detection.timezone === undefined ? 'length' : 'full';
}

/**
 * The warning, if any, about the offsets the judging pass met (`met`: dates
 * read, by offset in minutes, null for none) that the sample did not lead it
 * to expect: offsets the sampled dates did not carry (not read when the
 * sample carried none; converted like the others otherwise), and dates with
 * and without an offset in one file (those without are shop time). Nothing
 * when the zone was given (`--timezone`): every date is then read as asked.
 */
export function unexpectedOffsetsWarning(met: readonly { readonly off: number | null; readonly n: number }[], detection: OffsetDetection): string | undefined {
  if (detection.given || detection.sampledOffsets === undefined) return undefined;
  const expected = new Set(detection.sampledOffsets);
  const unexpected = met.filter((m) => m.off !== null && !expected.has(m.off)).sort((a, b) => b.n - a.n || a.off! - b.off!);
  const count = (n: number) => n.toLocaleString('en-US');
  const warnings: string[] = [];
  const shop = detection.timezone;
  if (unexpected.length > 0) {
    const n = unexpected.reduce((sum, m) => sum + m.n, 0);
    const head = `${count(n)} ${n === 1 ? 'date' : 'dates'} past the first ${count(detection.sampled ?? 0)} ${n === 1 ? 'carries' : 'carry'} a UTC offset the sampled dates did not (${unexpected.map((m) => `${timezoneName(m.off!)}: ${count(m.n)}`).join(', ')})`;
    if (shop === undefined) {
      warnings.push(`${head}: not read, kept at wall time; pass --timezone (a zone name such as America/New_York, or a fixed offset) to convert them`);
    } else if (shop.kind === 'offset') {
      const all = [...new Set([...expected, ...unexpected.map((m) => m.off!)])].sort((a, b) => a - b);
      const example = (all.length === 2 && all[1]! - all[0]! === 60 ? ZONE_EXAMPLES[`${all[0]},${all[1]}`] : undefined) ?? 'America/New_York';
      warnings.push(`${head}: converted to ${shop.name} like the others; if the file follows daylight saving pass its zone, e.g. --timezone ${example}`);
    }
  }
  const marked = met.filter((m) => m.off !== null).reduce((sum, m) => sum + m.n, 0);
  const unmarked = met.filter((m) => m.off === null).reduce((sum, m) => sum + m.n, 0);
  if (shop !== undefined && shop.kind !== 'keep' && !shop.unmarkedUtc && marked > 0 && unmarked > 0) {
    warnings.push(`dates mix ${count(marked)} with a UTC offset and ${count(unmarked)} without: those without are taken as shop time (${shop.name})`);
  }
  return warnings.length > 0 ? warnings.join('; ') : undefined;
}

/** `unexpectedOffsetsWarning` on the offsets of the dates `table` (a judged table with `date_offset`, see `countsDateOffsets`) holds. */
export async function offsetsMetWarning(warehouse: Warehouse, table: string, detection: OffsetDetection): Promise<string | undefined> {
  const met = await warehouse.query(`SELECT date_offset AS off, count(*) AS n FROM ${table} WHERE ts IS NOT NULL GROUP BY date_offset`);
  return unexpectedOffsetsWarning(met.map((r) => ({ off: r.off === null ? null : Number(r.off), n: Number(r.n) })), detection);
}
