/**
 * Events with a session id only (QA of session 34, finding 9): no customer or
 * visitor id, so no session can be matched to an order — analyze published
 * "people 17,778" (each session a person), a conversion rate of 0% and every
 * cart abandoned, as if measured, and no warning. Now a warning says why, and
 * the purchase figures are published empty (`events.unavailable`), the
 * report and the summary saying "not measured".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventsDataWarnings } from '../../src/events/events-data-warnings.js';
import type { StitchingCounts } from '../../src/events/build-event-sessions.js';
import type { OrderPlacement } from '../../src/events/measure-order-placement.js';
import { purchasesUnattributed } from '../../src/events/run-events.js';
import { runWords } from '../../src/core/run-words.js';
import { analyze } from '../../src/pipeline/analyze.js';
import { writeSessionOnlyShop } from '../helpers/session-only-events.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('events with a session id only', () => {
  let dir: string;
  let run: Record<string, any>;
  beforeAll(async () => {
    dir = scratchDir();
    // events with a session id only: no session can be matched to an order, so no buyer type can be measured
    const shop = writeSessionOnlyShop(dir);
    await analyze({
      files: [shop.orders], eventFiles: [shop.events], db: ':memory:', outDir: join(dir, 'out'),
      skipModels: true, skipPatterns: true,
    });
    run = JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8'));
  }, 120_000);

  it('publishes the purchase step, the conversion rate and the carts abandoned empty, with why', () => {
    const overall = run.events.funnels.overall;
    expect(run.events.stitching).toMatchObject({ sessions: 12, customerSessions: 0, sessionsWithoutIds: 12 });
    expect(overall).toMatchObject({ people: 12, sessions: 12, conversionRate: null, conversionLow: null, conversionHigh: null, cartsAbandoned: null, purchasedWithoutCart: null });
    expect(overall.purchased).toEqual({ sessions: null, people: null, rate: null, rateLow: null, rateHigh: null });
    expect(overall.carted.sessions).toBe(12); // what was measured stays
    expect(run.events.unavailable.purchases).toContain('the events carry no customer or visitor id (a session id only)');
    expect(run.events.unavailable.buyerTypes).toBe(run.events.unavailable.purchases);
    expect(run.events.buyerTypes).toBeNull(); // not zero counts, which read as measured
  });

  it('says so in one warning, with how to give the ids', () => {
    const warnings = (run.warnings as string[]).filter((w) => w.startsWith('purchases cannot be attributed to sessions'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('each session counts as one person');
    expect(warnings[0]).toContain('--map customer_id=<column>');
  });

  it('shows "not measured" in the report, not a 0% conversion nor "suppressed"', () => {
    const html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    expect(html).toContain('Purchases not measured: the events carry no customer or visitor id');
    expect(html).toContain('<td class="num">not measured</td>');
  });
});

describe('the warnings about sessions without a customer', () => {
  const stitching = (sessions: number, customerSessions: number, sessionsWithoutIds: number): StitchingCounts => ({
    events: 100, visitorsLinked: 0, visitorsLinkedByLogin: 0, visitorsLinkedByPurchase: 0, visitorsAnonymous: 0, sessionsStitched: 0, customersReached: 0,
    sessions, customerSessions, sessionsWithoutIds, eventsAfterAsOf: 0,
  });
  const placement: OrderPlacement = { orders: 0, dated: 0, datedPlaced: 0, timedChecked: 0, timedInSession: 0, eventsAheadMinutes: 0, timedInSessionShifted: 0 };
  const warn = (s: StitchingCounts) => {
    const reason = purchasesUnattributed(s);
    return eventsDataWarnings({ stitching: s, orderPlacement: placement, ...(reason ? { unavailable: { purchases: reason, buyerTypes: reason } } : {}) }, { asOf: '2024-01-01', asOfGiven: true, words: runWords(false) });
  };

  it('leaves the purchases unmeasured when only anonymous visitors, never linked, browsed', () => {
    expect(purchasesUnattributed(stitching(40, 0, 0))).toContain('no visitor id was linked to one');
    expect(warn(stitching(40, 0, 0))).toEqual([expect.stringContaining('purchases cannot be attributed to sessions: no session belongs to a customer')]);
  });

  it('measures them, and counts the sessions without ids in a warning, when some sessions have a customer', () => {
    expect(purchasesUnattributed(stitching(400, 300, 30))).toBeNull();
    expect(warn(stitching(400, 300, 30))).toEqual(['30 of 400 sessions carry no customer or visitor id (a session id only): each counts as one person and none can be matched to an order, so the conversion rate counts them as sessions without a purchase']);
    expect(warn(stitching(400, 400, 0))).toEqual([]);
  });
});
