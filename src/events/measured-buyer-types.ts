/**
 * The buyer types as measured, or null when they were not (run.json `events.buyerTypes`). When no session belongs to a
 * customer no purchase can be put in a session: `events.unavailable.buyerTypes` says why and `buyerTypes` is null. A
 * run.json written before session 35 kept zero counts, medians and threshold beside that reason; those zeros were never
 * a measurement, and every reader takes them through here so that they read as not measured too.
 */
import type { BuyerTypeResult } from './classify-buyer-types.js';

/** What the reader needs of an events summary (run.json `events`, as written now or before). */
export interface BuyerTypesOf {
  readonly buyerTypes: BuyerTypeResult | null;
  readonly unavailable?: Readonly<Partial<Record<'purchases' | 'buyerTypes', string>>>;
}

/** The measured buyer types; null when `unavailable.buyerTypes` gives a reason or `buyerTypes` is null. */
export function measuredBuyerTypes(events: BuyerTypesOf): BuyerTypeResult | null {
  return events.unavailable?.buyerTypes !== undefined ? null : events.buyerTypes;
}

/** The events summary with unmeasured buyer types null (a run.json written before: its zero counts dropped). */
export function withMeasuredBuyerTypes<T extends BuyerTypesOf>(events: T): T {
  return events.buyerTypes !== null && measuredBuyerTypes(events) === null ? { ...events, buyerTypes: null } : events;
}
