import { createRandom } from '../../src/math/random.js';
import { shuffleInPlace } from '../../src/math/shuffle.js';

/**
 * The order lines `customer_id,date,amount` of a small shop: 60 customers P1…P60, each with 1 to 12 orders on the
 * 15th of distinct months of 2023 (the data ends on 2023-12-15), at rates of their own (1 + Poisson(Gamma(0.5, 4))
 * orders, seeded), amount 10 + n for Pn. Its value-model fit does not show every customer buying at one steady rate,
 * so the scoring an audience drawn on it runs first fits no MBG/CNBD-k: the shop these server tests used before (1–3
 * orders each, four months apart) ran that tournament at every scoring, most of their CPU, for tests about what the
 * API answers, not about the value model.
 */
export function monthlyShopRows(): string[] {
  const random = createRandom(1);
  const rows: string[] = [];
  for (let c = 1; c <= 60; c++) {
    const orders = Math.min(12, 1 + random.poisson(random.gamma(0.5, 4)));
    const months = shuffleInPlace(Array.from({ length: 12 }, (_, m) => m + 1), random).slice(0, orders).sort((a, b) => a - b);
    for (const month of months) rows.push(`P${c},2023-${String(month).padStart(2, '0')}-15,${10 + c}`);
  }
  return rows;
}
