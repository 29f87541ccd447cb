import type { PublishedFunnelRow } from '../events/publish-events-summary.js';
import { formatCount, formatPercent } from './format-number.js';

/**
 * What the overall funnel's conversion rate says, for the report's and the dashboard's funnel chart. The rate is the
 * nested funnel's: sessions with a view, a cart add and a purchase, of all sessions; sessions that bought without a
 * recorded cart add (a buy-now button, a session cut between cart and checkout) are outside it, so it is no share of
 * sessions that "end in a purchase" — those are named beside it. A withheld rate or count says so.
 *
 * Example: rate 0.229, 513 without a cart → `22.9% of sessions reach a purchase through a view and a cart add; 513 more
 * sessions bought without a recorded cart add (outside the nested funnel)`
 */
export function funnelConversionCaption(overall: Pick<PublishedFunnelRow, 'conversionRate' | 'purchasedWithoutCart'>): string {
  const rate = overall.conversionRate === null ? 'The share of sessions reaching a purchase through a view and a cart add is suppressed' : `${formatPercent(overall.conversionRate, 1)} of sessions reach a purchase through a view and a cart add`;
  const without = overall.purchasedWithoutCart;
  if (without === null) return `${rate}; the count of sessions that bought without a recorded cart add (outside the nested funnel) is suppressed`;
  return without > 0 ? `${rate}; ${formatCount(without)} more ${without === 1 ? 'session' : 'sessions'} bought without a recorded cart add (outside the nested funnel)` : rate;
}
