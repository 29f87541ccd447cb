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
 *    do not add up), quantity = max(1, round(budget / list price)). A drawn
 *    line whose budget is under half a unit is left out and its budget moves
 *    on, unless it is the basket's last chance of a line or the antecedent
 *    of a planted rule; forced and rule-added lines are always kept; small
 *    orders so have fewer lines than drawn in step 1.
 * 6. The order is priced at z (`priceAtTarget`): every line's unit price is
 *    its list price times z / (the lines' value at list prices), rounded to
 *    the cent and at least 0.01 — one discount or surcharge for the whole
 *    order, a few percent on most orders, more on small ones with a dear
 *    line — and the line with the fewest units (the first of them) takes
 *    the cents left over. The order is so worth z to the cent when that line
 *    holds one unit (about half the orders, and others by chance), else
 *    within half a cent per unit of it (57,000 orders of seed 43: off by
 *    0.8 cents on average, at most 0.60, under 0.9% of the order):
 *    the written order values follow the Gamma-Gamma law of truth.json.
 *    (Priced at list prices, values missed z by up to half the last line's
 *    price, and small orders rose to their minimum of one unit per line:
 *    Gamma-Gamma fits on them drifted, q up and p down, by 0.3–1.5 standard
 *    errors at 3,000 customers.) `generateShop` reports the mean drawn and
 *    the mean written order value in truth.json.
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
  /** unit price paid per line, rounded to the cent (the list price scaled to the order's target, `priceAtTarget`) */
  readonly unitPrices: number[];
  /** Σ quantity · unit price: the drawn target to the cent (see `priceAtTarget`) */
  readonly value: number;
}

/**
 * Unit prices, rounded to the cent, that make lines of these list prices and quantities worth `targetValue`: every list
 * price times target / list value, rounded, at least one cent; the line with the fewest units (the first of them)
 * takes the cents left over. Returns the prices and the value they give (the target rounded to the cent, unless the
 * line taking the rest holds several units or the one-cent floor binds).
 */
export function priceAtTarget(listPrices: readonly number[], quantities: readonly number[], targetValue: number): { readonly unitPrices: number[]; readonly value: number } {
  const targetCents = Math.max(1, Math.round(targetValue * 100));
  const listCents = listPrices.map((price) => Math.round(price * 100));
  const listValueCents = listCents.reduce((sum, cents, j) => sum + cents * quantities[j], 0);
  const cents = listCents.map((listed) => Math.max(1, Math.round((listed * targetCents) / listValueCents)));
  let rest = 0;
  for (let j = 1; j < quantities.length; j++) if (quantities[j] < quantities[rest]) rest = j;
  const othersCents = cents.reduce((sum, price, j) => (j === rest ? sum : sum + price * quantities[j]), 0);
  cents[rest] = Math.max(1, Math.round((targetCents - othersCents) / quantities[rest]));
  const valueCents = cents.reduce((sum, price, j) => sum + price * quantities[j], 0);
  return { unitPrices: cents.map((price) => price / 100), value: valueCents / 100 };
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
  }
  const { unitPrices, value } = priceAtTarget(
    kept.map((product) => catalog.unitPrice[product]),
    quantities,
    targetValue,
  );
  return { products: kept, quantities, unitPrices, value };
}
