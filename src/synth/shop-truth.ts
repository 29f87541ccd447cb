/**
 * What a synthetic shop was generated from and what was planted in it:
 * written as `truth.json` next to the data, and returned by `generateShop`.
 * Everything a test or a benchmark needs to score clvkit against the truth
 * (per-customer latent traits are in `truth-customers.csv`).
 */
import type { TimeUnit } from '../core/time-unit.js';
import type { GammaGammaParams } from '../models/spend/gamma-gamma.js';
import type { DirtRates, ResolvedShopOptions, ShopFormat } from './shop-options.js';

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
  readonly purchaseModel: {
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
    /** mean of the drawn Gamma-Gamma order values */
    readonly meanTargetOrderValue: number;
    /** mean of the realised basket values (after rounding quantities) */
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
