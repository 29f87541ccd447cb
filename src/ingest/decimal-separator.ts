import { UserError } from '../core/errors/user-error.js';
import type { SqlDialect } from '../engine/sql-dialect.js';

/**
 * How a file writes the decimals of its numbers: `.` (`1,234.50`: commas
 * group thousands, as in US and UK exports) or `,` (`1.234,50`: dots group
 * thousands, as in much of Europe). Decided once per file
 * (`detectDecimalSeparator`, or `--decimal-separator`); every number of the
 * file is read by it or quarantined as `bad_number`, never guessed value by
 * value. `undefined`: the sampled rows held whole numbers only — each value
 * is read by the one separator it fits, and `1,234` / `1.234` (either) are
 * quarantined.
 */
export type DecimalSeparator = '.' | ',';

/**
 * The `--decimal-separator` value as a separator: `.` or `,`.
 *
 * Example: `parseDecimalSeparator(',')` → `','`; `parseDecimalSeparator('comma')` throws a `UserError`
 */
export function parseDecimalSeparator(text: string): DecimalSeparator {
  const value = text.trim();
  if (value === '.' || value === ',') return value;
  throw new UserError(`--decimal-separator ${value} is neither . nor ,`, "pass --decimal-separator . (1,234.50) or --decimal-separator , (1.234,50); leave it out to detect it from each file's numbers");
}

/** Words for a separator in messages: `decimal point` / `decimal comma`. */
export function separatorName(separator: DecimalSeparator): string {
  return separator === '.' ? 'decimal point' : 'decimal comma';
}

/**
 * Shapes of number texts (after an optional sign and currency sign), as
 * regular expressions matched in full. A thousands group starts with 1–3
 * digits, the first not 0 (`0,125` is a decimal comma, never 125).
 */
export const NUMBER_SHAPES = {
  /** `1,234`, `1,234,567`, `1,234.50`: commas group thousands (decimal point) */
  pointGrouped: '[1-9][0-9]{0,2}(,[0-9]{3})+([.][0-9]+)?',
  /** `2.50`, `.5`, `5.`, `1234.567`: a decimal point, no grouping */
  pointDecimal: '[0-9]*[.][0-9]+|[0-9]+[.]',
  /** `1.234`, `1.234.567`, `1.234,50`: dots group thousands (decimal comma) */
  commaGrouped: '[1-9][0-9]{0,2}([.][0-9]{3})+(,[0-9]+)?',
  /** `12,5`, `0,99`, `1234,56`: a decimal comma, no grouping */
  commaDecimal: '[0-9]*,[0-9]+',
  /** `1 234`, `1 234 567`: thousands grouped by a space, a no-break or a narrow no-break space (French, Swiss, SI), whole */
  spaceGrouped: '[1-9][0-9]{0,2}([ \u00a0\u202f][0-9]{3})+',
  /** `1,234`, `1.234`: a thousands group or three decimals — the one shape both separators read, differently */
  ambiguous: '[1-9][0-9]{0,2}[.,][0-9]{3}',
} as const;

const SIGN = '[-+]?';
/** A currency sign after the sign (`-$12`, `€12`), dropped before a number is read. */
const CURRENCY = '[$€£¥]';
/** The currency codes read after a number (besides the signs of CURRENCY). */
const CURRENCY_CODES = ['EUR', 'USD', 'GBP', 'CHF', 'JPY', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'HUF', 'CAD', 'AUD'] as const;
/**
 * A currency sign or code after the number, as European exports write it (`12,50 €`, `12,50\u00a0€`, `12.50 EUR`):
 * one, after any run of spaces, no-break or narrow no-break spaces (none, or padding: `12  €`), dropped with them before
 * a number is read. The whole run goes: no space may reach the cast, which DuckDB reads past (`12 ` → 12) and
 * ClickHouse does not (`toFloat64OrNull('12 ')` is NULL).
 */
export const TRAILING_CURRENCY = `[ \u00a0\u202f]*(${CURRENCY}|${CURRENCY_CODES.join('|')})`;

