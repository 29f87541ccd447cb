/** A plain decimal number: an optional sign, digits with an optional decimal point, an optional exponent (1e-3). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A number as a flag gives it: a plain decimal number (spaces around it allowed), else NaN, which each flag refuses
 * in one line with its hint. `Number(text)` alone took a blank text — empty or spaces, as an unset shell variable
 * leaves it (`--penalty "$PENALTY"`) — as 0, and hex (`0x10` → 16), octal, binary and `Infinity` as numbers.
 *
 * Example: `numberText('0.5')` → 0.5; `numberText('1e-3')` → 0.001; `numberText('')` → NaN; `numberText('0x10')` → NaN
 */
export function numberText(text: string | undefined): number {
  // (an option commander left undefined is NaN too)
  return typeof text === 'string' && DECIMAL.test(text.trim()) ? Number(text) : Number.NaN;
}
