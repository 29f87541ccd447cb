/**
 * The words of the events step's input warnings (events-data-warnings.ts): which `--timezone` the clock warning names
 * from the offsets the ingests read, when it speaks at all, and the warning of few orders in sessions with no shift
 * doing better.
 */
import { describe, expect, it } from 'vitest';
import { clockFix, clocksDiffer, durationWords, eventsDataWarnings } from '../../src/events/events-data-warnings.js';
import type { OrderPlacement } from '../../src/events/measure-order-placement.js';
import type { StitchingCounts } from '../../src/events/build-event-sessions.js';
import { runWords } from '../../src/core/run-words.js';

const cli = runWords(false);
const placement = (p: Partial<OrderPlacement>): OrderPlacement => ({ orders: 100, dated: 0, datedPlaced: 0, timedChecked: 100, timedInSession: 80, eventsAheadMinutes: 0, timedInSessionShifted: 80, ...p });
const stitching: StitchingCounts = { events: 500, visitorsLinked: 10, visitorsLinkedByLogin: 10, visitorsLinkedByPurchase: 0, visitorsAnonymous: 0, sessionsStitched: 5, customersReached: 5, sessions: 200, customerSessions: 200, sessionsWithoutIds: 0, eventsAfterAsOf: 0 };
const warnings = (p: OrderPlacement) => eventsDataWarnings({ stitching, orderPlacement: p }, { asOf: '2024-01-31', asOfGiven: false, words: cli });

describe('the --timezone the clock warning names', () => {
  it('moves the events when their dates carry an offset and the orders\' none, the orders in the other case', () => {
    expect(clockFix(300, { events: ['UTC'], orders: [null] }, cli)).toMatch(/^read the event files with --timezone -05:00: /);
    expect(clockFix(-330, { events: ['+01:00'], orders: [null, null] }, cli)).toMatch(/^read the event files with --timezone \+06:30: /);
    // orders in UTC (…Z), events at local wall time 5 hours behind: the orders moved to -05:00
    expect(clockFix(-300, { events: [null], orders: ['UTC'] }, cli)).toMatch(/^read the order files with --timezone -05:00: /);
  });

  it('converts both to one clock when both carry offsets that differ by the shift, and says what to export otherwise', () => {
    expect(clockFix(60, { events: ['+01:00'], orders: ['UTC'] }, cli)).toMatch(/^read the files with one --timezone \(e\.g\. --timezone UTC\)/);
    expect(clockFix(300, { events: [null], orders: [null] }, cli)).toBe(
      "--timezone converts only dates that carry a UTC offset: export the events with theirs (e.g. 2023-05-01T10:00:00Z) and read them with the orders' --timezone, or export them on the orders' clock (moved 5 hours back)",
    );
    expect(clockFix(300, { events: ['America/New_York'], orders: [null] }, cli)).toMatch(/^--timezone converts only/);
    expect(clockFix(-90, undefined, runWords(true))).toBe("send the events' times on the orders' clock (moved 1 hour 30 minutes forward), or the events and orders both with the same UTC offset");
  });

  it('writes durations in hours and minutes', () => {
    expect([durationWords(300), durationWords(-30), durationWords(330), durationWords(60)]).toEqual(['5 hours', '30 minutes', '5 hours 30 minutes', '1 hour']);
  });
});

describe('when the clock warning speaks', () => {
  it('needs a shift that places at least twice the orders, at least 10, and a tenth of those checked', () => {
    expect(clocksDiffer(placement({ timedInSession: 3, eventsAheadMinutes: 300, timedInSessionShifted: 90 }))).toBe(true);
    expect(clocksDiffer(placement({ timedInSession: 50, eventsAheadMinutes: 300, timedInSessionShifted: 90 }))).toBe(false);
    expect(clocksDiffer(placement({ timedInSession: 0, eventsAheadMinutes: 300, timedInSessionShifted: 9 }))).toBe(false);
    expect(clocksDiffer(placement({ timedChecked: 1000, timedInSession: 0, eventsAheadMinutes: 300, timedInSessionShifted: 90 }))).toBe(false);
    expect(clocksDiffer(placement({ timedInSession: 0, eventsAheadMinutes: 0, timedInSessionShifted: 0 }))).toBe(false);
  });

  it('says few orders fall in sessions when no shift helps, and nothing on aligned orders', () => {
    expect(warnings(placement({ timedInSession: 4, timedInSessionShifted: 4 }))).toEqual([
      "only 4 of 100 orders by customers with sessions fall in one of their sessions (from its first event to 60 minutes after its last), and no shift of the events' clock within 14 hours places many more: the funnel's purchases and the buyer types rest on few orders; check that the events and the orders are of the same customers and days",
    ]);
    expect(warnings(placement({}))).toEqual([]);
  });

  it('counts the dated orders placed by day once they are 1% of the orders', () => {
    expect(warnings(placement({ orders: 1000, dated: 9, datedPlaced: 9, timedChecked: 991, timedInSession: 900, timedInSessionShifted: 900 }))).toEqual([]);
    expect(warnings(placement({ orders: 1000, dated: 10, datedPlaced: 7, timedChecked: 990, timedInSession: 900, timedInSessionShifted: 900 }))).toEqual([
      expect.stringMatching(/^10 of 1,000 orders have no time of day .*\(7 were; 3 had no such session and count in none\)/),
    ]);
  });
});
