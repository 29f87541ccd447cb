import { decileGainChart } from '../charts/decile-gain-chart.js';
import { comparedChurnScores, reliabilityChart } from '../charts/reliability-chart.js';
import { formatNumber, formatPercent } from '../format-number.js';
import { describeRiskBands } from '../../core/describe-risk-bands.js';
import { MIN_INNER_PURCHASES, TOTAL_TOLERANCE } from '../../models/tournament-rule.js';
import { renderFigure, renderGrid, renderParagraph, renderTable } from '../html-parts.js';
import type { ReportChurn, ReportData, ReportDecileLiftRow } from '../report-data.js';
import { churnScoreTable, churnSourceSentence } from '../churn-scorecards.js';
import type { ReportSection } from './report-section.js';


const formatLift = (lift: number | null) => (lift === null || !Number.isFinite(lift) ? '—' : `${formatNumber(lift, 2)}×`);

type Tournament = NonNullable<ReportChurn['tournament']>;
type ChurnCard = NonNullable<ReportChurn['churn']>;

const topLift = (rows: readonly ReportDecileLiftRow[]) => rows[0]?.lift ?? null;

/**
 * Why the honest tournament chose what it chose, in plain words: what was
 * compared on which window, by how much, and what that means for the scores.
 */
export function explainTournamentChoice(t: Tournament, scores: ReportChurn['scores'], scoresKept?: string): string {
  const chosen = t.candidates.find((c) => c.chosen);
  if (!chosen) return '';
  const btyd = t.candidates.filter((c) => c.family === 'btyd' || c.family === undefined);
  // the BTYD model the rule compared against (its own tournament's pick: run.json lift.btydLabel), else the lowest inner MAE
  const bestBtyd = chosen.family === 'btyd' || chosen.family === undefined ? chosen : (btyd.find((c) => c.label === t.lift?.btydLabel) ?? [...btyd].sort((a, b) => a.inner.mae - b.inner.mae)[0]);
  const window = t.windows ? `the last ${t.windows.innerDays} days of the calibration data` : 'a recent window of the calibration data';
  const others = t.candidates.filter((c) => c.family !== 'btyd' && c.family !== undefined && !c.chosen).sort((a, b) => a.inner.mae - b.inner.mae);
  if ((chosen.family === 'learned' || chosen.family === 'regularity') && bestBtyd) {
    const better = 1 - chosen.inner.mae / bestBtyd.inner.mae;
    const regular = chosen.family === 'regularity';
    // MBG/CNBD-k is a BTYD model too: it is compared with the classic ones, and it scores P(alive) as well
    const winner = regular ? `${chosen.label}, the BTYD model that also learns how regularly each customer buys (Erlang-k gaps between purchases), won` : `${chosen.label} won`;
    const against = regular ? 'the best classic BTYD model' : 'the best probabilistic (BTYD) model';
    const written = scoresKept ? (regular ? 'Its refit on all the data failed, so customers.csv keeps the value model’s scores.' : 'Its predictions on all the data could not be used, so customers.csv keeps the value model’s scores.') : !scores ? '' : regular ? `Refitted on all the data${scores.k ? ` with k = ${scores.k}` : ''}, its P(alive), expected purchases, predicted CLV and next-order dates are in customers.csv.` : 'Its predictions are the expected purchases and predicted CLV in customers.csv.';
    const unconverged = chosen.fitIssue ? ` Its fits did not converge (${chosen.fitIssue}), nor did ${bestBtyd.label}'s${bestBtyd.fitIssue ? ` (${bestBtyd.fitIssue})` : ''}: between two models that did not converge the better prediction won; treat its predictions with care.` : '';
    return `${winner}. Every model was fitted without ${window} and then asked how often each customer would buy in it: ${regular ? 'it' : chosen.label} was off by ${formatNumber(chosen.inner.mae, 3)} purchases per customer on average, ${formatPercent(better)} less than ${against}, ${bestBtyd.label} (${formatNumber(bestBtyd.inner.mae, 3)}), and it got the total right within the tolerance. The choice was made before the holdout was looked at; on the holdout it erred ${formatNumber(chosen.holdout.mae, 3)} per customer against ${formatNumber(bestBtyd.holdout.mae, 3)}.${unconverged} ${written}`.trim();
  }
  // too few purchases in the inner window to judge a challenger: the BTYD default stays whatever the figures
  const purchases = chosen.inner.actualTotal;
  if (purchases !== undefined && purchases < MIN_INNER_PURCHASES) {
    return `${chosen.label}, a probabilistic (BTYD) model, stays: ${window} held only ${formatNumber(purchases, 0)} repeat purchases, too few to judge a challenger — a total that small is uncertain by ±${formatPercent(1 / Math.sqrt(purchases))} by chance alone, more than the ${formatPercent(TOTAL_TOLERANCE)} a challenger's total must be right within (${MIN_INNER_PURCHASES} purchases at least). A challenger's lower per-customer error on so short a window mostly rewards predicting too little. A longer holdout (or more history) gives the comparison more to go on.`;
  }
  // the rule (choose-honest-winner.ts): a challenger whose inner total is off by more than the tolerance is not eligible,
  // and one whose fits did not converge does not replace a default whose fits converged
  const totalTolerance = Math.max(TOTAL_TOLERANCE, Math.abs(chosen.inner.totalRelativeError ?? 0));
  const missedTotal = (c: Tournament['candidates'][number]) => c.inner.totalRelativeError !== undefined && Math.abs(c.inner.totalRelativeError) > totalTolerance;
  const offTotal = others.filter((c) => missedTotal(c) && c.inner.mae < chosen.inner.mae);
  const passedOver = chosen.fitIssue ? [] : others.filter((c) => c.fitIssue && c.inner.mae < chosen.inner.mae && !offTotal.includes(c));
  const challenger = others.find((c) => !passedOver.includes(c) && !missedTotal(c));
  const gap = challenger ? ` The closest challenger, ${challenger.label}, was off by ${formatNumber(challenger.inner.mae, 3)} purchases per customer against ${formatNumber(chosen.inner.mae, 3)}; a challenger must be more than 1% better and get the total right to replace it.` : '';
  const missedList = offTotal.map((c) => `${c.label} (${formatNumber(c.inner.mae, 3)} per customer, total ${formatPercent(c.inner.totalRelativeError!)})`);
  const totalMissed = offTotal.length === 0 ? '' : ` ${missedList.length > 1 ? `${missedList.slice(0, -1).join(', ')} and ${missedList.at(-1)}` : missedList[0]} predicted that window better but missed ${offTotal.length > 1 ? 'their totals' : 'its total'} by more than the ${formatPercent(totalTolerance)} allowed: a model far off the total can still win on the per-customer error.`;
  const notConverged = passedOver.map((c) => ` ${c.label} predicted that window better (${formatNumber(c.inner.mae, 3)} per customer) but was passed over: its fits did not converge (${c.fitIssue}), and a model whose fits did not converge never replaces one whose fits converged.`).join('');
  const fallback = chosen.fitIssue ? ` Its own fits did not converge (${chosen.fitIssue}): it stays as the default because no challenger beat it; treat its predictions with care.` : '';
  const qualifiers = [passedOver.length > 0 ? 'whose fits converged' : '', offTotal.length > 0 ? 'that got the total right' : ''].filter((q) => q !== '').join(' and ');
  return `${chosen.label}, a probabilistic (BTYD) model, stays: fitted without ${window}, it predicted each customer's purchases in that window at least as well as the challengers${qualifiers ? ` ${qualifiers}` : ''}.${gap}${totalMissed}${notConverged}${fallback} BTYD models hold up where customers buy at irregular, random-looking intervals and drop out unseen; MBG/CNBD-k and the learned models win where buying is regular, learned models also where other signals (spend, season, channel) say more than the purchase count and timing.`;
}

