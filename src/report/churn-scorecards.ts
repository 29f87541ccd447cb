/**
 * The churn scorecards as the report's churn table and the dashboard's churn card show them (one source for both): the
 * learned model, the BTYD model's P(no purchase in the next N days) when the run scored it, and 1 − P(alive), each on
 * the validation window; why an interval is not shown; and which score the customers' churn probability holds.
 */
import { formatNumber, formatPercent } from './format-number.js';
import type { ReportChurn, ReportChurnScorecard } from './report-data.js';

type Churn = NonNullable<ReportChurn['churn']>;

/** `0.76 [0.74, 0.78]`; an interval that cannot be estimated (NaN in the run, null in run.json: evaluate-churn-scores.ts) is not shown as [x, x] but `0.76 (interval n/a)` */
export const withInterval = (value: number, [low, high]: readonly [number | null, number | null]) =>
  typeof low === 'number' && typeof high === 'number' && Number.isFinite(low) && Number.isFinite(high) ? `${formatNumber(value, 3)} [${formatNumber(low, 3)}, ${formatNumber(high, 3)}]` : `${formatNumber(value, 3)} (interval n/a)`;

/** Why an interval of the table is not shown, one sentence each (its run.json `aucIntervalSkipped` / `prAucIntervalSkipped`). */
function skippedIntervals(label: string, card: ReportChurnScorecard): string[] {
  const reasons: string[] = [];
  if (card.aucIntervalSkipped) reasons.push(`${label} AUC interval: ${card.aucIntervalSkipped}.`);
  if (card.prAucIntervalSkipped && card.prAucIntervalSkipped !== card.aucIntervalSkipped) reasons.push(`${label} PR-AUC interval: ${card.prAucIntervalSkipped}.`);
  return reasons;
}

/** The compared scores, each named: learned, P(no purchase) when present (absent: MBG/CNBD-k, older run.json), 1 − P(alive). */
export function churnScorecards(c: Churn): { name: string; card: ReportChurnScorecard }[] {
  const v = c.validation;
  const model = v.pAliveModel ?? 'the BTYD model';
  return [
    { name: 'learned (gradient-boosted trees)', card: v.learned },
    ...(v.btydNoPurchase ? [{ name: `P(no purchase in the next ${c.horizonDays} days) of ${model}`, card: v.btydNoPurchase }] : []),
    { name: `1 − P(alive) of ${model}`, card: v.btydOneMinusPAlive },
  ];
}

/** The churn table: caption, columns, a row per score (AUC and PR-AUC with their 95% intervals, or "interval n/a"), and why an interval is n/a. */
export function churnScoreTable(c: Churn): { caption: string; columns: { header: string; numeric?: boolean }[]; rows: string[][]; intervalReasons: string[] } {
  const scores = churnScorecards(c);
  return {
    caption: `Churn in the next ${c.horizonDays} days, on customers the model never saw (${formatPercent(c.validation.learned.baseRate)} churned)`,
    columns: [{ header: 'score' }, { header: 'AUC [95%]', numeric: true }, { header: 'PR-AUC [95%]', numeric: true }, { header: 'Brier', numeric: true }],
    rows: scores.map(({ name, card }) => [name, withInterval(card.auc, card.aucInterval), withInterval(card.prAuc, card.prAucInterval), formatNumber(card.brier, 3)]),
    intervalReasons: scores.flatMap(({ name, card }) => skippedIntervals(name.charAt(0).toUpperCase() + name.slice(1), card)),
  };
}

/**
 * Which score the churn probability holds, where BTYD stayed the default (run.json `learned.churn.sourceReason`); null for
 * the learned model or a run.json written before the choice. `whose` names the churn probability: "customers.csv's
 * churn_probability" in the report, "The customers’ churn probability" on the dashboard.
 */
export function churnSourceSentence(c: Churn, whose: string): string | null {
  return c.source && c.source !== 'learned' && c.sourceReason ? `${whose} is ${c.sourceReason}; no per-customer drivers are given.` : null;
}
