/**
 * Repeat-purchase items: items that a notable share of their buyers buy again.
 * Recommenders normally exclude what a customer already bought; repeat items
 * stay eligible. Item i is a repeat item when
 *   repeatBuyers(i) ≥ minRepeatBuyers  and  repeatBuyers(i) / buyers(i) ≥ repeatShare,
 * with repeatBuyers = customers who bought i in ≥ 2 distinct training orders.
 * A repeatShare above 1 turns repeats off (never re-recommend).
 */
import { UserError } from '../../core/errors/user-error.js';
import type { PurchaseHistory } from './purchase-history.js';

export interface RepeatItemOptions {
  /** minimum share of buyers who bought the item in ≥ 2 orders (default 0.2) */
  readonly repeatShare?: number;
  /** minimum number of such repeat buyers, guarding against tiny counts (default 3) */
  readonly minRepeatBuyers?: number;
}

/** Per item: the share of buyers who are repeat buyers (NaN for items nobody bought). */
export function computeRepeatShares(history: PurchaseHistory): Float64Array {
  const shares = new Float64Array(history.nItems);
  for (let i = 0; i < history.nItems; i++) shares[i] = history.buyerCounts[i] > 0 ? history.repeatBuyerCounts[i] / history.buyerCounts[i] : NaN;
  return shares;
}

/** Per item: 1 when it may be recommended again to customers who already bought it. */
export function findRepeatItems(history: PurchaseHistory, options: RepeatItemOptions = {}): Uint8Array {
  const repeatShare = options.repeatShare ?? 0.2;
  const minRepeatBuyers = options.minRepeatBuyers ?? 3;
  if (!(repeatShare >= 0) || !Number.isFinite(repeatShare)) throw new UserError(`repeatShare must be a finite number ≥ 0, got ${repeatShare}`, 'e.g. 0.2; above 1 turns repeats off');
  if (!(minRepeatBuyers >= 0) || !Number.isInteger(minRepeatBuyers)) throw new UserError(`minRepeatBuyers must be a non-negative integer, got ${minRepeatBuyers}`);
  const repeat = new Uint8Array(history.nItems);
  for (let i = 0; i < history.nItems; i++) {
    const buyers = history.buyerCounts[i];
    const repeaters = history.repeatBuyerCounts[i];
    if (buyers > 0 && repeaters >= minRepeatBuyers && repeaters / buyers >= repeatShare) repeat[i] = 1;
  }
  return repeat;
}
