/**
 * A number as a flag gives it: `Number(text)`, except that a blank text — empty or spaces, as an unset shell variable
 * leaves it (`--penalty "$PENALTY"`) — is no number, where `Number('')` and `Number(' ')` are 0 and a flag would be
 * taken as 0 without a word.
 *
 * Example: `numberText('0.5')` → 0.5; `numberText('')` → NaN; `numberText(' ')` → NaN
 */
export function numberText(text: string | undefined): number {
  // (an option commander left undefined is NaN, as Number reads it)
  return typeof text === 'string' && text.trim() === '' ? Number.NaN : Number(text);
}
