import { describe, expect, it } from 'vitest';
import { decileGainChart } from '../../src/report/charts/decile-gain-chart.js';
import type { ReportChurn, ReportDecileLiftRow } from '../../src/report/report-data.js';
import { explainTournamentChoice, renderChurnSection } from '../../src/report/sections/churn-section.js';
import { renderModelSection } from '../../src/report/sections/model-section.js';
import { fixtureChurn, fixtureReportData } from './report-fixture.js';

/** Ten deciles whose gains rise to 1; the first `withheld` deciles are null (fewer than k customers). */
function deciles(topShare: number, withheld = 0): ReportDecileLiftRow[] {
  let cumulative = 0;
  return Array.from({ length: 10 }, (_, d) => {
    const share = d === 0 ? topShare : (1 - topShare) / 9;
    cumulative += share;
    return d < withheld ? { decile: d + 1, customers: null, meanOutcome: null, lift: null, cumulativeGain: null } : { decile: d + 1, customers: 120, meanOutcome: share * 10, lift: share * 10, cumulativeGain: cumulative };
  });
}

function withLift(base: ReportChurn, learnedWins: boolean): ReportChurn {
  const t = base.tournament!;
  return {
    ...base,
    churn: { ...base.churn!, validation: { ...base.churn!.validation, lift: { learned: deciles(0.3), btydOneMinusPAlive: deciles(0.18) } } },
    tournament: {
      ...t,
      chosen: learnedWins ? 'gbt-poisson' : 'mbgnbd',
      windows: { innerDays: 90 },
      candidates: [
        { ...t.candidates[0]!, family: 'btyd', chosen: !learnedWins, inner: { mae: 0.38 } },
        { ...t.candidates[1]!, family: 'learned', chosen: learnedWins, inner: { mae: learnedWins ? 0.3 : 0.484 } },
      ],
      lift: { chosen: deciles(0.4), btyd: deciles(0.35, 1), btydLabel: 'MBG/NBD' },
    },
    ...(learnedWins ? { scores: { label: 'GBT (Poisson)', labelDays: 90, trainedAsOf: '2011-09-10', note: 'customer_scores carry GBT (Poisson)’s predictions' } } : {}),
  };
}

