/**
 * The key one group goes by in every table of a run: its label as one table wrote it, in Unicode NFC, trimmed, its
 * runs of white space one space, in lower case. The tables that count a group whole (the stages, the RFM segments, the
 * cohorts, the KPIs' acquisition channels) and the funnels that show the same groups read their labels from different
 * queries (and engines); the decision on a group is looked up by this key, not by the label as displayed, so `Paid
 * Search` of one table and `paid search ` of another are one group.
 *
 * Example: `groupKey(' Paid  Search ')` → `'paid search'`.
 */
export function groupKey(label: string): string {
  return label.normalize('NFC').trim().replace(/\s+/gu, ' ').toLowerCase();
}
