/**
 * One customer of the synthetic shop, simulated (nothing written): profile,
 * sign-up, buyer type, purchase dates (`simulateShapePurchases`), spend and
 * baskets.
 *
 * Sign-up: with probability `signupAtCheckoutShare` at the first checkout,
 * 1–20 minutes before the first order; else a log-normal lead before it, of
 * median `signupLeadDays` and σ = 1 (`signupLeadMs`), cut at the window
 * start. Drawn from the sign-up stream (two draws per
 * customer whatever the outcome), so sign-ups change nothing else.
 *
 * Spend: ν ~ Gamma(q, rate γ) per customer, each order's target value
 * z ~ Gamma(p, rate ν) (Gamma-Gamma), realised as a basket priced at z (`drawBasket`)
 * with the planted association rules and the planted sequences (a customer's
 * first order with X puts Y into their next order with the sequence's
 * probability).
 */
import type { Random } from '../math/random.js';
import { buildProductCatalog } from './build-product-catalog.js';
import { drawBasket, type Basket, type BasketContext, type ResolvedRule } from './draw-basket.js';
import { drawCustomerProfile, type CustomerProfile } from './draw-customer-profile.js';
import { DAY_MS, MINUTE_MS, roundToSecond } from './shop-clock.js';
import { parseDayMs, type ResolvedShopOptions } from './shop-options.js';
import type { ShopStreams } from './shop-streams.js';
import { shopWindow, simulateShapePurchases, type ShapePurchases, type ShopWindow } from './simulate-shape-purchases.js';
import { createZipfSampler } from './zipf-sampler.js';

/** A planted sequence with product indices resolved from ranks. */
export interface ResolvedSequence {
  readonly firstProduct: number;
  readonly thenProduct: number;
  readonly probability: number;
  /** next orders into which the sequence put its consequent */
  fired: number;
}

export interface SimulatedOrder {
  readonly ms: number;
  /** the Gamma-Gamma order value the basket aims at */
  readonly target: number;
  readonly basket: Basket;
}

export interface SimulatedCustomer {
  readonly customerId: string;
  readonly profile: CustomerProfile;
  readonly signupMs: number;
  /** signed up at the first checkout (minutes before the first order), not earlier */
  readonly signupAtCheckout: boolean;
  /** signed up early, with a lead reaching back before the window: the sign-up moved to the window start */
  readonly signupCutAtWindowStart: boolean;
  readonly impulsive: boolean;
  readonly purchases: ShapePurchases;
  /** time from the first purchase to the window end, in model time units */
  readonly T: number;
  /** the customer's mean order value p/ν */
  readonly meanOrderValue: number;
  /** first order, then the repeat orders, in time order */
  readonly orders: readonly SimulatedOrder[];
}

export interface CustomerContext {
  readonly options: ResolvedShopOptions;
  readonly streams: ShopStreams;
  readonly window: ShopWindow;
  readonly basket: BasketContext;
  readonly rules: readonly ResolvedRule[];
  readonly sequences: readonly ResolvedSequence[];
}

/** The shop's catalog (drawn from the catalog stream), Zipf sampler, planted rules and sequences resolved to products, and window: what `simulateCustomer` needs. */
export function createCustomerContext(options: ResolvedShopOptions, streams: ShopStreams): CustomerContext {
  const catalog = buildProductCatalog(streams.catalog, options.products);
  const zipf = createZipfSampler(catalog.size, options.zipfExponent);
  const rules: ResolvedRule[] = options.associationRules.map((rule) => ({
    ifProduct: catalog.productOfRank[rule.ifRank - 1],
    thenProduct: catalog.productOfRank[rule.thenRank - 1],
    confidence: rule.confidence,
    fired: 0,
  }));
  const sequences: ResolvedSequence[] = options.sequences.map((sequence) => ({
    firstProduct: catalog.productOfRank[sequence.firstRank - 1],
    thenProduct: catalog.productOfRank[sequence.thenRank - 1],
    probability: sequence.probability,
    fired: 0,
  }));
  const window = shopWindow(options, parseDayMs(options.start));
  return { options, streams, window, rules, sequences, basket: { catalog, zipf, meanBasketLines: options.meanBasketLines, rules } };
}

export const FIRST_CUSTOMER_ID = 100_001;

/** σ of the log-normal sign-up lead (and of a never-buyer's browsing time): 5%–95% at e^∓1.645 ≈ 0.19–5.2 × the median. */
export const SIGNUP_LEAD_SIGMA = 1;

/** A log-normal lead of median `medianDays` and σ `SIGNUP_LEAD_SIGMA`, from a standard normal draw `z`, in whole seconds. */
export function signupLeadMs(medianDays: number, z: number): number {
  return roundToSecond(medianDays * DAY_MS * Math.exp(SIGNUP_LEAD_SIGMA * z));
}

/** Simulate customer number `index` (0-based; id 100001 + index), drawing from the profile, purchase, spend and basket streams in that order. */
export function simulateCustomer(context: CustomerContext, index: number): SimulatedCustomer {
  const { options, streams, window, sequences } = context;
  const customerId = String(FIRST_CUSTOMER_ID + index);
  const profile = drawCustomerProfile(streams.profile, customerId);
  // drawn whether or not the customer signs up at checkout: the profile stream (and so the countries on the transactions) stays as it was
  const checkoutLeadMs = roundToSecond((1 + 19 * streams.profile.uniform()) * MINUTE_MS);
  const signupAtCheckout = streams.signup.uniform() < options.signupAtCheckoutShare;
  const earlyLeadMs = signupLeadMs(options.signupLeadDays, streams.signup.normal());
  const impulsive = streams.purchase.uniform() < options.impulsiveShare;
  const purchases = simulateShapePurchases(streams.purchase, options, window);
  const { p, q, gamma } = options.spend;
  const nu = streams.spend.gamma(q, 1 / gamma);

  const firstSeen = new Uint8Array(sequences.length);
  let pending: number[] = [];
  const orders: SimulatedOrder[] = [];
  for (let k = 0; k <= purchases.repeatMs.length; k++) {
    const ms = k === 0 ? purchases.firstMs : purchases.repeatMs[k - 1];
    const target = streams.spend.gamma(p, 1 / nu);
    const forced: number[] = [];
    for (const s of pending) {
      sequences[s].fired++;
      forced.push(sequences[s].thenProduct);
    }
    pending = [];
    const basket = drawBasket(streams.basket, context.basket, target, impulsive, forced);
    for (let s = 0; s < sequences.length; s++) {
      if (firstSeen[s] || !basket.products.includes(sequences[s].firstProduct)) continue;
      firstSeen[s] = 1;
      if (streams.basket.uniform() < sequences[s].probability) pending.push(s);
    }
    orders.push({ ms, target, basket });
  }
  return {
    customerId,
    profile,
    signupMs: signupAtCheckout ? purchases.firstMs - checkoutLeadMs : Math.max(window.startMs, purchases.firstMs - earlyLeadMs),
    signupAtCheckout,
    signupCutAtWindowStart: !signupAtCheckout && purchases.firstMs - earlyLeadMs < window.startMs,
    impulsive,
    purchases,
    T: (window.endMs - purchases.firstMs) / window.unitMs,
    meanOrderValue: p / nu,
    orders,
  };
}
