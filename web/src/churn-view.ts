/**
 * What the value model card's churn section says, as text (no DOM: the page wraps it in elements, the tests read it as
 * it is): the report's churn table (src/report/churn-scorecards.ts) — the learned model, the BTYD model's P(no purchase
 * in the next N days) when the run scored it, 1 − P(alive) — why an interval is n/a, and which score the customers'
 * churn probability holds.
 */
import type { ChurnBands, ModelCardResponse } from '../../src/server/routes/read-api-types.js';
import { churnScorecards, churnScoreTable, churnSourceSentence, withInterval } from '../../src/report/churn-scorecards.js';
import { formatNumber } from '../../src/report/format-number.js';
import { describeRiskBands } from '../../src/core/describe-risk-bands.js';

type Churn = NonNullable<NonNullable<ModelCardResponse['churn']>['churn']>;

export interface ChurnCardWords {
  /** the first line: the learned model's AUC against the score it is compared with (P(no purchase) when scored, else `baseline`, whose 1 − P(alive)) */
  readonly lead: string;
  /** the scorecards, as the report's churn table */
  readonly table: { readonly caption: string; readonly columns: readonly { header: string; numeric?: boolean }[]; readonly rows: readonly string[][] };
  /** why an interval of the table is n/a, one sentence each */
  readonly intervalReasons: readonly string[];
  /** which score the customers' churn probability holds where BTYD stayed the default (run.json sourceReason), or null */
  readonly source: string | null;
}

/** The churn section's words; `baseline` names 1 − P(alive) as the value model card does (modelCardWords' churnBaseline). */
export function churnCardWords(churn: Churn, baseline?: string): ChurnCardWords {
  const v = churn.validation;
  const { caption, columns, rows, intervalReasons } = churnScoreTable(churn);
  const noPurchase = v.btydNoPurchase ? churnScorecards(churn)[1]! : undefined;
  const compared = noPurchase ?? { name: baseline ?? churnScorecards(churn).at(-1)!.name, card: v.btydOneMinusPAlive };
  return {
    lead: `Probability of no purchase in the next ${churn.horizonDays} days; AUC ${withInterval(v.learned.auc, v.learned.aucInterval)} against ${formatNumber(compared.card.auc, 3)} for ${compared.name}.`,
    table: { caption, columns, rows },
    intervalReasons,
    source: churnSourceSentence(churn, 'The customers’ churn probability'),
  };
}

/**
 * A customer's churn risk band, said to be a rank (high = the riskiest share, medium the next, low the rest), with the
 * run's cut-offs, in the words of the analyze summary and the report (core/describe-risk-bands.ts: the shares, and each
 * cut-off rounded down, so no customer in a band sits below the figure printed): a high probability can be banded low
 * when most customers' are higher. '' without a band; "(by rank)" alone when no cut-offs are served.
 *
 * Example: `churnBandNote('low', { high: 0.9127, medium: 0.8049, highShare: 0.2, mediumShare: 0.3 })` → `band low: by
 * rank, ties kept together: high the riskiest 20% (probability ≥ 0.912), medium the next 30% (≥ 0.804), low the other 50%`
 */
export function churnBandNote(band: string | null, bands: ChurnBands | null): string {
  if (band === null || band === '') return '';
  const words = bands ? describeRiskBands(bands) : null;
  return words ? `band ${band}: ${words}` : `band ${band} (by rank)`;
}
