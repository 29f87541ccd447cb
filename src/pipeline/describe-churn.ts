/**
 * How a run says its churn early warning in one line — the stage line of
 * `analyze` and its summary's `churn` line: the horizon N and how it was
 * chosen, and the AUCs of the learned churn model and of the BTYD score it
 * was compared with over that same horizon (the one written when it loses:
 * P(no purchase), or 1 − P(alive)). Types only: the CLI's summary loads it at start-up.
 */
import type { RunWords } from '../core/run-words.js';
import type { ChurnHorizonChoice } from './churn-horizon.js';
import type { ChurnScorecard } from '../models/evaluate-churn-scores.js';

/**
 * The churn validation's AUCs for the stage line and the summary: the learned model's and that of the BTYD score it was
 * compared with, the one written when BTYD is the source (churn-source.ts: P(no purchase) where the validation scored it,
 * else — an MBG/CNBD-k P(alive), or a run.json written before — 1 − P(alive)). AUC needs churners and stayers, and with
 * none of one kind it is undefined (NaN): said so, with the base rate, instead of "AUC NaN".
 *
 * Examples: "AUC 0.500 (P(no purchase) of Pareto/NBD 0.851)"; a shop where everybody keeps buying → "AUC n/a (1 − P(alive)
 * of MBG/CNBD-9 n/a): nobody churned in the validation window (base rate 0.0%), so AUC is undefined"
 */
export function describeChurnAuc(v: { readonly learned: Pick<ChurnScorecard, 'auc' | 'baseRate'>; readonly btydOneMinusPAlive: Pick<ChurnScorecard, 'auc'>; readonly btydNoPurchase?: Pick<ChurnScorecard, 'auc'>; readonly pAliveModel: string }): string {
  const auc = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
  const rate = v.learned.baseRate;
  const undefinedAuc = Number.isFinite(v.learned.auc) ? '' : `: ${rate === 0 ? 'nobody' : rate === 1 ? 'everybody' : 'too few customers'} churned in the validation window (base rate ${Number.isFinite(rate) ? (100 * rate).toFixed(1) : 'n/a'}%), so AUC is undefined`;
  const compared = comparedChurnScore(v);
  return `AUC ${auc(v.learned.auc)} (${compared.name} ${auc(compared.card.auc)})${undefinedAuc}`;
}

/**
 * The BTYD score the learned churn model is compared with: the one that would be written in its place — P(no purchase
 * in the next N days) where the validation scored it (`btydNoPurchase`), else 1 − P(alive) — its scorecard and its
 * name; `horizonDays` given, the name says the N (run.json's reason), else it is the stage line's short form.
 *
 * Example: `comparedChurnScore({ btydOneMinusPAlive, btydNoPurchase, pAliveModel: 'BG/NBD' }, 70).name` → "P(no purchase in the next 70 days) of BG/NBD"
 */
export function comparedChurnScore<S>(v: { readonly btydOneMinusPAlive: S; readonly btydNoPurchase?: S; readonly pAliveModel?: string }, horizonDays?: number): { card: S; name: string } {
  const model = v.pAliveModel ?? 'the BTYD model';
  if (!v.btydNoPurchase) return { card: v.btydOneMinusPAlive, name: `1 − P(alive) of ${model}` };
  return { card: v.btydNoPurchase, name: `P(no purchase${horizonDays === undefined ? '' : ` in the next ${horizonDays} days`}) of ${model}` };
}

/**
 * How the churn horizon N was chosen, for the stage line (the reason in full is run.json `learned.churn.horizonReason`,
 * and a warning when it was shortened).
 *
 * Example: `churnHorizonNote('shortened', 273, runWords(false))` → "the longest the history holds, not the holdout's 273"
 */
export function churnHorizonNote(chosen: ChurnHorizonChoice, holdoutDays: number, words: RunWords): string {
  if (chosen === 'asked') return `as ${words.name('churnDays')} asked`;
  if (chosen === 'shortened') return `the longest the history holds, not the holdout's ${holdoutDays}`;
  return 'the holdout length';
}