/** The churn early warning's parts: how well it ranks and how calibrated it is on unseen customers, and what drives it. */
function churnParts(c: ChurnCard): string[] {
  const v = c.validation;
  const oneMinusPAlive = `1 − P(alive) of ${v.pAliveModel ?? 'the BTYD model'}`;
  // the BTYD score written when the learned model loses, and the one it was compared with (churn-source.ts); absent for MBG/CNBD-k and older run.json
  const noPurchase = v.btydNoPurchase ? { name: `P(no purchase in the next ${c.horizonDays} days) of ${v.pAliveModel ?? 'the BTYD model'}`, card: v.btydNoPurchase } : undefined;
  const table = churnScoreTable(c);
  const source = churnSourceSentence(c, "customers.csv's churn_probability");
  return [
    ...(c.horizonReason ? [renderParagraph(`Churn here is no purchase in the next ${c.horizonDays} days, ${c.horizonReason}.`)] : []),
    // no classifier trained: no drivers or settings to show, and no ranking in customers.csv
    ...(c.scoresSkipped ? [renderParagraph(`${c.scoresSkipped.charAt(0).toUpperCase()}${c.scoresSkipped.slice(1)}.`)] : []),
    // BTYD stays the default where the learned model did not win: say whose probability customers.csv holds, and the bands
    ...(source ? [renderParagraph(`${source} Risk bands ${describeRiskBands(c.bands) ?? 'none: no customer was banded'}.`)] : []),
    renderTable({ caption: table.caption, columns: table.columns, rows: table.rows }),
    ...table.intervalReasons.map((reason) => renderParagraph(reason)),
    renderFigure({ id: 'chart-churn-reliability', title: 'Calibration of the churn probability', caption: 'Share that churned against the predicted probability, per bin; the dashed diagonal is perfect calibration.', option: reliabilityChart(comparedChurnScores(v)) }),
    ...(v.lift
      ? [
          renderFigure({
            id: 'chart-churn-gain',
            title: 'Churn: gain by decile',
            caption: `Customers ranked by churn risk, riskiest first: the share of all churners found in the top tenths. Top-decile lift: ${formatLift(topLift(v.lift.learned))} for the learned model, ${noPurchase && v.lift.btydNoPurchase ? `${formatLift(topLift(v.lift.btydNoPurchase))} for ${noPurchase.name}, ` : ''}${formatLift(topLift(v.lift.btydOneMinusPAlive))} for ${oneMinusPAlive}.`,
            option: decileGainChart(comparedChurnScores(v.lift).map((s) => ({ name: s.name, rows: s.of, color: s.color })), 'share of churners found'),
          }),
        ]
      : []),
    ...(c.model
      ? [
          renderTable({
            caption: 'What drives churn risk (mean |TreeSHAP| on the log-odds)',
            columns: [{ header: 'feature', code: true }, { header: 'mean |contribution|', numeric: true }],
            rows: c.drivers.slice(0, 8).map((d) => [d.feature, formatNumber(d.value, 3)]),
          }),
          renderTable({
            caption: 'The churn model',
            columns: [{ header: 'setting' }, { header: 'value', code: true }],
            rows: [
              ['trained as of', c.trainedAsOf],
              ['trees kept (early stopping) / trained', `${c.model.bestIteration} / ${c.model.roundsTrained}`],
              ...Object.entries(c.model.params).map(([k, value]) => [k, String(value)]),
              ['risk bands', describeRiskBands(c.bands) ?? 'none: no customer was banded'],
            ],
          }),
        ]
      : []),
  ];
}