/** Per currency sign of CURRENCY, what may end a number it leads: the same sign, or the code of a currency written with it (`$` for every dollar). */
const SAME_CURRENCY: Readonly<Record<string, readonly string[]>> = { $: ['$', 'USD', 'CAD', 'AUD'], '€': ['€', 'EUR'], '£': ['£', 'GBP'], '¥': ['¥', 'JPY'] };
/**
 * A text (in full) led by one currency's sign and ended by another's sign or code (`$12 EUR`, `-€1.234,50 USD`,
 * `$12 €`): contradictory, never read (bad_number). The same currency twice (`$12 USD`, `€12 €`) is read.
 */
const MIXED_CURRENCIES = `${SIGN}(${Object.entries(SAME_CURRENCY)
  .map(([sign, same]) => {
    const others = [...Object.keys(SAME_CURRENCY), ...CURRENCY_CODES].filter((other) => !same.includes(other));
    return `[${sign}].*(${others.map((other) => (other.length === 1 ? `[${other}]` : other)).join('|')})`;
  })
  .join('|')})`;

/**
 * A text without a currency sign after its sign (`-$1,234` → `-1,234`) nor one after its digits (`12,50 €` → `12,50`);
 * empty (no number) when the two are of different currencies (MIXED_CURRENCIES). The test is a pass of its own, first:
 * folded into the pass that drops the leading sign (an alternative with a group), the regular expression cost twice as
 * much.
 */
function withoutCurrencySql(d: SqlDialect, text: string): string {
  const unmixed = d.replaceFirstMatch(text, `^(${MIXED_CURRENCIES})$`, '');
  return d.replaceFirstMatch(d.replaceFirstMatch(unmixed, `^(${SIGN})${CURRENCY}`, '\\1'), `${TRAILING_CURRENCY}$`, '');
}

/**
 * SQL of a number read from a trimmed text expression with the file's
 * decimal separator, NULL when the text is not a number written so. The
 * plain cast comes first and alone reads a plain number (`12`, `2.50`,
 * `1e3`), so a file without separators pays nothing more; only a text it
 * does not read goes on to a currency sign and the separators:
 *
 * - `.`: `1,234` → 1234, `1,234.50` → 1234.5 (commas only in thousands
 *   groups); `12,5` and `1.234,50` → NULL.
 * - `,`: `12,5` → 12.5, `1.234,50` → 1234.5, `1.234` → 1234 (a text with a
 *   dot never takes the plain cast, which would read 1.234); `2.50` → NULL.
 * - undefined (no decimals in the sampled rows): a text is read by the one
 *   separator it fits (`1,234.50`, `1.234,50`, `12,5`, `2.50`); `1,234` and
 *   `1.234`, which both read differently, → NULL.
 *
 * No expression but the text itself appears twice: the engine computes a
 * repeated expression once for every row, ahead of the COALESCE or CASE that
 * would have skipped it (DuckDB's common subexpression elimination), so the
 * currency sign is dropped last, from the one text the separators left.
 *
 * Example: `numberTextSql(duckdbDialect, 'v', '.')` →
 * `COALESCE(TRY_CAST(v AS DOUBLE), TRY_CAST(regexp_replace(CASE WHEN regexp_full_match(v, '[-+]?[$€£¥]?([1-9][0-9]{0,2}(,[0-9]{3})+([.][0-9]+)?)') THEN replace(v, ',', '') ELSE v END, '^([-+]?)[$€£¥]', '\1') AS DOUBLE))`
 */
