/**
 * What a synthetic shop was generated from and what was planted in it:
 * written as `truth.json` next to the data, and returned by `generateShop`.
 * Everything a test or a benchmark needs to score clvkit against the truth
 * (per-customer latent traits are in `truth-customers.csv`).
 */
import type { TimeUnit } from '../core/time-unit.js';
import type { GammaGammaParams } from '../models/gamma-gamma/gamma-gamma.js';
import type { ProductCatalog } from './build-product-catalog.js';
import type { ResolvedRule } from './draw-basket.js';
import { formatDay } from './format-timestamp.js';
import { DAY_MS, DAYS_PER_UNIT } from './shop-clock.js';
import { parseDayMs, type DirtRates, type ResolvedShopOptions, type ShopFormat } from './shop-options.js';
import { isBtydShape, SHOP_SHAPE_DEFINITIONS, type ShopShape } from './shop-shapes.js';
import type { ShopTally } from './shop-tally.js';
import type { ConsideringTally, VisitorTally } from './online-person.js';
import type { ResolvedSequence } from './simulate-customer.js';

export interface PlantedRuleTruth {
  readonly ifProductId: string;
  readonly ifDescription: string;
  readonly ifRank: number;
  readonly thenProductId: string;
  readonly thenDescription: string;
  readonly thenRank: number;
  /** P(then in basket | if in basket and then not drawn already) */
  readonly confidence: number;
  /** baskets to which the rule added its consequent */
  readonly fired: number;
}

export interface PlantedSequenceTruth {
  readonly firstProductId: string;
  readonly firstDescription: string;
  readonly firstRank: number;
  readonly thenProductId: string;
  readonly thenDescription: string;
  readonly thenRank: number;
  /** P(then in the next order | first bought for the first time and there is a next order) */
  readonly probability: number;
  /** next orders into which the sequence put its consequent */
  readonly fired: number;
}

export interface ShopTruth {
  readonly generator: 'clvkit synth';
  readonly truthVersion: 1;
  readonly seed: number;
  readonly format: ShopFormat;
  /** resolved options (every default filled in) */
  readonly options: ResolvedShopOptions;
  /** the shop's shape (`shop-shapes.ts`) and its true generating parameters */
  readonly shape: {
    readonly name: ShopShape;
    readonly label: string;
    readonly story: string;
    /** unit of the per-customer λ in truth-customers.csv */
    readonly timeUnit: TimeUnit;
    readonly params: Readonly<Record<string, number>>;
  };
  /** the BTYD process of the shapes bgnbd and decade (absent for the other shapes) */
  readonly purchaseModel?: {
    readonly name: 'bgnbd' | 'paretonbd';
    readonly label: string;
    /** unit of λ (and of μ for Pareto/NBD) */
    readonly timeUnit: TimeUnit;
    readonly daysPerUnit: number;
    readonly params: Readonly<Record<string, number>>;
    readonly story: string;
  };
  readonly spend: {
    readonly model: 'gamma-gamma';
    readonly params: GammaGammaParams;
    /** pγ/(q−1) (NaN → null when q ≤ 1) */
    readonly populationMeanOrderValue: number | null;
    /** the law of the written order values, in words (`SPEND_STORY`) */
    readonly story: string;
    /** mean of the drawn Gamma-Gamma order values */
    readonly meanTargetOrderValue: number;
    /** mean of the written order values (each its draw to the cent: `priceAtTarget`) */
    readonly meanRealisedOrderValue: number;
  };
  readonly window: {
    /** first day, inclusive */
    readonly start: string;
    /** the day after the last one: the window is [start, end) */
    readonly end: string;
    readonly days: number;
    readonly acquisitionDays: number;
    /** window length in the model's time unit */
    readonly lengthInUnits: number;
  };
  readonly customers: {
    readonly total: number;
    readonly impulsive: number;
    readonly deliberate: number;
    /** every customer makes a first purchase (time 0 of the model) */
    readonly withPurchase: number;
    readonly repeatPurchases: number;
    readonly aliveAtEnd: number;
    /** people with a profile and browsing events but no purchase (ids after the buyers'; not in truth-customers.csv) */
    readonly prospects: number;
  };
  /** who signed up when (customers.csv `signup_date`; the options `signupAtCheckoutShare`, `signupLeadDays`, `prospectShare`) */
  readonly signups: {
    /** buyers and prospects: every profile */
    readonly total: number;
    /** buyers who signed up at their first checkout, minutes before the first order */
    readonly atCheckout: number;
    /** buyers who signed up earlier (a log-normal lead) */
    readonly early: number;
    /** of those, signed up at the window start, as their lead reached back before it */
    readonly cutAtWindowStart: number;
    /** sign-ups who never buy: the prospects */
    readonly neverBuy: number;
  };
  /**
   * what identity stitching can find in events.csv (absent without it): visitor ids, how many log in, the sessions
   * with anonymous events and those of them on a linked id, and the browsing between sign-up and first purchase
   * (the propensity signal: sessions per day of buyers vs never-buyers, `browseRatio`)
   */
  readonly visitors?: Omit<VisitorTally, 'consideringBuyers' | 'consideringProspects'> & {
    /** visitor ids never logged in: visitors who never identify and second devices never logged in on */
    readonly neverIdentified: number;
    readonly considering: { readonly buyers: ConsideringTally; readonly prospects: ConsideringTally };
  };
  readonly associationRules: readonly PlantedRuleTruth[];
  readonly sequences: readonly PlantedSequenceTruth[];
  readonly dirt: {
    readonly rates: DirtRates;
    /** rows clvkit ingest quarantines, by its reason names */
    readonly quarantine: { readonly duplicate: number; readonly missing_customer_id: number; readonly non_product: number };
    /** returns are accepted (is_return), not quarantined */
    readonly returns: { readonly orders: number; readonly rows: number };
  };
  readonly transactions: {
    /** customers' purchase orders (guest orders and returns excluded) */
    readonly orders: number;
    /** product lines of those orders, each written once (duplicates excluded) */
    readonly purchaseLines: number;
    readonly guestOrders: number;
  };
  /** data rows per file (header excluded) */
  readonly rows: Readonly<Record<string, number>>;
  readonly files: readonly string[];
}

