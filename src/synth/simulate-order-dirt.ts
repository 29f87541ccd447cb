/**
 * The dirt planted around one order, simulated (nothing written), from the
 * dirt stream, at the rates of `DirtRates`: duplicated lines, a postage
 * line, a later return of one line, a guest order without customer id.
 */
import type { Random } from '../math/random.js';
import type { ProductCatalog } from './build-product-catalog.js';
import type { Basket } from './draw-basket.js';
import { COUNTRIES, drawShare } from './draw-customer-profile.js';
import { DAY_MS, HOUR_MS, roundToSecond } from './shop-clock.js';
import type { DirtRates } from './shop-options.js';
import type { ZipfSampler } from './zipf-sampler.js';

/** mean delay of a return after its order */
const RETURN_DELAY_MEAN_DAYS = 14;

export interface OrderDirt {
  /** per basket line: written twice */
  readonly duplicated: readonly boolean[];
  readonly postage: boolean;
  /** one line returned later, inside the window */
  readonly returned?: { readonly line: number; readonly ms: number; readonly quantity: number };
  /** a guest order (no customer id) next to this one */
  readonly guest?: { readonly ms: number; readonly country: string; readonly lines: readonly { readonly product: number; readonly quantity: number }[] };
}

export interface DirtContext {
  readonly rates: DirtRates;
  readonly catalog: ProductCatalog;
  readonly zipf: ZipfSampler;
  /** end of the window (exclusive) */
  readonly endMs: number;
}

export function simulateOrderDirt(random: Random, context: DirtContext, orderMs: number, basket: Basket): OrderDirt {
  const { rates, catalog, zipf, endMs } = context;
  const duplicated = basket.products.map(() => random.uniform() < rates.duplicate);
  const postage = random.uniform() < rates.postage;
  let returned: OrderDirt['returned'];
  if (random.uniform() < rates.returns) {
    const line = random.integer(basket.products.length);
    const ms = roundToSecond(orderMs + HOUR_MS + random.exponential(1 / (RETURN_DELAY_MEAN_DAYS * DAY_MS)));
    const quantity = 1 + random.integer(basket.quantities[line]);
    if (ms < endMs) returned = { line, ms, quantity };
  }
  let guest: OrderDirt['guest'];
  if (random.uniform() < rates.missingCustomerId) {
    const ms = roundToSecond(orderMs + random.uniform() * Math.min(DAY_MS, endMs - 1000 - orderMs));
    const country = COUNTRIES[drawShare(random, COUNTRIES)].country;
    const count = 1 + random.integer(3);
    const lines: { product: number; quantity: number }[] = [];
    for (let j = 0; j < count; j++) {
      const product = catalog.productOfRank[zipf.draw(random)];
      const quantity = 1 + random.integer(6);
      if (!lines.some((line) => line.product === product)) lines.push({ product, quantity });
    }
    guest = { ms, country, lines };
  }
  return { duplicated, postage, ...(returned ? { returned } : {}), ...(guest ? { guest } : {}) };
}
