import type { HonestTournamentResult } from '../../pipeline/honest-tournament.js';

// a value a hair below 0 (the Gini of equal predictions: −1e-17) is 0, not "-0.000"
const fixed = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits).replace(/^-(0\.0*)$/, '$1') : 'n/a');
const percent = (v: number) => (Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${(100 * v).toFixed(1)}%` : 'n/a');
// right-aligned in its column, and a space before a figure wider than it (+1622.5% ran into the MAE beside it)
const cell = (text: string, width: number) => (text.length < width ? text.padStart(width) : ` ${text}`);
// an interval that cannot be estimated (evaluate-churn-scores.ts: NaN bounds, its reason in run.json) is not shown as [n/a, n/a]
const interval = ([low, high]: readonly [number, number]) => (Number.isFinite(low) && Number.isFinite(high) ? `[${fixed(low)}, ${fixed(high)}]` : '(interval n/a)');

/** How N was chosen: the holdout length, --churn-days, or the longest the calibration window holds (and why). */
function churnHorizonLine(result: HonestTournamentResult): string {
  const h = result.churnHorizon;
  return `  N = ${h.days} days, ${h.reason}${h.chosen === 'shortened' ? ' (--churn-days sets a shorter N)' : ''}`;
}

/**
 * The honest tournament as a table: every candidate's inner-window MAE (what
 * the choice is made on) and its holdout metrics, the choice and why, and the
 * churn early warning next to 1 − P(alive) and, when scored, P(no purchase).
 */
export function formatHonestTournament(result: HonestTournamentResult | { readonly skipped: string }): string {
  if ('skipped' in result) return `honest tournament skipped: ${result.skipped}`;
  const w = result.windows;
  // the candidate column fits the longest label and its " *" mark (GBT on BTYD (Poisson) * is 23 characters)
  const width = Math.max('candidate'.length + 1, ...result.candidates.map((c) => c.label.length + 3));
  const lines = [
    `honest tournament: chosen on the inner window ${result.innerCutoff} → ${result.calibrationEnd} (${w.innerDays} days) without the holdout; learned models trained on ${w.innerLabelDays}-day (inner) and ${w.outerLabelDays}-day (holdout) label windows${result.labelWindowNote ? ` (not ${result.holdoutDays}: ${result.labelWindowNote})` : ''}; BTYD features from ${result.featureModel}`,
    '',
    // two 'total' columns (relative error of the total): the inner window's, then the holdout's
    `${''.padEnd(width)}${'inner window'.padStart(18)}  holdout (after the calibration end)`,
    `${'candidate'.padEnd(width)}${'inner MAE'.padStart(10)}${'total'.padStart(8)}${'pred'.padStart(9)}${'actual'.padStart(8)}${'total'.padStart(8)}${'MAE'.padStart(8)}${'RMSE'.padStart(8)}${'Spearman'.padStart(9)}${'Gini'.padStart(7)}${'dMAPE'.padStart(7)}`,
  ];
  for (const c of result.candidates) {
    const h = c.holdout;
    lines.push(
      `${(c.label + (c.chosen ? ' *' : '')).padEnd(width)}${cell(fixed(c.inner.mae), 10)}${cell(percent(c.inner.totalRelativeError), 8)}${cell(h.predictedTotal.toFixed(0), 9)}${cell(h.actualTotal.toFixed(0), 8)}${cell(percent(h.totalRelativeError), 8)}${cell(fixed(h.mae), 8)}${cell(fixed(h.rmse), 8)}${cell(fixed(h.spearman), 9)}${cell(fixed(h.gini), 7)}${cell(fixed(h.decileMape), 7)}`,
    );
  }
  for (const c of result.candidates) if (c.detail) lines.push(`${c.label}: ${c.detail}`);
  for (const c of result.candidates) if (c.withheld) lines.push(`${c.label}: withheld — ${c.withheld}`);
  for (const c of result.candidates) if (c.holdout.spearmanUndefined && !Number.isFinite(c.holdout.spearman)) lines.push(`${c.label}: Spearman n/a: ${c.holdout.spearmanUndefined}`);
  // one rule for every candidate (choose-honest-winner.ts): a fit that did not converge never replaces one that converged
  for (const c of result.candidates) if (c.fitIssue) lines.push(`${c.label} did not converge: ${c.fitIssue}`);
  // chosen by the BTYD tournament's rule (tournament-rule.ts), so it agrees with validate's 'chosen on the holdout' on a tie
  const best = result.candidates.find((c) => c.name === result.bestInHindsight)!;
  lines.push('', `challengers (names for --candidates; the BTYD models always run): ${result.candidates.filter((c) => c.family !== 'btyd').map((c) => c.name).join(', ') || 'none'}`, `honest choice: ${result.reason}`, `best on the holdout in hindsight (not used to choose): ${best.label}, MAE ${fixed(best.holdout.mae, 4)} (the rule of the choice on the holdout: MAEs within 1% of the lowest tie, and the lowest BIC, then the simpler model, wins)`);
  const churn = result.churn;
  lines.push(
    '',
    `churn early warning (no purchase in the ${churn.horizonDays} days after the calibration end; ${percent(churn.learned.baseRate).replace('+', '')} churned):`,
    churnHorizonLine(result),
    `  GBT (logistic)   AUC ${fixed(churn.learned.auc)} ${interval(churn.learned.aucInterval)}  PR-AUC ${fixed(churn.learned.prAuc)} ${interval(churn.learned.prAucInterval)}  Brier ${fixed(churn.learned.brier)}`,
    `  1 − P(alive)     AUC ${fixed(churn.btydOneMinusPAlive.auc)} ${interval(churn.btydOneMinusPAlive.aucInterval)}  PR-AUC ${fixed(churn.btydOneMinusPAlive.prAuc)} ${interval(churn.btydOneMinusPAlive.prAucInterval)}  Brier ${fixed(churn.btydOneMinusPAlive.brier)}${churn.pAliveModel ? `  (P(alive) of ${churn.pAliveModel})` : ''}`,
  );
  // the BTYD score analyze writes when the learned model loses (churn-source.ts), and the one it is compared with; none for an MBG/CNBD-k P(alive)
  const noPurchase = churn.btydNoPurchase;
  if (noPurchase) lines.push(`  P(no purchase)   AUC ${fixed(noPurchase.auc)} ${interval(noPurchase.aucInterval)}  PR-AUC ${fixed(noPurchase.prAuc)} ${interval(noPurchase.prAucInterval)}  Brier ${fixed(noPurchase.brier)}  (${churn.pAliveModel}, in the next ${churn.horizonDays} days)`);
  // intervals that cannot be estimated: why, once per score and distinct reason
  for (const [label, card] of [['GBT (logistic)', churn.learned], ['1 − P(alive)', churn.btydOneMinusPAlive], ...(noPurchase ? [['P(no purchase)', noPurchase] as const] : [])] as const) {
    for (const reason of new Set([card.aucIntervalSkipped, card.prAucIntervalSkipped])) if (reason) lines.push(`  ${label} interval n/a: ${reason}`);
  }
  return lines.join('\n');
}