describe('the churn section: gain by decile and why the chosen model won', () => {
  it('draws the gain curves of churn and of holdout purchases, with the top-decile lift in the captions', () => {
    const html = renderChurnSection(fixtureReportData(), withLift(fixtureChurn(), true)).html;
    expect(html).toContain('id="chart-churn-gain"');
    expect(html).toContain('id="chart-purchases-gain"');
    expect(html).toContain('Top-decile lift: 3.00× for the learned model, 1.80× for 1 − P(alive)');
    expect(html).toContain('Top-decile lift: 4.00× (GBT (Poisson)), — (MBG/NBD)');
    expect(html).toContain('Scores: customer_scores carry GBT (Poisson)’s predictions.');
  });

  it('leaves the gain charts out for a run.json written before the lift tables', () => {
    const html = renderChurnSection(fixtureReportData(), fixtureChurn()).html;
    expect(html).not.toContain('chart-churn-gain');
    expect(html).not.toContain('chart-purchases-gain');
    expect(html).toContain('id="chart-churn-reliability"');
  });

  it('explains a learned win in plain words with the inner and holdout errors', () => {
    const card = withLift(fixtureChurn(), true);
    const text = explainTournamentChoice(card.tournament!, card.scores);
    expect(text).toMatch(/^GBT \(Poisson\) won\. Every model was fitted without the last 90 days of the calibration data/);
    expect(text).toContain('off by 0.300 purchases per customer on average, 21.1% less than the best probabilistic (BTYD) model, MBG/NBD (0.380)');
    expect(text).toContain('on the holdout it erred 0.907 per customer against 0.765');
    expect(text).toContain('predicted CLV in customers.csv');
  });

  it('compares a learned winner with the BTYD model the rule compared it with (lift.btydLabel), not merely the lowest inner MAE', () => {
    const card = withLift(fixtureChurn(), true);
    const t = card.tournament!;
    const other = { ...t.candidates[0]!, label: 'Pareto/NBD', inner: { mae: 0.37 } };
    const text = explainTournamentChoice({ ...t, candidates: [...t.candidates, other] }, card.scores);
    expect(text).toContain('the best probabilistic (BTYD) model, MBG/NBD (0.380)');
  });

  it('explains a BTYD stay with the closest challenger', () => {
    const card = withLift(fixtureChurn(), false);
    const text = explainTournamentChoice(card.tournament!, undefined);
    expect(text).toMatch(/^MBG\/NBD, a probabilistic \(BTYD\) model, stays/);
    expect(text).toContain('The closest challenger, GBT (Poisson), was off by 0.484 purchases per customer against 0.38');
  });

  it('explains an MBG/CNBD-k win as the regularity-aware model, not as a BTYD stay, and says it scored customers.csv', () => {
    const base = withLift(fixtureChurn(), false);
    const t = base.tournament!;
    const cnbd = { ...t.candidates[1]!, label: 'MBG/CNBD-k', family: 'regularity', chosen: true, inner: { mae: 0.3 } };
    const tournament = { ...t, chosen: 'mbgcnbd', candidates: [{ ...t.candidates[0]!, chosen: false }, cnbd, { ...t.candidates[1]!, chosen: false }] };
    const scores = { label: 'MBG/CNBD-4', k: 4, note: 'customer_scores carry MBG/CNBD-k’s predictions (k = 4 …)' };
    const text = explainTournamentChoice(tournament, scores);
    expect(text).toMatch(/^MBG\/CNBD-k, the BTYD model that also learns how regularly each customer buys \(Erlang-k gaps between purchases\), won\. Every model was fitted without the last 90 days of the calibration data/);
    expect(text).not.toContain('stays');
    expect(text).toContain('off by 0.300 purchases per customer on average, 21.1% less than the best classic BTYD model, MBG/NBD (0.380)');
    expect(text).toContain('Refitted on all the data with k = 4, its P(alive), expected purchases, predicted CLV and next-order dates are in customers.csv.');
    expect(explainTournamentChoice(tournament, undefined)).not.toContain('customers.csv');
  });

  it('says when MBG/CNBD-k won but its refit failed: customers.csv keeps the value model’s scores, and why', () => {
    const base = withLift(fixtureChurn(), false);
    const t = base.tournament!;
    const cnbd = { ...t.candidates[1]!, label: 'MBG/CNBD-k', family: 'regularity', chosen: true, inner: { mae: 0.3 } };
    const tournament = { ...t, chosen: 'mbgcnbd', candidates: [{ ...t.candidates[0]!, chosen: false }, cnbd, { ...t.candidates[1]!, chosen: false }] };
    const kept = "customer_scores keep MBG/NBD's scores (the value model's): the tournament chose MBG/CNBD-4, but refitted on every purchase up to 2011-12-09 the fit did not converge (iteration limit)";
    const text = explainTournamentChoice(tournament, undefined, kept);
    expect(text).toContain('Its refit on all the data failed, so customers.csv keeps the value model’s scores.');
    const html = renderChurnSection(fixtureReportData(), { ...base, tournament, scoresKept: kept }).html;
    expect(html).toContain('Scores: customer_scores keep MBG/NBD&#39;s scores');
    expect(html).toContain('the fit did not converge (iteration limit)');
  });

  it('a BTYD winner other than the value model: the churn section and the model section say customers.csv keeps the value model’s scores (the steady shop: Pareto/NBD chosen, MBG/NBD scored, and nothing said so)', () => {
    const base = withLift(fixtureChurn(), false);
    const t = base.tournament!;
    const tournament = { ...t, chosen: 'paretonbd', candidates: [{ ...t.candidates[0]!, label: 'Pareto/NBD', chosen: true }, { ...t.candidates[1]!, chosen: false }] };
    const note = "customer_scores keep BG/NBD's scores (the value model, chosen on the holdout 2011-09-04 → 2011-12-09 and refitted on all data): the honest tournament chose Pareto/NBD, a BTYD model, on its inner window 2011-06-06 → 2011-09-04, and a BTYD winner does not replace the value model — only a learned model or MBG/CNBD-k does";
    const churn = { ...base, tournament, valueModelScores: note };
    const html = renderChurnSection(fixtureReportData(), churn).html;
    expect(html).toContain('Scores: customers.csv keeps BG/NBD&#39;s scores (the value model, chosen on the holdout 2011-09-04 → 2011-12-09 and refitted on all data): the honest tournament chose Pareto/NBD');
    const data = { ...fixtureReportData(), churn };
    expect(renderModelSection(data, data.modelCard!).html).toContain('The honest tournament (Churn early warning) preferred Pareto/NBD on its own window; a BTYD model does not replace this one, so customers.csv’s scores are BG/NBD’s.');
    // the tournament chose the value model itself: nothing to say
    expect(renderChurnSection(fixtureReportData(), base).html).not.toContain('Scores:');
    const plain = fixtureReportData();
    expect(renderModelSection({ ...plain, churn: base }, plain.modelCard!).html).not.toContain('preferred');
  });

  it('names the model whose 1 − P(alive) the churn score is compared with (the winner’s when MBG/CNBD-k scored customers.csv)', () => {
    const base = withLift(fixtureChurn(), false);
    const churn = { ...base, churn: { ...base.churn!, validation: { ...base.churn!.validation, pAliveModel: 'MBG/CNBD-12' } } };
    const html = renderChurnSection(fixtureReportData(), churn).html;
    expect(html).toContain('1 − P(alive) of MBG/CNBD-12');
    expect(html).toContain('for 1 − P(alive) of MBG/CNBD-12');
    expect(html).not.toContain('1 − P(alive) of the BTYD model');
    // a run.json written before the field: the old wording
    expect(renderChurnSection(fixtureReportData(), base).html).toContain('1 − P(alive) of the BTYD model');
  });

  it('shows P(no purchase) of the BTYD model, the score customers.csv holds when the learned model loses, as a row of the churn table', () => {
    const base = withLift(fixtureChurn(), false);
    const v = base.churn!.validation;
    const noPurchase = { ...v.btydOneMinusPAlive, auc: 0.712, aucInterval: [0.69, 0.73] as const };
    const churn = { ...base, churn: { ...base.churn!, validation: { ...v, pAliveModel: 'BG/NBD', btydNoPurchase: noPurchase, lift: { ...v.lift!, btydNoPurchase: deciles(0.21) } } } };
    const html = renderChurnSection(fixtureReportData(), churn).html;
    expect(html).toMatch(/<td>P\(no purchase in the next 90 days\) of BG\/NBD<\/td><td[^>]*>0\.712 \[0\.690, 0\.730\]<\/td>/);
    expect(html).toContain('for P(no purchase in the next 90 days) of BG/NBD');
    // run.json written before the field: no such row
    expect(renderChurnSection(fixtureReportData(), base).html).not.toContain('P(no purchase');
  });

  it('names MBG/CNBD-k as the closest challenger of a BTYD stay', () => {
    const base = withLift(fixtureChurn(), false);
    const t = base.tournament!;
    const cnbd = { ...t.candidates[1]!, label: 'MBG/CNBD-k', family: 'regularity', chosen: false, inner: { mae: 0.39 } };
    const text = explainTournamentChoice({ ...t, candidates: [...t.candidates, cnbd] }, undefined);
    expect(text).toMatch(/^MBG\/NBD, a probabilistic \(BTYD\) model, stays/);
    expect(text).toContain('The closest challenger, MBG/CNBD-k, was off by 0.390 purchases per customer against 0.380');
    expect(text).toContain('at least as well as the challengers');
  });

  it('a BTYD stay over a challenger with a lower inner MAE that missed the inner total: does not claim the stay predicted at least as well, names the miss, and the closest challenger is an eligible one', () => {
    // the CDNOW sample, analyze --as-of 1997-09-30 --learned-tournament: GBT on BTYD 0.290 (total −34.5%) against MBG/NBD 0.326
    const base = withLift(fixtureChurn(), false);
    const t = base.tournament!;
    const stay = { ...t.candidates[0]!, inner: { mae: 0.326, totalRelativeError: -0.02 } };
    const offTotal = { ...t.candidates[1]!, label: 'GBT on BTYD (Poisson)', inner: { mae: 0.29, totalRelativeError: -0.345 } };
    const eligible = { ...t.candidates[1]!, label: 'GBT (Poisson)', inner: { mae: 0.37, totalRelativeError: 0.001 } };
    const text = explainTournamentChoice({ ...t, candidates: [stay, offTotal, eligible] }, undefined);
    expect(text).toMatch(/^MBG\/NBD, a probabilistic \(BTYD\) model, stays/);
    expect(text).not.toContain('at least as well as the challengers.');
    expect(text).toContain('GBT on BTYD (Poisson) (0.290 per customer, total -34.5%) predicted that window better but missed its total by more than the 5.0% allowed');
    const second = { ...offTotal, label: 'Poisson GLM', inner: { mae: 0.313, totalRelativeError: 0.303 } };
    expect(explainTournamentChoice({ ...t, candidates: [stay, offTotal, second, eligible] }, undefined)).toContain('GBT on BTYD (Poisson) (0.290 per customer, total -34.5%) and Poisson GLM (0.313 per customer, total 30.3%) predicted that window better but missed their totals');
    expect(text).toContain('The closest challenger, GBT (Poisson), was off by 0.370 purchases per customer against 0.326');
  });

  it('a BTYD stay over an MBG/CNBD-k with a lower inner MAE whose fits did not converge: says it was passed over and why, and marks it in the table', () => {
    const base = withLift(fixtureChurn(), false);
    const t = base.tournament!;
    const issue = 'inner fit: the k search stopped at its limit, 48, with the likelihood still improving (k is a lower bound on the regularity)';
    const cnbd = { ...t.candidates[1]!, label: 'MBG/CNBD-k', family: 'regularity', chosen: false, inner: { mae: 0.2 }, fitIssue: issue };
    const tournament = { ...t, candidates: [...t.candidates, cnbd] };
    const text = explainTournamentChoice(tournament, undefined);
    expect(text).toContain('at least as well as the challengers whose fits converged.');
    expect(text).toContain('The closest challenger, GBT (Poisson), was off by 0.484');
    expect(text).toContain(`MBG/CNBD-k predicted that window better (0.200 per customer) but was passed over: its fits did not converge (${issue})`);
    expect(renderChurnSection(fixtureReportData(), { ...base, tournament }).html).toContain('MBG/CNBD-k (fits did not converge)');
  });

  it('an MBG/CNBD-k win over a BTYD model that did not converge either says so, with both issues', () => {
    const base = withLift(fixtureChurn(), false);
    const t = base.tournament!;
    const cnbd = { ...t.candidates[1]!, label: 'MBG/CNBD-k', family: 'regularity', chosen: true, inner: { mae: 0.3 }, fitIssue: 'inner fit: on the boundary: no dropout' };
    const tournament = { ...t, chosen: 'mbgcnbd', candidates: [{ ...t.candidates[0]!, chosen: false, fitIssue: 'inner fit: on the boundary: no dropout' }, cnbd] };
    const text = explainTournamentChoice(tournament, undefined);
    expect(text).toMatch(/^MBG\/CNBD-k, the BTYD model that also learns/);
    expect(text).toContain("Its fits did not converge (inner fit: on the boundary: no dropout), nor did MBG/NBD's (inner fit: on the boundary: no dropout): between two models that did not converge the better prediction won; treat its predictions with care.");
  });

  it('the gain chart starts at the origin, puts decile d at d/10 and draws no point for a withheld decile', () => {
    const option = decileGainChart([{ name: 'a', rows: deciles(0.4) }, { name: 'b', rows: deciles(0.35, 1) }], 'share') as { series: { name: string; data: ({ value: number[] } | number[])[] }[] };
    const [random, a, b] = option.series;
    expect(random!.data).toEqual([[0, 0], [1, 1]]);
    expect((a!.data[0] as { value: number[] }).value).toEqual([0, 0]);
    expect((a!.data[1] as { value: number[] }).value).toEqual([0.1, 0.4]);
    expect((a!.data[10] as { value: number[] }).value).toEqual([1, 1]);
    expect(b!.data).toHaveLength(10); // origin + deciles 2..10
    expect((b!.data[1] as { value: number[] }).value[0]).toBe(0.2);
  });
});

