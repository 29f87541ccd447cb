/**
 * What the generation counted on its way (buyers, orders, lines, dirt,
 * values): filled while customers are simulated and written, read once by
 * `buildShopTruth`.
 */
export interface ShopTally {
  impulsive: number;
  repeatPurchases: number;
  aliveAtEnd: number;
  orders: number;
  purchaseLines: number;
  guestOrders: number;
  duplicate: number;
  missingCustomerId: number;
  nonProduct: number;
  returnOrders: number;
  returnRows: number;
  targetValueSum: number;
  realisedValueSum: number;
  /** prospects written (profiles and browsing, no purchase) */
  prospects: number;
  /** buyers who signed up at their first checkout */
  signupsAtCheckout: number;
  /** buyers who signed up early with a lead reaching back before the window: signed up at its start */
  signupsCutAtWindowStart: number;
}

export function createShopTally(): ShopTally {
  return {
    impulsive: 0, repeatPurchases: 0, aliveAtEnd: 0, orders: 0, purchaseLines: 0, guestOrders: 0,
    duplicate: 0, missingCustomerId: 0, nonProduct: 0, returnOrders: 0, returnRows: 0, targetValueSum: 0, realisedValueSum: 0, prospects: 0,
    signupsAtCheckout: 0, signupsCutAtWindowStart: 0,
  };
}
