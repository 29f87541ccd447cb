/**
 * One order's basket: which products and how many of each, so that the
 * order's value is close to a target spend z (drawn by the caller from the
 * Gamma-Gamma model).
 *
 * 1. Number of distinct products L = 1 + Poisson(m − 1) for deliberate
 *    buyers and 1 + Poisson((m − 1)/2) for impulsive ones (m = mean basket
 *    lines), at most max(1, round(z / 3)) so small orders hold few lines.
 * 2. L distinct products by Zipf popularity.
 * 3. Forced products (planted sequences due in this order) are added.
 * 4. Planted association rules: for each rule A → B (in order), a basket
 *    with A and without B gets B with probability c.
 * 5. z is split over the lines with flat Dirichlet weights w; line by line,
 *    budget = z·w plus what the previous line left over (so rounding errors
 *    do not add up), quantity = max(1, round(budget / unit price)). A drawn
 *    line whose budget is under half a unit is left out and its budget moves
 *    on, unless it is the basket's last chance of a line or the antecedent
 *    of a planted rule; forced and rule-added lines are always kept. So
 *    the realised value tracks z closely (CDNOW defaults: mean within 1%),
 *    and small orders have fewer lines than drawn in step 1. `generateShop`
 *    reports both means in truth.json.
 */
import type { Random } from '../math/random.js';
import type { ProductCatalog } from './build-product-catalog.js';
import type { ZipfSampler } from './zipf-sampler.js';

/** A planted rule with product indices resolved from ranks. */
export interface ResolvedRule {
  readonly ifProduct: number;
  readonly thenProduct: number;
  readonly confidence: number;
  /** how often the rule added its consequent */
  fired: number;
}

export interface BasketContext {
  readonly catalog: ProductCatalog;
  readonly zipf: ZipfSampler;
  readonly meanBasketLines: number;
  readonly rules: readonly ResolvedRule[];
}

export interface Basket {
  readonly products: number[];
  readonly quantities: number[];
  /** Σ quantity · unit price */
  readonly value: number;
}

/** Draw a basket worth about `targetValue`; `forced` products are always in it. */
export function drawBasket(random: Random, context: BasketContext, targetValue: number, impulsive: boolean, forced: readonly number[]): Basket {
  const { catalog, zipf } = context;
  const extra = impulsive ? (context.meanBasketLines - 1) / 2 : context.meanBasketLines - 1;
  const cap = Math.max(1, Math.min(100, Math.round(targetValue / 3), catalog.size));
  const lines = Math.min(cap, 1 + random.poisson(extra));
  const products: number[] = [];
  for (let i = 0; i < lines; i++) {
    let product = catalog.productOfRank[zipf.draw(random)];
    for (let attempt = 0; attempt < 10 && products.includes(product); attempt++) product = catalog.productOfRank[zipf.draw(random)];
    if (!products.includes(product)) products.push(product);
  }
  const drawn = products.length;
  for (const product of forced) if (!products.includes(product)) products.push(product);
  const ruleAntecedents = new Set<number>();
  for (const rule of context.rules) {
    if (!products.includes(rule.ifProduct)) continue;
    ruleAntecedents.add(rule.ifProduct);
    if (!products.includes(rule.thenProduct) && random.uniform() < rule.confidence) {
      products.push(rule.thenProduct);
      rule.fired++;
    }
  }
  const weights = products.map(() => random.exponential(1));
  const total = weights.reduce((a, b) => a + b, 0);
  const kept: number[] = [];
  const quantities: number[] = [];
  let value = 0;
  let carry = 0;
  for (let i = 0; i < products.length; i++) {
    const product = products[i];
    const price = catalog.unitPrice[product];
    const budget = (targetValue * weights[i]) / total + carry;
    // a drawn line worth less than half a unit is left out (its budget moves on), unless the basket would be empty or it is a rule's antecedent (dropping those only when the rule did not fire would inflate the rule's confidence)
    const droppable = i < drawn && !ruleAntecedents.has(product) && (kept.length > 0 || i < products.length - 1);
    if (droppable && budget < 0.5 * price) {
      carry = budget;
      continue;
    }
    const quantity = Math.max(1, Math.round(budget / price));
    carry = budget - quantity * price;
    kept.push(product);
    quantities.push(quantity);
    value += quantity * price;
  }
  return { products: kept, quantities, value };
}
