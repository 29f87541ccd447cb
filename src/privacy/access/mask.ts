import type { MaskRule, PiiRole, SensitivityClass } from './classification.js';

/** A rule, a sensitivity class (→ its default rule) or an ingest PII role (→ its rule). */
export type MaskKind = MaskRule | SensitivityClass | PiiRole;

export type MaskableValue = string | number | bigint | boolean | Date | null | undefined;

/** What `redact` shows; it hides even the length. */
export const REDACTED = '[redacted]';
const STARS = '***';

let segmenter: Intl.Segmenter | undefined;

/** User-perceived characters (grapheme clusters): `'Łukasz'` → 6, `'e\u0301'` → 1, `'张伟'` → 2. */
function graphemes(text: string): string[] {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** A Latin or CJK first character not followed by a combining mark, joiner or variation selector: one grapheme without segmenting. */
const SIMPLE_FIRST = /^[\u0020-\u024f\u4e00-\u9fff](?![\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u200c\u200d\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f\u{e0100}-\u{e01ef}])/u;

function firstGrapheme(text: string): string {
  if (SIMPLE_FIRST.test(text)) return text[0];
  return graphemes(text)[0] ?? '';
}

/**
 * Keeps the first character of the local part and the whole domain. Text
 * without a usable `@` is masked as `partial`. (The domain stays visible: it
 * is needed to judge deliverability and is shared by many people — except
 * for personal domains, which is why raw e-mail stays a `personal` column.)
 *
 * Example: `maskEmail('zhang.li@example.com')` → `'z***@example.com'`
 */
export function maskEmail(email: string): string {
  const text = email.trim();
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return maskPartial(text);
  return `${firstGrapheme(text.slice(0, at))}${STARS}@${text.slice(at + 1)}`;
}

/**
 * Masks the digits of a phone number in place; `+`, spaces, dashes and
 * brackets stay where they are. With n digits:
 *
 * - n ≥ 11: first 3 and last 4 digits kept (`138****5678`, `+44 7*** **3456`);
 * - 8 ≤ n ≤ 10: last 4 kept and the first n − 8 (0 to 2) — at least 4 masked
 *   (`(415) 555-2671` → `(41*) ***-2671`);
 * - 5 ≤ n ≤ 7: last 2 kept, and the first one when n = 7;
 * - n ≤ 4: every digit masked.
 *
 * Text without digits becomes `***`.
 *
 * Example: `maskPhone('13812345678')` → `'138****5678'`
 */
export function maskPhone(phone: string): string {
  const text = phone.trim();
  const digitCount = (text.match(/\d/g) ?? []).length;
  if (digitCount === 0) return text === '' ? '' : STARS;
  const keepEnd = digitCount >= 8 ? 4 : digitCount >= 5 ? 2 : 0;
  const keepStart = digitCount <= 4 ? 0 : Math.max(0, Math.min(3, digitCount - keepEnd - 4));
  let index = 0;
  return text.replace(/\d/g, (digit) => {
    const i = index++;
    return i < keepStart || i >= digitCount - keepEnd ? digit : '*';
  });
}

/**
 * Each part of a name (split at spaces, hyphens and the middle dots used in
 * transliterated names) becomes its first character and `**`, whatever its
 * length, so the mask does not reveal the length. A name written without
 * spaces (Chinese, Japanese, Korean) is one part.
 *
 * Example: `maskName('Zhang Li')` → `'Z** L**'`; `maskName('Łukasz Żółć')` → `'Ł** Ż**'`; `maskName('张伟')` → `'张**'`
 */
export function maskName(name: string): string {
  return name
    .trim()
    .split(/([\s\-‐·・]+)/u)
    .map((part, i) => (i % 2 === 1 ? part : part === '' ? '' : `${firstGrapheme(part)}**`))
    .join('');
}

const UNIT_LINE = /^(?:apt|apartment|suite|ste|unit|flat|floor|fl|room|rm|building|bldg|no\.?|p\.?\s?o\.?\s?box|c\/o|#)(?=[\s\d.#]|$)|#\s*\d/iu;
const CJK_AREA = /^(?:\p{Script=Han}{1,7}?(?:自治区|特别行政区|省|市|区|県|县|州|盟|旗|都|道|府))+/u;

/**
 * Keeps the area (city, region, postcode district, country) and hides the
 * street, house number and unit. Rule:
 *
 * 1. Split into parts at commas, semicolons (also full-width) and line breaks.
 * 2. The first part is the street line: replaced by `***`. A later part that
 *    starts with a unit word (Apt, Suite, Unit, Flat, Floor, Room, Building,
 *    No., PO Box, c/o) or holds `#<number>` is hidden too.
 * 3. In the remaining parts, the first word containing a digit (the postcode)
 *    keeps its first 3 characters and masks the rest (`94103` → `941**`,
 *    `NW1` stays); any later word with a digit (UK inward code, a stray
 *    number) becomes `***`.
 * 4. A single-part address: when it starts with CJK administrative divisions
 *    (省/市/区/县/都/道/府/県 …), those are kept and the rest hidden
 *    (`北京市朝阳区建国路88号` → `北京市朝阳区***`); otherwise the street cannot
 *    be told from the city and everything is hidden (`***`).
 *
 * Example: `maskAddress('1 Market St, Suite 400, San Francisco, CA 94103, USA')` → `'***, ***, San Francisco, CA 941**, USA'`
 */
export function maskAddress(address: string): string {
  const parts = address.trim().split(/\s*(?:[,;，；、]|\r?\n)\s*/u).filter((p) => p !== '');
  if (parts.length === 0) return '';
  if (parts.length === 1) {
    const area = CJK_AREA.exec(parts[0])?.[0];
    return area && area.length < parts[0].length ? `${area}${STARS}` : STARS;
  }
  return [STARS, ...parts.slice(1).map((part) => (UNIT_LINE.test(part) ? STARS : maskPostcodes(part)))].join(', ');
}

function maskPostcodes(part: string): string {
  let seenPostcode = false;
  return part
    .split(/(\s+)/u)
    .map((word) => {
      if (!/\d/.test(word)) return word;
      if (seenPostcode) return STARS;
      seenPostcode = true;
      const chars = graphemes(word);
      return chars.length <= 3 ? word : chars.slice(0, 3).join('') + '*'.repeat(chars.length - 3);
    })
    .join('');
}

/**
 * A year generalised to its decade: `1987` → `198*`. Anything that is not a
 * four-digit year becomes `***`.
 */
export function maskYear(year: string | number): string {
  const text = String(year).trim();
  return /^\d{4}$/.test(text) ? `${text.slice(0, 3)}*` : STARS;
}

/** First character and `***`: `'Prefers SMS'` → `'P***'`. */
export function maskPartial(text: string): string {
  const trimmed = text.trim();
  return trimmed === '' ? '' : `${firstGrapheme(trimmed)}${STARS}`;
}

/** The rule a class or role masks with: personal → partial, personal-sensitive and note → redact, internal/public → none. */
export function maskRuleFor(kind: MaskKind): MaskRule {
  switch (kind) {
    case 'personal-sensitive':
    case 'note':
      return 'redact';
    case 'personal':
      return 'partial';
    case 'internal':
    case 'public':
      return 'none';
    default:
      return kind;
  }
}

/**
 * Masks one value by rule, class or PII role. `null`/`undefined` stay `null`
 * (a missing value is not hidden); `none` returns the value unchanged; every
 * other rule returns text (numbers and dates are formatted first).
 *
 * Example: `maskValue('13812345678', 'phone')` → `'138****5678'`; `maskValue('had surgery', 'personal-sensitive')` → `'[redacted]'`
 */
export function maskValue(value: MaskableValue, kind: MaskKind): MaskableValue {
  if (value === null || value === undefined) return null;
  const rule = maskRuleFor(kind);
  if (rule === 'none') return value;
  if (rule === 'redact') return REDACTED;
  const text = value instanceof Date ? value.toISOString() : String(value);
  switch (rule) {
    case 'email':
      return maskEmail(text);
    case 'phone':
      return maskPhone(text);
    case 'name':
      return maskName(text);
    case 'address':
      return maskAddress(text);
    case 'year':
      return maskYear(text);
    case 'partial':
      return maskPartial(text);
  }
}