const BTYD_STORIES = {
  bgnbd: 'BG/NBD (Fader, Hardie & Lee 2005): λ ~ Gamma(r, rate alpha), p ~ Beta(a, b); Poisson(λ) repeat purchases after the first purchase at time 0; dropout with probability p after each repeat purchase',
  paretonbd: 'Pareto/NBD (Schmittlein, Morrison & Colombo 1987): λ ~ Gamma(r, rate alpha), μ ~ Gamma(s, rate beta); lifetime ~ Exponential(μ); Poisson(λ) repeat purchases after the first purchase at time 0 while alive',
} as const;

export interface ShopTruthInputs {
  readonly options: ResolvedShopOptions;
  readonly catalog: ProductCatalog;
  readonly rules: readonly ResolvedRule[];
  readonly sequences: readonly ResolvedSequence[];
  readonly tally: ShopTally;
  /** the browsing tally (undefined without events) */
  readonly visitors: VisitorTally | undefined;
  /** data rows per file */
  readonly rows: Readonly<Record<string, number>>;
  readonly files: readonly string[];
}

/** How the written order values follow the spend parameters (truth.json `spend.story`). */
export const SPEND_STORY =
  'Gamma-Gamma (Fader, Hardie & Lee 2005) per order: ν ~ Gamma(q, rate gamma) per customer (truth-customers.csv mean_order_value = p/ν), each order worth z ~ Gamma(p, rate ν), first and repeat orders alike; an order is written worth z to the cent (its unit prices are the list prices scaled by one factor per order; within half a cent per unit when its line with the fewest units holds several). The law is per order: clvkit summarize at its default grain day sums the orders of one customer on one day into one occasion; --grain order keeps them apart';

