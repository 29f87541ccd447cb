/**
 * Prospects of a synthetic shop: people who sign up and browse but never buy
 * (issue 16 item 6). Prospect i gets the id after the buyers' (100001 +
 * customers + i), a profile like a buyer's, a sign-up time uniform over the
 * window's first `acquisitionDays` (at most the window less a day), and
 * browsing as an early-signing buyer's before the first order
 * (draw-visits.ts): anonymous visits before the sign-up, the sign-up session,
 * then sessions at their own browsing rate (around `browseRate`, a
 * `browseRatio`-th of a future buyer's) for a time drawn as a buyer's sign-up
 * lead (log-normal, median `signupLeadDays`, σ = 1), after which they browse
 * no more. They are written to customers.csv and events.csv (not to
 * transactions.csv nor truth-customers.csv). Profiles and sign-ups draw from
 * the prospects' own stream and sessions from the events stream after every
 * buyer's, so adding prospects leaves every buyer's rows unchanged, and
 * turning events off leaves the profiles unchanged.
 */
import type { Random } from '../math/random.js';
import type { CsvSink } from './csv-sink.js';
import { drawCustomerProfile } from './draw-customer-profile.js';
import { drawBrowseRate, drawConsideringSessions, drawSignupSession, drawVisitsBeforeSignup } from './draw-visits.js';
import { closePerson, openPerson, type SessionContext } from './online-person.js';
import { DAY_MS, HOUR_MS } from './shop-clock.js';
import type { ShopWindow } from './simulate-shape-purchases.js';
import { FIRST_CUSTOMER_ID, signupLeadMs } from './simulate-customer.js';
import { customerRow } from './write-customer-rows.js';

export interface ProspectSinks {
  readonly customers: CsvSink;
  readonly events: CsvSink | undefined;
}

/** Write prospect number `index` (0-based) of a shop with `buyers` buyers. */
export function writeProspect(random: Random, eventsRandom: Random, sinks: ProspectSinks, sessions: SessionContext | undefined, window: ShopWindow, buyers: number, index: number): void {
  const customerId = String(FIRST_CUSTOMER_ID + buyers + index);
  const profile = drawCustomerProfile(random, customerId);
  const span = Math.max(DAY_MS, Math.min(window.acquisitionMs, window.endMs - window.startMs - DAY_MS));
  const signupMs = Math.round((window.startMs + random.uniform() * span) / 1000) * 1000;
  sinks.customers.writeLine(customerRow(customerId, signupMs, profile));
  if (!sessions) return;
  const person = openPerson(eventsRandom, sessions, customerId, profile.anonymousId, signupMs, false);
  drawVisitsBeforeSignup(eventsRandom, sessions, person, window.startMs, signupMs);
  drawSignupSession(eventsRandom, sessions, person);
  const browsingMs = signupLeadMs(sessions.options.signupLeadDays, eventsRandom.normal());
  const rate = drawBrowseRate(eventsRandom, sessions, false);
  drawConsideringSessions(eventsRandom, sessions, person, signupMs + HOUR_MS, Math.min(signupMs + browsingMs, window.endMs - HOUR_MS), rate, sessions.tally.consideringProspects);
  closePerson(sessions, person);
}