describe('the model section names the model that scored the customers', () => {
  it('says the honest tournament’s winner scored customers.csv when it did, and nothing of the kind otherwise', () => {
    const data = fixtureReportData();
    const scored = { ...data, churn: { ...fixtureChurn(), scores: { label: 'MBG/CNBD-4', k: 4, note: 'customer_scores carry MBG/CNBD-k’s predictions' } } };
    const html = renderModelSection(scored, scored.modelCard!).html;
    expect(html).toContain('Here the honest tournament (Churn early warning) chose MBG/CNBD-4 over it, so MBG/CNBD-4 scored customers.csv');
    expect(html).toContain('MBG/CNBD-4 scored customers.csv’s P(alive), expected purchases, predicted CLV and next-order dates instead');
    expect(renderModelSection(data, data.modelCard!).html).not.toContain('honest tournament');
    const learned = { ...data, churn: { ...fixtureChurn(), scores: { label: 'GBT (Poisson)', labelDays: 90, note: 'customer_scores carry GBT (Poisson)’s predictions' } } };
    expect(renderModelSection(learned, learned.modelCard!).html).toContain('so GBT (Poisson) scored customers.csv’s expected purchases and predicted CLV instead');
  });

  it('says whose P(alive) the P(alive) charts show when MBG/CNBD-k scored customers.csv’s', () => {
    const data = fixtureReportData();
    const scored = { ...data, churn: { ...fixtureChurn(), scores: { label: 'MBG/CNBD-4', k: 4, note: 'customer_scores carry MBG/CNBD-k’s predictions' } } };
    const html = renderModelSection(scored, scored.modelCard!).html;
    const valueLabel = data.modelCard!.comparison.find((c) => c.chosen)!.label;
    const notice = `These show ${valueLabel}’s P(alive) (the value model); customers.csv’s p_alive is MBG/CNBD-4’s.`;
    expect(html.split(notice).length - 1).toBe(html.includes('chart-alive-paths') && html.includes('chart-probability-alive') ? 2 : 1);
    expect(renderModelSection(data, data.modelCard!).html).not.toContain('customers.csv’s p_alive is');
  });
});

