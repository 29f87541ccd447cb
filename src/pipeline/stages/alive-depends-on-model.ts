/**
 * The run's line when P(alive) depends on the purchase model (alive-by-model.ts: the means it compares, and why).
 */
import type { RunWords } from '../../core/run-words.js';
import type { PurchaseModelName } from '../../models/btyd/purchase-models.js';
import { CLOSE_ERROR_SHARE, MATERIAL_ALIVE_GAP, type AliveByModel } from '../alive-by-model.js';

/** How each model sets the P(alive) of a customer without a repeat purchase. */
const ONE_TIME_CONSTRUCTION: Record<PurchaseModelName, string> = {
  bgnbd: 'which lets a customer drop out only right after a repeat purchase',
  mbgnbd: 'which lets a customer drop out right at the first purchase',
  paretonbd: 'which lets a customer drop out at any time after the first purchase',
};

const f3 = (v: number) => v.toFixed(3);

/**
 * One line when a close candidate's mean P(alive) differs from the chosen model's by MATERIAL_ALIVE_GAP or more,
 * overall or over the customers without a repeat purchase (named only when they are at least `minGroupSize`): both
 * means, their holdout errors, and the setting that scores with the other model. Null otherwise.
 *
 * Example (the BG/NBD shop of seed 7): "P(alive) depends on the purchase model: mean P(alive) 0.443 under MBG/NBD
 * (chosen; holdout MAE 0.6501), 0.376 under Pareto/NBD (0.6467), 0.723 under BG/NBD (0.6641); the 1,461 customers
 * without a repeat purchase: 0.434 under MBG/NBD (which lets a customer drop out right at the first purchase), … "
 */
export function aliveDependsOnModelWarning(alive: AliveByModel | undefined | null, minGroupSize: number, words: RunWords): string | null {
  if (!alive) return null;
  const [chosen, ...others] = alive.models;
  if (!chosen) return null;
  const showOnce = alive.oneTime >= minGroupSize;
  const gap = (a: number, b: number) => Math.abs(a - b) >= MATERIAL_ALIVE_GAP;
  const apart = others.filter((o) => gap(o.meanPAlive, chosen.meanPAlive) || (showOnce && gap(o.oneTimeMeanPAlive, chosen.oneTimeMeanPAlive)));
  if (apart.length === 0) return null;
  const all = [chosen, ...apart];
  const means = `mean P(alive) ${f3(chosen.meanPAlive)} under ${chosen.label} (chosen; holdout MAE ${chosen.holdoutMae.toFixed(4)}), ${apart.map((o) => `${f3(o.meanPAlive)} under ${o.label} (${o.holdoutMae.toFixed(4)})`).join(', ')}`;
  const once = showOnce && apart.some((o) => gap(o.oneTimeMeanPAlive, chosen.oneTimeMeanPAlive))
    ? `; the ${alive.oneTime.toLocaleString('en-US')} customers without a repeat purchase: ${all.map((m) => `${f3(m.oneTimeMeanPAlive)} under ${m.label} (${ONE_TIME_CONSTRUCTION[m.model]})`).join(', ')} — their P(alive) is set by each model's construction more than by their one purchase`
    : '';
  return (
    `P(alive) depends on the purchase model: ${means}${once}; ` +
    `the holdout scores purchase counts, which these models predict within ${100 * CLOSE_ERROR_SHARE}% of the best, not who is alive, so read p_alive (and what rests on it: lifecycle stages, churn risk) as the chosen model's answer; ` +
    `${apart.map((o) => words.set('model', o.model)).join(' or ')} scores with ${apart.length > 1 ? 'another' : 'the other'}`
  );
}
