/**
 * Prospects of a synthetic shop: people who sign up and browse but never buy
 * (issue 16 item 6). Prospect i gets the id after the buyers' (100001 +
 * customers + i), a profile like a buyer's, a sign-up time uniform over the
 * window's first `acquisitionDays` (at most the window less a day), and
 * browsing sessions after it (`drawProspectSessions`). They are written to
 * customers.csv and events.csv (not to transactions.csv nor
 * truth-customers.csv). Profiles and sign-ups draw from the prospects' own
 * stream and sessions from the events stream after every buyer's, so adding
 * prospects leaves every buyer's rows unchanged, and turning events off
 * leaves the profiles unchanged.
 */
import type { Random } from '../math/random.js';
import type { CsvSink } from './csv-sink.js';
import { drawCustomerProfile } from './draw-customer-profile.js';
import { drawProspectSessions, type SessionContext } from './draw-sessions.js';
import { DAY_MS } from './shop-clock.js';
import type { ShopWindow } from './simulate-shape-purchases.js';
import { FIRST_CUSTOMER_ID } from './simulate-customer.js';
import { customerRow } from './write-customer-rows.js';

export interface ProspectSinks {
  readonly customers: CsvSink;
  readonly events: CsvSink | undefined;
}

/** Write prospect number `index` (0-based) of a shop with `buyers` buyers; returns the sessions written. */
export function writeProspect(random: Random, eventsRandom: Random, sinks: ProspectSinks, sessions: SessionContext | undefined, window: ShopWindow, buyers: number, index: number): number {
  const customerId = String(FIRST_CUSTOMER_ID + buyers + index);
  const profile = drawCustomerProfile(random, customerId);
  const span = Math.max(DAY_MS, Math.min(window.acquisitionMs, window.endMs - window.startMs - DAY_MS));
  const signupMs = Math.round((window.startMs + random.uniform() * span) / 1000) * 1000;
  sinks.customers.writeLine(customerRow(customerId, signupMs, profile));
  if (!sessions) return 0;
  return drawProspectSessions(eventsRandom, sessions, { customerId, anonymousId: profile.anonymousId, signupMs, impulsive: false }, window.endMs);
}
