/**
 * The value page's concentration figures, without the DOM (tests under test/dashboard import this in Node): the API
 * sends a withheld top share and an uncomputable Gini as null (JsonValueConcentration), shown as "withheld" and a dash.
 */
import type { JsonValueConcentration } from '../../src/server/routes/read-api-types.js';
import { formatMoney, formatCount, formatNumber, formatPercent } from '../../src/report/format-number.js';
import type { ValueConcentration } from '../../src/report/value-concentration.js';

/** What a top share withheld at k (its customers are not a point of the suppressed curve) shows. */
export const WITHHELD = 'withheld';

/** The value share of the top `share` of customers: a percentage, "withheld", or a dash when the run has no such point. */
export function topShareText(c: JsonValueConcentration, share: number, digits = 1): string {
  const top = c.top.find((t) => t.customerShare === share);
  if (!top) return formatPercent(null);
  return top.valueShare === null ? WITHHELD : formatPercent(top.valueShare, digits);
}

/** The Concentration tiles; `minGroupSize` (the run's k) is named in the note of a withheld share. */
export function concentrationKpis(c: JsonValueConcentration, minGroupSize: number): { label: string; value: string; note?: string }[] {
  const topTile = (share: number) => {
    const value = topShareText(c, share);
    return { label: `top ${formatPercent(share, 0)} of customers`, value, note: value === WITHHELD ? `of value; withheld: it would tell apart fewer than ${minGroupSize} customers` : 'of value' };
  };
  return [
    { label: 'historic value', value: formatMoney(c.totalValue), note: `${formatCount(c.customers)} customers` },
    { label: 'mean per customer', value: formatMoney(c.customers === 0 ? NaN : c.totalValue / c.customers) },
    topTile(0.1),
    topTile(0.2),
    { label: 'Gini coefficient', value: formatNumber(c.gini ?? NaN, 2), note: c.gini === null ? 'not computable: no customer has a positive value' : '0 = equal, 1 = one customer has all' },
  ];
}

/** The concentration for the Pareto chart: null figures back to NaN, which the chart leaves out (null would draw at 0). */
export function paretoCurveOf(c: JsonValueConcentration): ValueConcentration {
  return {
    ...c,
    valueShare: c.valueShare.map((v) => v ?? NaN),
    top: c.top.map((t) => ({ customerShare: t.customerShare, valueShare: t.valueShare ?? NaN })),
    gini: c.gini ?? NaN,
  };
}
