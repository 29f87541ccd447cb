import type { RfmMonetary } from './build-rfm-scores-sql.js';

export type RfmDimension = 'recency' | 'frequency' | 'monetary';

/**
 * The warning for an RFM scoring with a dimension the same for every customer, or null. Two or more customers only:
 * one customer is the same as themself on everything.
 *
 * Example: `sameForAllWarning({ customers: 80, sameForAll: ['recency', 'frequency'], monetary: 'total' })` →
 * `'RFM: recency and frequency are the same for every customer, so everyone scores 3 on them: the segments rank by
 * monetary value alone, and what their names say about recency and frequency does not apply'`
 */
export function sameForAllWarning(rfm: { readonly customers: number; readonly sameForAll: readonly RfmDimension[]; readonly monetary: RfmMonetary }): string | null {
  if (rfm.customers < 2 || rfm.sameForAll.length === 0) return null;
  const dimensions: RfmDimension[] = rfm.monetary === 'none' ? ['recency', 'frequency'] : ['recency', 'frequency', 'monetary'];
  const flat = rfm.sameForAll.filter((x) => dimensions.includes(x));
  const rest = dimensions.filter((x) => !flat.includes(x));
  const words = (list: readonly string[]) => (list.length <= 1 ? list.join('') : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`);
  const ranking = rest.length === 0 ? 'the segments rank nobody above anybody' : `the segments rank by ${words(rest.map((x) => (x === 'monetary' ? 'monetary value' : x)))} alone`;
  return `RFM: ${words(flat)} ${flat.length === 1 ? 'is' : 'are'} the same for every customer, so everyone scores 3 on ${flat.length === 1 ? 'it' : 'them'}: ${ranking}, and what their names say about ${words(flat)} does not apply`;
}