/** The truth of a generated shop, from its resolved options and what the generation counted. */
export function buildShopTruth({ options, catalog, rules, sequences, tally, visitors, rows, files }: ShopTruthInputs): ShopTruth {
  const startMs = parseDayMs(options.start);
  const { p, q, gamma } = options.spend;
  const associationRules: PlantedRuleTruth[] = rules.map((rule) => ({
    ifProductId: catalog.productId[rule.ifProduct],
    ifDescription: catalog.description[rule.ifProduct],
    ifRank: catalog.rankOfProduct[rule.ifProduct] + 1,
    thenProductId: catalog.productId[rule.thenProduct],
    thenDescription: catalog.description[rule.thenProduct],
    thenRank: catalog.rankOfProduct[rule.thenProduct] + 1,
    confidence: rule.confidence,
    fired: rule.fired,
  }));
  const plantedSequences: PlantedSequenceTruth[] = sequences.map((sequence) => ({
    firstProductId: catalog.productId[sequence.firstProduct],
    firstDescription: catalog.description[sequence.firstProduct],
    firstRank: catalog.rankOfProduct[sequence.firstProduct] + 1,
    thenProductId: catalog.productId[sequence.thenProduct],
    thenDescription: catalog.description[sequence.thenProduct],
    thenRank: catalog.rankOfProduct[sequence.thenProduct] + 1,
    probability: sequence.probability,
    fired: sequence.fired,
  }));
  const shape = SHOP_SHAPE_DEFINITIONS[options.shape];
  const btyd = isBtydShape(options.shape);
  const modelLabel = options.model === 'bgnbd' ? 'BG/NBD' : 'Pareto/NBD';
  return {
    generator: 'clvkit synth',
    truthVersion: 1,
    seed: options.seed,
    format: options.format,
    options,
    shape: {
      name: options.shape,
      label: options.shape === 'bgnbd' ? modelLabel : btyd ? `${shape.label} (${modelLabel})` : shape.label,
      story: btyd ? `${shape.story}: ${BTYD_STORIES[options.model]}` : shape.story,
      timeUnit: options.timeUnit,
      params: { ...options.purchaseParams },
    },
    ...(btyd
      ? {
          purchaseModel: {
            name: options.model,
            label: modelLabel,
            timeUnit: options.timeUnit,
            daysPerUnit: DAYS_PER_UNIT[options.timeUnit],
            params: { ...options.purchaseParams },
            story: BTYD_STORIES[options.model],
          },
        }
      : {}),
    spend: {
      model: 'gamma-gamma',
      params: { ...options.spend },
      populationMeanOrderValue: q > 1 ? (p * gamma) / (q - 1) : null,
      story: SPEND_STORY,
      meanTargetOrderValue: tally.targetValueSum / tally.orders,
      meanRealisedOrderValue: tally.realisedValueSum / tally.orders,
    },
    window: {
      start: options.start,
      end: formatDay(startMs + options.days * DAY_MS),
      days: options.days,
      acquisitionDays: options.acquisitionDays,
      lengthInUnits: options.days / DAYS_PER_UNIT[options.timeUnit],
    },
    customers: {
      total: options.customers,
      impulsive: tally.impulsive,
      deliberate: options.customers - tally.impulsive,
      withPurchase: options.customers,
      repeatPurchases: tally.repeatPurchases,
      aliveAtEnd: tally.aliveAtEnd,
      prospects: tally.prospects,
    },
    signups: {
      total: options.customers + tally.prospects,
      atCheckout: tally.signupsAtCheckout,
      early: options.customers - tally.signupsAtCheckout,
      cutAtWindowStart: tally.signupsCutAtWindowStart,
      neverBuy: tally.prospects,
    },
    ...(visitors ? { visitors: visitorTruth(visitors) } : {}),
    associationRules,
    sequences: plantedSequences,
    dirt: {
      rates: options.dirt,
      quarantine: { duplicate: tally.duplicate, missing_customer_id: tally.missingCustomerId, non_product: tally.nonProduct },
      returns: { orders: tally.returnOrders, rows: tally.returnRows },
    },
    transactions: { orders: tally.orders, purchaseLines: tally.purchaseLines, guestOrders: tally.guestOrders },
    rows,
    files,
  };
}

function visitorTruth(tally: VisitorTally): NonNullable<ShopTruth['visitors']> {
  const { consideringBuyers, consideringProspects, ...counts } = tally;
  return { ...counts, neverIdentified: tally.visitorIds - tally.linked, considering: { buyers: { ...consideringBuyers }, prospects: { ...consideringProspects } } };
}
