/**
 * The dashboard's churn card shows the same scorecards as the report's churn table: the learned model, the BTYD
 * model's P(no purchase in the next N days) when the run scored it (run.json `learned.churn.validation.btydNoPurchase`)
 * and 1 − P(alive), each with its AUC / PR-AUC interval or "interval n/a" and the reason when withheld
 * (`aucIntervalSkipped`), and says which score the customers' churn probability holds (`learned.churn.sourceReason`).
 *
 * Regression: the value model card showed only the learned model's AUC against 1 − P(alive) — no P(no purchase) row,
 * a withheld interval as "[–, –]", and no word that the customers' churn probability was the BTYD model's after the
 * learned model lost.
 */
import { describe, expect, it } from 'vitest';
import type { ModelCardResponse } from '../../src/server/routes/read-api-types.js';
import { renderChurnSection } from '../../src/report/sections/churn-section.js';
import { churnCardWords } from '../../web/src/churn-view.js';
import { fixtureChurn, fixtureReportData } from '../report/report-fixture.js';

const REASON = "BG/NBD's probability of no purchase in the next 90 days: the learned churn model did not rank the validation window better than P(no purchase in the next 90 days) of BG/NBD (AUC 0.760 against 0.780)";

/** fixtureChurn's card, as a run where the learned model lost to BG/NBD's P(no purchase), its interval withheld */
function lostToNoPurchase(): NonNullable<ModelCardResponse['churn']> {
  const base = fixtureChurn();
  const v = base.churn!.validation;
  const noPurchase = { ...v.btydOneMinusPAlive, auc: 0.78, aucInterval: [null, null] as unknown as readonly [number, number], prAuc: 0.83, prAucInterval: [null, null] as unknown as readonly [number, number], brier: 0.19, aucIntervalSkipped: 'withheld: fewer than 40 churners in the validation window', prAucIntervalSkipped: 'withheld: fewer than 40 churners in the validation window' };
  return { ...base, churn: { ...base.churn!, source: 'btyd-no-purchase', sourceModel: 'BG/NBD', sourceReason: REASON, validation: { ...v, pAliveModel: 'BG/NBD', btydNoPurchase: noPurchase } } };
}

describe('the dashboard churn card: the scorecards and the source of the churn probability, as the report shows them', () => {
  it('a run whose learned model lost to P(no purchase): three rows, the withheld interval as n/a with its reason, and the source sentence', () => {
    const words = churnCardWords(lostToNoPurchase().churn!);
    expect(words.table.columns.map((c) => c.header)).toEqual(['score', 'AUC [95%]', 'PR-AUC [95%]', 'Brier']);
    expect(words.table.caption).toBe('Churn in the next 90 days, on customers the model never saw (62.0% churned)');
    expect(words.table.rows).toEqual([
      ['learned (gradient-boosted trees)', '0.760 [0.740, 0.780]', '0.860 [0.840, 0.880]', '0.110'],
      ['P(no purchase in the next 90 days) of BG/NBD', '0.780 (interval n/a)', '0.830 (interval n/a)', '0.190'],
      ['1 − P(alive) of BG/NBD', '0.690 [0.670, 0.710]', '0.790 [0.770, 0.810]', '0.128'],
    ]);
    expect(words.intervalReasons).toEqual(['P(no purchase in the next 90 days) of BG/NBD AUC interval: withheld: fewer than 40 churners in the validation window.']);
    expect(words.source).toBe(`The customers’ churn probability is ${REASON}; no per-customer drivers are given.`);
  });

  it('the same rows and reasons as the report’s churn table', () => {
    const churn = lostToNoPurchase();
    const html = renderChurnSection(fixtureReportData(), churn).html;
    const words = churnCardWords(churn.churn!);
    for (const row of words.table.rows) expect(html).toContain(`<td>${row[0]}</td><td class="num">${row[1]}</td><td class="num">${row[2]}</td><td class="num">${row[3]}</td>`);
    for (const reason of words.intervalReasons) expect(html).toContain(reason);
    expect(html).toContain(`customers.csv's churn_probability is ${REASON}; no per-customer drivers are given.`.replaceAll("'", '&#39;'));
  });

  it('a run.json without btydNoPurchase or source (older, or the learned model won): two rows and no source sentence', () => {
    const words = churnCardWords(fixtureChurn().churn!);
    expect(words.table.rows.map((r) => r[0])).toEqual(['learned (gradient-boosted trees)', '1 − P(alive) of the BTYD model']);
    expect(words.intervalReasons).toEqual([]);
    expect(words.source).toBeNull();
    const won = lostToNoPurchase().churn!;
    expect(churnCardWords({ ...won, source: 'learned', sourceReason: 'the learned churn model ranked the validation window better than P(no purchase in the next 90 days) of BG/NBD (AUC 0.790 against 0.780)' }).source).toBeNull();
  });
});