describe('the two Gini columns of a report say what they rank', () => {
  it('the value model’s Gini ranks by predicted value against holdout spend, the honest tournament’s by purchases: each is labelled so (the CDNOW sample showed MBG/NBD 0.584 in one and 0.585 in the other, unlabelled)', () => {
    const data = fixtureReportData();
    const card = data.modelCard!;
    const byValue = { ...card, comparison: card.comparison.map((c) => ({ ...c, holdout: { ...c.holdout, giniRankedBy: 'value' as const } })) };
    const model = renderModelSection(data, byValue).html;
    expect(model).toContain('customers ranked by predicted value against their holdout spend');
    expect(model).toContain('Gini (by value)');
    const churn = renderChurnSection(data, withLift(fixtureChurn(), false)).html;
    expect(churn).toContain('Gini (by purchases)');
  });
});

// a CDNOW trial: the churn section said "the next 181 days" with no word of the 273-day holdout it fell short of
describe('the churn section says the churn horizon and how it was chosen', () => {
  it('says the reason run.json holds, and nothing for a run.json written before it', () => {
    const reason = 'shorter than the holdout (273 days): the 272 days from the first purchase to the calibration end leave 181 days after their first third, which the classifier keeps as history before its training cut-off (a 273-day label needs 410 days of calibration data); the churn figures score no purchase in the first 181 days of the 273-day holdout';
    const base = fixtureChurn();
    const html = renderChurnSection(fixtureReportData(), { ...base, churn: { ...base.churn!, horizonDays: 181, horizonReason: reason } }).html;
    expect(html).toContain('Churn here is no purchase in the next 181 days, shorter than the holdout (273 days): the 272 days from the first purchase to the calibration end');
    expect(renderChurnSection(fixtureReportData(), base).html).not.toContain('Churn here is');
  });
});

