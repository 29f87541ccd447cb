import { UserError } from '../core/errors/user-error.js';
import type { Warehouse } from '../engine/warehouse.js';

/**
 * UTC offsets in ISO dates (`2011-01-04T10:00:00+02:00`, `…Z`). A date with
 * an offset is converted to the shop's time: `--timezone` (a fixed offset or
 * UTC) or, by default, the offset most common among the file's sampled
 * dates, so that a file with one offset keeps its wall times and a file
 * mixing offsets (Shopify, Stripe exports) becomes one consistent clock. A
 * date without an offset is taken as shop time. Named zones (Europe/Paris)
 * are not taken: their offset changes with daylight saving.
 */
export interface ShopTimezone {
  /** minutes east of UTC */
  readonly minutes: number;
  /** `UTC` or `±HH:MM` */
  readonly name: string;
}

/** `UTC` for 0, else `±HH:MM`. */
export function timezoneName(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * The shop time zone a `--timezone` value names: `UTC` (or `Z`), or a fixed
 * offset `±HH:MM`, `±HHMM`, `±HH` within ±14:00.
 *
 * Example: `parseTimezone('-0500')` → `{ minutes: -300, name: '-05:00' }`
 */
export function parseTimezone(text: string): ShopTimezone {
  const value = text.trim();
  if (/^(utc|z|gmt)$/i.test(value)) return { minutes: 0, name: 'UTC' };
  const match = /^([+-])(\d{2})(?::?(\d{2}))?$/.exec(value);
  const minutes = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] ?? 0)) : Number.NaN;
  if (!match || Number(match[3] ?? 0) >= 60 || Math.abs(minutes) > 14 * 60) {
    throw new UserError(
      `--timezone ${value} is not a fixed UTC offset`,
      "pass UTC or an offset such as +01:00 or -05:00 (named zones such as Europe/Paris are not taken: their offset changes with daylight saving); leave it out to use the offset most common in the file",
    );
  }
  return { minutes, name: timezoneName(minutes) };
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

/** SQL (DuckDB) of an ISO text in shop time: `wallTime` (its timestamp, the offset not read) moved from the text's own offset (if any) to the shop's. */
export function isoInShopTimeSql(wallTime: string, text: string, shop: ShopTimezone): string {
  // A cheap test first (most files carry no offset): a text ending in Z or C (… UTC), or with a + anywhere or a - past its date.
  const carries = `length(${text}) > 16 AND (ends_with(${text}, 'Z') OR ends_with(${text}, 'z') OR ends_with(${text}, 'C') OR ends_with(${text}, 'c') OR contains(${text}, '+') OR contains(substr(${text}, 12), '-'))`;
  return `CASE WHEN ${carries} THEN ${wallTime} + to_minutes(${shop.minutes} - (${offsetMinutesSql(text)})) ELSE ${wallTime} END`;
}

export interface OffsetDetection {
  /** the shop time zone: the given one, else the commonest sampled offset; undefined when neither (no sampled date carries an offset) */
  readonly timezone?: ShopTimezone;
  /** a warning when the sampled dates carry more than one offset */
  readonly warning?: string;
}

/**
 * The offsets the sampled dates of `column` carry (first `sampleSize`
 * non-empty values of `table`), and the shop time zone: `given`, else the
 * commonest offset (the one nearest UTC on a tie).
 */
export async function detectShopTimezone(warehouse: Warehouse, table: string, column: string, given: ShopTimezone | undefined, sampleSize = 20000): Promise<OffsetDetection> {
  const d = warehouse.dialect;
  const v = `trim(${d.identifier(column)})`;
  const rows = await warehouse.query(`
    SELECT off, count(*) AS n, max(total) AS total FROM (
      SELECT ${offsetMinutesSql('v')} AS off, count(*) OVER () AS total FROM (SELECT ${v} AS v FROM ${table} WHERE ${v} <> '' LIMIT ${sampleSize}) s
    ) o WHERE off IS NOT NULL GROUP BY off ORDER BY n DESC, abs(off), off`);
  if (rows.length === 0) return given ? { timezone: given } : {};
  const timezone = given ?? { minutes: Number(rows[0]!.off), name: timezoneName(Number(rows[0]!.off)) };
  if (rows.length === 1) return { timezone };
  const counts = rows.map((r) => `${timezoneName(Number(r.off))}: ${Number(r.n).toLocaleString('en-US')}`).join(', ');
  const why = given ? 'as --timezone gives' : 'the commonest; pass --timezone to choose another';
  return { timezone, warning: `dates carry more than one UTC offset (${counts} of ${Number(rows[0]!.total).toLocaleString('en-US')} sampled); converted to ${timezone.name}, ${why}` };
}

/**
 * The shop time zone of one file read with `formats` (only ISO dates carry
 * offsets): `detectShopTimezone` on `column` of `table`, with the zone
 * `timezone` (`--timezone`) names, if given; nothing to do without a date
 * column or rows (`column` undefined).
 */
export async function fileShopTimezone(warehouse: Warehouse, formats: readonly string[], table: string, column: string | undefined, timezone: string | undefined): Promise<OffsetDetection> {
  if (!formats.includes('iso') || column === undefined) return {};
  return detectShopTimezone(warehouse, table, column, timezone === undefined ? undefined : parseTimezone(timezone));
}
