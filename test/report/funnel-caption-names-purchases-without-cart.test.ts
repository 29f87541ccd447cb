/**
 * The funnel chart's caption said the conversion rate was the share of sessions that "end in a purchase". The rate is
 * the nested funnel's (a view, a cart add and a purchase, of all sessions): sessions that bought without a recorded cart
 * add are outside it. With sessions split at a 5-minute gap (`--session-gap 5`, seed-123 synthetic shop), 513 of the
 * 35,262 sessions bought without a cart add beside the 8,088 through the funnel: the caption said 22.9% of sessions
 * ended in a purchase while at least 24.4% did. Now it says what the rate counts and names the others; a withheld rate
 * says so (the report wrote "– of sessions end in a purchase").
 */
import { describe, expect, it } from 'vitest';
import type { PublishedEventsSummary } from '../../src/events/publish-events-summary.js';
import { renderEventsSection } from '../../src/report/sections/events-section.js';
import { fixtureEvents } from './events-fixture.js';
import { fixtureReportData } from './report-fixture.js';

const withOverall = (overall: Partial<PublishedEventsSummary['funnels']['overall']>): PublishedEventsSummary => {
  const events = fixtureEvents('x');
  return { ...events, funnels: { ...events.funnels, overall: { ...events.funnels.overall, ...overall } } };
};
const caption = (events: PublishedEventsSummary) => {
  const html = renderEventsSection(fixtureReportData(200), events).html;
  const at = html.indexOf('Session funnel: view');
  return html.slice(at, html.indexOf('each bar', at));
};

describe('the funnel chart’s caption', () => {
  it('says the rate counts sessions through a view and a cart add, and names those that bought without a cart add', () => {
    const text = caption(withOverall({ sessions: 35_262, conversionRate: 8088 / 35_262, purchasedWithoutCart: 513 }));
    expect(text).toContain('22.9% of sessions reach a purchase through a view and a cart add; 513 more sessions bought without a recorded cart add');
    expect(text).not.toContain('end in a purchase');
  });

  it('names no other purchases when every purchase went through a cart add', () => {
    const text = caption(withOverall({ conversionRate: 0.25, purchasedWithoutCart: 0 }));
    expect(text).toContain('25.0% of sessions reach a purchase through a view and a cart add;');
    expect(text).not.toContain('without a recorded cart add');
  });

  it('says a withheld rate is suppressed, not “– of sessions”', () => {
    const text = caption(withOverall({ conversionRate: null, conversionLow: null, conversionHigh: null }));
    expect(text).toContain('The share of sessions reaching a purchase through a view and a cart add is suppressed');
    expect(text).not.toContain('–');
  });
});
