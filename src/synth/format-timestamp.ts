/**
 * ISO-8601 local timestamp without zone, to the second: `2022-03-04T10:15:00`
 * (the wall-clock time of the shop; clvkit reads it as given, no zone
 * conversion). Milliseconds are truncated (floor). Same text as
 * `new Date(ms).toISOString().slice(0, 19)`, about 5× faster: the day part
 * is cached (consecutive rows mostly share a day) and the time is built from
 * a table of two-digit strings — it is the hottest function of a large shop.
 */
const TWO_DIGITS: readonly string[] = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const SECONDS_PER_DAY = 86_400;

let cachedDay = NaN;
let cachedDayPrefix = '';

export function formatTimestamp(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const day = Math.floor(seconds / SECONDS_PER_DAY);
  if (day !== cachedDay) {
    cachedDayPrefix = `${new Date(day * SECONDS_PER_DAY * 1000).toISOString().slice(0, 10)}T`;
    cachedDay = day;
  }
  let rest = seconds - day * SECONDS_PER_DAY;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  return cachedDayPrefix + TWO_DIGITS[hours] + ':' + TWO_DIGITS[minutes] + ':' + TWO_DIGITS[rest - minutes * 60];
}

/** The day part, `2022-03-04`. */
export function formatDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
