/**
 * Escapes text for HTML element content and quoted attribute values:
 * `&`, `<`, `>`, `"` and `'` become entities. Every piece of text the report
 * writes into HTML goes through here (numbers are formatted first, then
 * escaped like any other text).
 *
 * Example: `escapeHtml('<b>"A&B"</b>')` → `'&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;'`
 */
export function escapeHtml(text: string | number | boolean | null | undefined): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
