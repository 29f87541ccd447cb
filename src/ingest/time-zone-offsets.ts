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

/** An ISO date-time's trailing offset: `Z`, or sign, hours and optional minutes. */
const OFFSET_PATTERN = String.raw`^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)? ?(?:(Z|z)|([+-])(\d{2}):?(\d{2})?)$`;

/**
 * SQL (DuckDB) of the UTC offset in minutes an ISO text carries, NULL when it
 * carries none. Texts of 16 characters or fewer (a date, a date and minutes)
 * cannot carry one and skip the pattern.
 */
export function offsetMinutesSql(text: string): string {
  const m = `regexp_extract(${text}, '${OFFSET_PATTERN}', ['z', 'sign', 'hh', 'mm'])`;
  return `CASE WHEN length(${text}) > 16 THEN (CASE WHEN ${m}.z <> '' THEN 0 WHEN ${m}.sign <> '' THEN (CASE WHEN ${m}.sign = '-' THEN -1 ELSE 1 END) * (CAST(${m}.hh AS INTEGER) * 60 + COALESCE(TRY_CAST(${m}.mm AS INTEGER), 0)) END) END`;
}

/** SQL (DuckDB) of an ISO text in shop time: `wallTime` (its timestamp, the offset not read) moved from the text's own offset (if any) to the shop's. */
export function isoInShopTimeSql(wallTime: string, text: string, shop: ShopTimezone): string {
  return `${wallTime} + to_minutes(COALESCE(${shop.minutes} - (${offsetMinutesSql(text)}), 0))`;
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
