// The orders clvkit synth writes follow truth.json's spend law: each order is worth its Gamma-Gamma draw z ~ Gamma(p, ν),
// ν ~ Gamma(q, γ), so a Gamma-Gamma fit on the written orders recovers p, q and γ (D8: baskets of list prices ×
// rounded quantities missed z by up to half a unit price and more on small orders, and the fits drifted, q up, p down).
import { beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../src/math/random.js';
import { fitGammaGamma, GAMMA_GAMMA_PARAM_NAMES, type GammaGammaParams } from '../../src/models/gamma-gamma/gamma-gamma.js';
import { buildProductCatalog } from '../../src/synth/build-product-catalog.js';
import { drawBasket } from '../../src/synth/draw-basket.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { resolveShopOptions } from '../../src/synth/shop-options.js';
import { createShopStreams } from '../../src/synth/shop-streams.js';
import { createCustomerContext, simulateCustomer } from '../../src/synth/simulate-customer.js';
import { createZipfSampler } from '../../src/synth/zipf-sampler.js';
import { scratchDir } from '../helpers/warehouse.js';
import { ordersByCustomer, readOrders } from './shop-test-helpers.js';

const CUSTOMERS = 2000;
const SEED = 43;

/** Gamma-Gamma fit on each customer's repeat orders (all but the first): x and their mean value. */
function fitRepeatOrders(valuesByCustomer: Iterable<readonly number[]>) {
  const frequency: number[] = [];
  const monetary: number[] = [];
  for (const values of valuesByCustomer) {
    if (values.length < 2) continue;
    frequency.push(values.length - 1);
    monetary.push(values.slice(1).reduce((a, b) => a + b, 0) / (values.length - 1));
  }
  return fitGammaGamma({ frequency: Float64Array.from(frequency), monetary: Float64Array.from(monetary), weight: new Float64Array(frequency.length).fill(1) });
}

describe(`synth order values follow the Gamma-Gamma spend law (${CUSTOMERS} customers, seed ${SEED})`, () => {
  /** customer id → the drawn order values z, in time order (the simulation replayed from the seed) */
  const drawn = new Map<string, number[]>();
  let written: ReturnType<typeof ordersByCustomer>;
  let spend: { params: GammaGammaParams; meanTargetOrderValue: number; meanRealisedOrderValue: number };
  beforeAll(async () => {
    const dir = scratchDir();
    const options = { outDir: dir, customers: CUSTOMERS, seed: SEED, events: false };
    spend = (await generateShop(options)).spend;
    const context = createCustomerContext(resolveShopOptions(options), createShopStreams(SEED));
    for (let i = 0; i < CUSTOMERS; i++) {
      const customer = simulateCustomer(context, i);
      drawn.set(customer.customerId, customer.orders.map((order) => order.target));
    }
    written = ordersByCustomer(readOrders(dir));
  }, 60_000);

  it('every written order is worth its Gamma-Gamma draw to the cent (within half a cent per unit of its line with the fewest units)', () => {
    let orders = 0;
    let toTheCent = 0;
    for (const [customerId, targets] of drawn) {
      const orderList = written.get(customerId)!;
      expect(orderList.length, customerId).toBe(targets.length);
      targets.forEach((target, k) => {
        const { orderId, value, fewestUnits } = orderList[k]!;
        const off = Math.abs(value - target);
        expect(off, `order ${orderId}: written ${value.toFixed(2)}, drawn ${target.toFixed(4)}, fewest units ${fewestUnits}`).toBeLessThanOrEqual(0.005 * (1 + fewestUnits) + 1e-9);
        orders++;
        if (Math.abs(value - Math.round(target * 100) / 100) < 1e-9) toTheCent++;
      });
    }
    expect(orders).toBeGreaterThan(5000);
    // half the orders have a line of one unit, which takes the cents left over: those are exact, and some others by chance
    expect(toTheCent / orders).toBeGreaterThan(0.5);
    expect(Math.abs(spend.meanRealisedOrderValue - spend.meanTargetOrderValue)).toBeLessThan(0.005);
  });

  it('a Gamma-Gamma fit on the written repeat orders gives the fit on the draws (within a tenth of a standard error) and holds the truth in its 95% intervals', () => {
    const onDraws = fitRepeatOrders(drawn.values());
    const onWritten = fitRepeatOrders([...written.values()].map((orders) => orders.map((order) => order.value)));
    for (const name of GAMMA_GAMMA_PARAM_NAMES) {
      const label = `${name}: written ${onWritten.params[name].toFixed(3)} ${onWritten.intervals95[name].map((v) => v.toFixed(3)).join('–')}, drawn ${onDraws.params[name].toFixed(3)} ± ${onDraws.stdErrors[name].toFixed(3)}, truth ${spend.params[name]}`;
      // values to the cent move the estimates by far less than their sampling error; the basket rounding moved them by 0.3–1.5 standard errors
      expect(Math.abs(onWritten.params[name] - onDraws.params[name]), label).toBeLessThan(0.1 * onDraws.stdErrors[name]);
      expect(spend.params[name], label).toBeGreaterThanOrEqual(onWritten.intervals95[name][0]);
      expect(spend.params[name], label).toBeLessThanOrEqual(onWritten.intervals95[name][1]);
    }
  });
});

describe('drawBasket prices a basket at its target', () => {
  const catalog = buildProductCatalog(createRandom(7), 60);
  const zipf = createZipfSampler(catalog.size, 1);
  const dearest = [...catalog.unitPrice.keys()].sort((a, b) => catalog.unitPrice[b]! - catalog.unitPrice[a]!);

  it('a small target with dear planted lines: worth the target, every unit price at least 0.01', () => {
    const context = { catalog, zipf, meanBasketLines: 3.5, rules: [] };
    const random = createRandom(11);
    for (const target of [0.37, 1.5, 4.2, 9.99]) {
      const basket = drawBasket(random, context, target, false, dearest.slice(0, 3));
      expect(basket.products.length).toBeGreaterThanOrEqual(3);
      expect(basket.unitPrices.every((price) => price >= 0.01)).toBe(true);
      const written = basket.quantities.reduce((sum, quantity, j) => sum + quantity * Number(basket.unitPrices[j]!.toFixed(2)), 0);
      expect(written, `target ${target}`).toBeCloseTo(target, 9);
      expect(basket.value).toBeCloseTo(target, 9);
    }
  });
});
