/**
 * One customer's purchase dates under the shop's shape (`shop-shapes.ts`):
 * the first purchase, the repeat purchases, and the latent traits that
 * truth-customers.csv records. Times are milliseconds, rounded to the second,
 * inside the window [start, end).
 */
import type { Random } from '../math/random.js';
import type { BgNbdParams } from '../models/bgnbd/bgnbd.js';
import type { ParetoNbdParams } from '../models/paretonbd/paretonbd.js';
import { drawPoissonTimes, drawPurchaseTimes } from './draw-purchase-times.js';
import { DAY_MS, DAYS_PER_UNIT, roundToSecond } from './shop-clock.js';
import type { ResolvedShopOptions } from './shop-options.js';
import type { DAILY_PARAMS, ONE_DAY_PARAMS, REGULAR_PARAMS, STEADY_PARAMS } from './shop-shapes.js';

export interface ShopWindow {
  readonly startMs: number;
  /** the window is [startMs, endMs) */
  readonly endMs: number;
  readonly acquisitionMs: number;
  /** milliseconds per model time unit */
  readonly unitMs: number;
}

export function shopWindow(options: ResolvedShopOptions, startMs: number): ShopWindow {
  return { startMs, endMs: startMs + options.days * DAY_MS, acquisitionMs: options.acquisitionDays * DAY_MS, unitMs: DAYS_PER_UNIT[options.timeUnit] * DAY_MS };
}

export interface ShapePurchases {
  readonly firstMs: number;
  /** repeat purchases, non-decreasing, each after the first and before the window end */
  readonly repeatMs: readonly number[];
  /** purchase rate per model time unit (0 when the shape has none) */
  readonly lambda: number;
  /** BG/NBD: dropout probability per repeat purchase; Pareto/NBD: dropout rate; one-time: 1; shapes without dropout: 0 */
  readonly dropout: number;
  readonly aliveAtEnd: boolean;
}

/** Repeat times in model units after `firstMs` → timestamps, the last second of the window at most. */
function unitTimesToMs(times: readonly number[], firstMs: number, window: ShopWindow): number[] {
  return times.map((t) => Math.min(roundToSecond(firstMs + t * window.unitMs), window.endMs - 1000));
}

/** Draw one customer's purchases; `random` is the shop's purchase stream. */
export function simulateShapePurchases(random: Random, options: ResolvedShopOptions, window: ShopWindow): ShapePurchases {
  const { startMs, endMs, acquisitionMs, unitMs } = window;
  switch (options.shape) {
    case 'bgnbd':
    case 'decade': {
      const firstMs = roundToSecond(startMs + random.uniform() * acquisitionMs);
      const drawn = drawPurchaseTimes(random, options.model, options.purchaseParams as BgNbdParams | ParetoNbdParams, (endMs - firstMs) / unitMs);
      return { firstMs, repeatMs: unitTimesToMs(drawn.times, firstMs, window), lambda: drawn.lambda, dropout: drawn.dropout, aliveAtEnd: drawn.aliveAtEnd };
    }
    case 'steady': {
      const firstMs = roundToSecond(startMs + random.uniform() * acquisitionMs);
      const { r, alpha } = options.purchaseParams as typeof STEADY_PARAMS;
      const lambdaPerWeek = random.gamma(r, 1 / alpha);
      const lambda = lambdaPerWeek * (unitMs / (7 * DAY_MS));
      const times = drawPoissonTimes(random, lambda, (endMs - 1000 - firstMs) / unitMs);
      return { firstMs, repeatMs: unitTimesToMs(times, firstMs, window), lambda, dropout: 0, aliveAtEnd: true };
    }
    case 'regular': {
      const { cadenceMinDays, cadenceMaxDays, jitterDays } = options.purchaseParams as typeof REGULAR_PARAMS;
      const firstMs = roundToSecond(startMs + random.uniform() * acquisitionMs);
      const cadenceDays = cadenceMinDays + (cadenceMaxDays - cadenceMinDays) * random.uniform();
      const repeatMs: number[] = [];
      for (let t = firstMs; ; ) {
        t = roundToSecond(t + (cadenceDays + jitterDays * (2 * random.uniform() - 1)) * DAY_MS);
        if (t >= endMs) break;
        repeatMs.push(t);
      }
      return { firstMs, repeatMs, lambda: unitMs / (cadenceDays * DAY_MS), dropout: 0, aliveAtEnd: true };
    }
    case 'daily': {
      const { a, b } = options.purchaseParams as typeof DAILY_PARAMS;
      const pi = random.beta(a, b);
      const days = Math.round((endMs - startMs) / DAY_MS);
      const orders: number[] = [];
      for (let day = Math.floor(random.uniform() * (acquisitionMs / DAY_MS)); day < days; day++) {
        if (random.uniform() < pi) orders.push(roundToSecond(startMs + (day + random.uniform()) * DAY_MS));
      }
      // a customer exists because they bought: one who drew no day at all buys once on a uniform day
      if (orders.length === 0) orders.push(roundToSecond(startMs + random.uniform() * (endMs - startMs)));
      return { firstMs: orders[0], repeatMs: orders.slice(1), lambda: pi * (unitMs / DAY_MS), dropout: 0, aliveAtEnd: true };
    }
    case 'one-time':
      return { firstMs: roundToSecond(startMs + random.uniform() * acquisitionMs), repeatMs: [], lambda: 0, dropout: 1, aliveAtEnd: false };
    case 'one-day': {
      const firstMs = roundToSecond(startMs + random.uniform() * Math.min(acquisitionMs, endMs - startMs));
      const repeatMs = random.uniform() < (options.purchaseParams as typeof ONE_DAY_PARAMS).secondOrderShare ? [roundToSecond(firstMs + random.uniform() * (endMs - 1000 - firstMs))] : [];
      return { firstMs, repeatMs, lambda: 0, dropout: 1, aliveAtEnd: false };
    }
  }
}