export function numberTextSql(d: SqlDialect, text: string, separator: DecimalSeparator | undefined): string {
  const plain = d.tryNumber(text);
  const fits = (shape: string) => d.fullMatch(text, `${SIGN}${CURRENCY}?(${shape})(${TRAILING_CURRENCY})?`);
  const pointGrouped = `WHEN ${fits(NUMBER_SHAPES.pointGrouped)} THEN replace(${text}, ',', '')`;
  const commaGrouped = `WHEN ${fits(NUMBER_SHAPES.commaGrouped)} THEN replace(replace(${text}, '.', ''), ',', '.')`;
  const commaDecimal = `WHEN ${fits(NUMBER_SHAPES.commaDecimal)} THEN replace(${text}, ',', '.')`;
  // thousands grouped by spaces: the spaces dropped, the decimals (if any) by the separator
  const unspaced = `replace(replace(replace(${text}, ' ', ''), '\u00a0', ''), '\u202f', '')`;
  const spacePoint = `WHEN ${fits(`${NUMBER_SHAPES.spaceGrouped}([.][0-9]+)?`)} THEN ${unspaced}`;
  const spaceComma = `WHEN ${fits(`${NUMBER_SHAPES.spaceGrouped}(,[0-9]+)?`)} THEN replace(${unspaced}, ',', '.')`;
  // without a decided separator, one branch for both (an expression written twice is computed for every row: see above)
  const spaceEither = `WHEN ${fits(`${NUMBER_SHAPES.spaceGrouped}([.,][0-9]+)?`)} THEN replace(${unspaced}, ',', '.')`;
  const read = (cases: string, otherwise: string) => d.tryNumber(withoutCurrencySql(d, `CASE ${cases} ELSE ${otherwise} END`));
  switch (separator) {
    case '.':
      return `COALESCE(${plain}, ${read(`${pointGrouped} ${spacePoint}`, text)})`;
    case ',':
      // a dot is a thousands separator here: such a text must not reach the plain cast
      return `CASE WHEN ${text} LIKE '%.%' THEN ${read(commaGrouped, 'NULL')} ELSE COALESCE(${plain}, ${read(`${commaDecimal} ${spaceComma}`, text)}) END`;
    case undefined: {
      // 1.234 before the plain cast (which reads it as 1.234), behind cheap tests (most texts of such a file are short whole
      // numbers: a length test costs a tenth of the plain cast, a test for a dot half); 1,234 after it
      const ambiguous = (separator: string) => `${SIGN}${CURRENCY}?[1-9][0-9]{0,2}[${separator}][0-9]{3}(${TRAILING_CURRENCY})?`;
      const dotted = `length(${text}) > 4 AND ${text} LIKE '%.%' AND ${d.fullMatch(text, ambiguous('.'))}`;
      return `CASE WHEN ${dotted} THEN NULL ELSE COALESCE(${plain}, ${read(`WHEN ${d.fullMatch(text, ambiguous(','))} THEN NULL ${pointGrouped} ${commaGrouped} ${commaDecimal} ${spaceEither}`, text)}) END`;
    }
  }
}

/** SQL: true when a trimmed text is a number of the ambiguous shape (`1,234`, `-$1.234`, `1.234 €`), which the two separators read differently; a separator with three characters after it is tested first, a cheap test before the pattern. */
export function ambiguousNumberSql(d: SqlDialect, text: string): string {
  return `((${text} LIKE '%_,___%' OR ${text} LIKE '%_.___%') AND ${d.fullMatch(text, `${SIGN}${CURRENCY}?(${NUMBER_SHAPES.ambiguous})(${TRAILING_CURRENCY})?`)})`;
}

/**
 * SQL of why a trimmed number text the separator does not read was
 * rejected, for a quarantine detail: ` (signs of two different currencies)`
 * for `$12 EUR` (MIXED_CURRENCIES); else ` (not a number with a decimal comma,
 * the separator of this file)`, or without a separator ` (a decimal point or
 * a decimal comma? …)` for `1,234` / `1.234` and ` (not a number)` else.
 */
export function numberProblemSql(d: SqlDialect, text: string, separator: DecimalSeparator | undefined): string {
  const mixed = `WHEN ${d.fullMatch(text, MIXED_CURRENCIES)} THEN ' (signs of two different currencies)'`;
  if (separator !== undefined) return `CASE ${mixed} ELSE ${d.literal(` (not a number with a ${separatorName(separator)}, the separator of this file)`)} END`;
  return `CASE ${mixed} WHEN ${ambiguousNumberSql(d, text)} THEN ' (a decimal point or a decimal comma? the sampled rows do not say: pass --decimal-separator)' ELSE ' (not a number)' END`;
}

/**
 * What a number text means with a separator, as the engine would read it (for
 * messages): `readWithSeparator('1,234', '.')` → `'1234'`, `readWithSeparator('1,234', ',')` → `'1.234'`.
 */
export function readWithSeparator(text: string, separator: DecimalSeparator): string {
  const bare = text.trim().replace(/^([-+]?)[$€£¥]/u, '$1').replace(new RegExp(`${TRAILING_CURRENCY}$`, 'u'), '');
  const normal = separator === '.' ? bare.replaceAll(',', '') : bare.replaceAll('.', '').replace(',', '.');
  const value = Number(normal);
  return Number.isFinite(value) ? String(value) : text;
}
