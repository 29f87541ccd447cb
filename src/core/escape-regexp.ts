/**
 * `text` with every character a regular expression reads as syntax escaped, to match it literally.
 *
 * Example: `new RegExp(escapeRegExp('a.b|c'))` matches `a.b|c` and not `axb`
 */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
