/**
 * Where customers.csv's churn_probability comes from: the learned churn model only where it ranked the validation
 * window (validate-churn.ts: trained at C − N, scored at C against (C, C + N], on customers it never saw) better than
 * the BTYD score that would be written instead; otherwise — it lost, tied, or the window could not compare them
 * (nobody or everybody churned) — BTYD stays the default: the value model's probability of no purchase in the next N
 * days (the same quantity as the learned score; compared as `btydNoPurchase`, fitted at C), or, for a model without one
 * (MBG/CNBD-k), 1 − P(alive) of the model whose P(alive) customers.csv carries (`btydOneMinusPAlive`).
 *
 * The choice is made on the same window the run reports the comparison on (the value step's holdout, on which the value
 * model is chosen too): the reported AUC of the written score is the better of two, so slightly optimistic.
 */
import type { ChurnComparison } from './validate-churn.js';
import { comparedChurnScore } from './describe-churn.js';

/** `learned`: the classifier; `btyd-no-purchase`: the BTYD model's P(no purchase in N days); `btyd-one-minus-p-alive`: 1 − P(alive) */
export type ChurnSource = 'learned' | 'btyd-no-purchase' | 'btyd-one-minus-p-alive';

/**
 * The source and why, in one sentence (run.json `learned.churn.sourceReason`). `btydModel` names the BTYD model whose
 * score would be written; `hasNoPurchase` whether it has a P(no purchase in a window). The learned model is compared
 * with that score (comparedChurnScore): P(no purchase) when the validation scored it, else 1 − P(alive).
 *
 * Example: learned AUC 0.729, P(no purchase in 70 days) of BG/NBD 0.741 → `{ source: 'btyd-no-purchase', reason:
 * "BG/NBD's probability of no purchase in the next 70 days: the learned churn model did not rank the validation window
 * better than P(no purchase in the next 70 days) of BG/NBD (AUC 0.729 against 0.741)" }`
 */
export function chooseChurnSource(v: Pick<ChurnComparison, 'learned' | 'btydOneMinusPAlive' | 'btydNoPurchase' | 'pAliveModel' | 'horizonDays'>, btydModel: string, hasNoPurchase: boolean): { source: ChurnSource; reason: string } {
  const compared = comparedChurnScore(v, v.horizonDays);
  const [learned, baseline] = [v.learned.auc, compared.card.auc];
  const versus = compared.name;
  const comparable = Number.isFinite(learned) && Number.isFinite(baseline);
  const aucs = comparable ? ` (AUC ${learned.toFixed(3)} against ${baseline.toFixed(3)})` : '';
  if (comparable && learned > baseline) return { source: 'learned', reason: `the learned churn model ranked the validation window better than ${versus}${aucs}` };
  const why = comparable ? `the learned churn model did not rank the validation window better than ${versus}${aucs}` : `the validation window could not compare the learned churn model with ${versus} (AUC undefined: nobody or everybody churned in it)`;
  if (hasNoPurchase) return { source: 'btyd-no-purchase', reason: `${btydModel}'s probability of no purchase in the next ${v.horizonDays} days: ${why}` };
  return { source: 'btyd-one-minus-p-alive', reason: `1 − P(alive) of ${btydModel} (it has no probability of no purchase in a window): ${why}` };
}

/**
 * The churn line's clause on the source, short (the reason in full is run.json `learned.churn.sourceReason`); empty for
 * the learned model or a run.json written before the choice.
 *
 * Example: → "; churn_probability from Pareto/NBD's P(no purchase), as the learned model did not win"
 */
export function describeChurnSource(churn: { readonly source?: ChurnSource; readonly sourceModel?: string }): string {
  if (churn.source === undefined || churn.source === 'learned') return '';
  const what = churn.source === 'btyd-no-purchase' ? `${churn.sourceModel}'s P(no purchase)` : `1 − P(alive) of ${churn.sourceModel}`;
  return `; churn_probability from ${what}, as the learned model did not win`;
}