// --no-churn on a shop of steady buyers: the learned card holds the honest tournament the regularity check ran, no churn
describe('the churn section without the churn early warning (--no-churn, regularity check)', () => {
  it('shows the honest tournament alone, titled as such, with no churn table', () => {
    const { churn: _churn, ...tournamentOnly } = fixtureChurn();
    const section = renderChurnSection(fixtureReportData(), tournamentOnly);
    expect(section.title).toBe('Honest tournament');
    expect(section.html).toContain('Honest tournament: chosen on the inner window, scored on the holdout');
    expect(section.html).not.toContain('Calibration of the churn probability');
  });

  // QA: the lead said "(no churn early warning: --no-churn)" for a run started through the API with "churn": false too
  it('says the churn early warning was turned off in words of no interface, neither --no-churn nor "churn": false', () => {
    const { churn: _churn, ...tournamentOnly } = fixtureChurn();
    const { lead } = renderChurnSection(fixtureReportData(), tournamentOnly);
    expect(lead).not.toMatch(/--no-churn|"churn"/);
    expect(lead).toMatch(/\(the churn early warning was turned off for this run\)\.$/);
  });
});

// A session-37 review: with --no-churn --learned-tournament the lead said "the fit showed steady buyers, so MBG/CNBD-k
// ran beside the BTYD models" — the tournament ran because the run asked for it, with the learned models too
describe('the honest tournament lead says why the tournament ran', () => {
  const { churn: _churn, ...tournamentOnly } = fixtureChurn();
  const t = tournamentOnly.tournament!;
  const withFamilies: ReportChurn = {
    ...tournamentOnly,
    tournament: { ...t, candidates: [{ ...t.candidates[0]!, family: 'btyd' }, { ...t.candidates[1]!, label: 'GBT (Poisson)', family: 'learned' }, { ...t.candidates[1]!, label: 'MBG/CNBD-k', family: 'regularity', chosen: false }] },
  };

  it('asked for: says the run asked for it and names its challengers, not steady buyers', () => {
    const { lead } = renderChurnSection(fixtureReportData(), { ...withFamilies, tournamentRanFor: 'asked' });
    expect(lead).toBe('Which model predicts each customer’s purchases best on a window it never saw: the run asked for the honest tournament, so GBT (Poisson) and MBG/CNBD-k ran beside the BTYD models (the churn early warning was turned off for this run).');
  });

  it('run by the regularity check: says the fit showed steady buyers', () => {
    const { lead } = renderChurnSection(fixtureReportData(), { ...withFamilies, tournamentRanFor: 'steady-buyers' });
    expect(lead).toBe('Which model predicts each customer’s purchases best on a window it never saw: the fit showed steady buyers, so MBG/CNBD-k ran beside the BTYD models (the churn early warning was turned off for this run).');
  });

  it('a run.json written before the reason was recorded: gives no reason it cannot know', () => {
    const { lead } = renderChurnSection(fixtureReportData(), withFamilies);
    expect(lead).toBe('Which model predicts each customer’s purchases best on a window it never saw: GBT (Poisson) and MBG/CNBD-k ran beside the BTYD models (the churn early warning was turned off for this run).');
  });
});