/**
 * The lead of the section without the churn early warning: why the honest tournament ran — asked for (its challengers
 * named), or by the regularity check on a fit of steady buyers — in words of no interface (the report serves the CLI
 * and the API), and no reason at all for a run.json written before `tournamentRanFor`.
 */
export function tournamentOnlyLead(learned: Pick<ReportChurn, 'tournament' | 'tournamentRanFor'>): string {
  const start = 'Which model predicts each customer’s purchases best on a window it never saw: ';
  const end = ' ran beside the BTYD models (the churn early warning was turned off for this run).';
  if (learned.tournamentRanFor === 'steady-buyers') return `${start}the fit showed steady buyers, so MBG/CNBD-k${end}`;
  const labels = (learned.tournament?.candidates ?? []).filter((x) => x.family !== 'btyd' && x.family !== undefined).map((x) => x.label);
  const challengers = labels.length === 0 ? 'the challengers' : labels.length === 1 ? labels[0]! : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)!}`;
  return learned.tournamentRanFor === 'asked' ? `${start}the run asked for the honest tournament, so ${challengers}${end}` : `${start}${challengers}${end}`;
}

/**
 * Churn early warning: how well it ranks and how calibrated it is on unseen customers, what drives it, and the honest
 * tournament. Without the churn early warning (analyze --no-churn, or "churn": false through the API: the lead names
 * neither, the report serves both), the honest tournament the regularity check ran, alone.
 */
export function renderChurnSection(_data: ReportData, learned: ReportChurn): ReportSection {
  const c = learned.churn;
  const parts = c ? churnParts(c) : [];
  const t = learned.tournament;
  if (t) {
    parts.push(
      renderTable({
        caption: 'Honest tournament: chosen on the inner window, scored on the holdout',
        wide: true,
        columns: [{ header: 'candidate' }, { header: 'inner MAE', numeric: true }, { header: 'holdout MAE', numeric: true }, { header: 'total', numeric: true }, { header: 'Gini (by purchases)', numeric: true }, { header: 'decile MAPE', numeric: true }],
        rows: t.candidates.map((x) => [x.label + (x.chosen ? ' (chosen)' : '') + (x.fitIssue ? ' (fits did not converge)' : ''), formatNumber(x.inner.mae, 3), formatNumber(x.holdout.mae, 3), formatPercent(x.holdout.totalRelativeError), formatNumber(x.holdout.gini, 3), formatNumber(x.holdout.decileMape, 3)]),
      }),
    );
    if (t.lift) {
      const chosenLabel = t.candidates.find((x) => x.chosen)?.label ?? t.chosen;
      const series = [{ name: chosenLabel, rows: t.lift.chosen }, ...(t.lift.btydLabel !== chosenLabel ? [{ name: t.lift.btydLabel, rows: t.lift.btyd }] : [])];
      parts.push(
        renderFigure({
          id: 'chart-purchases-gain',
          title: 'Purchases: gain by decile on the holdout',
          caption: `Customers ranked by predicted purchases, highest first: the share of all holdout purchases they made. Top-decile lift: ${series.map((s) => `${formatLift(topLift(s.rows))} (${s.name})`).join(', ')}.`,
          option: decileGainChart(series, 'share of holdout purchases'),
        }),
      );
    }
    parts.push(renderParagraph(explainTournamentChoice(t, learned.scores, learned.scoresKept)));
    if (learned.scores) parts.push(renderParagraph(`Scores: ${learned.scores.note}.`));
    if (learned.scoresKept) parts.push(renderParagraph(`Scores: ${learned.scoresKept}.`));
    if (learned.valueModelScores) parts.push(renderParagraph(`Scores: ${learned.valueModelScores.replace(/^customer_scores keep/, 'customers.csv keeps')}.`));
    parts.push(renderParagraph(`The rule, in full: ${t.reason}.`));
  }
  return {
    id: 'churn',
    title: c ? 'Churn early warning' : 'Honest tournament',
    lead: c ? `Who is likely to buy nothing in the next ${c.horizonDays} days, how sure we can be, and why.` : tournamentOnlyLead(learned),
    html: renderGrid(parts),
  };
}
