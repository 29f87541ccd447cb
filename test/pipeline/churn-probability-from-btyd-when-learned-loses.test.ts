/**
 * Regression (a data-scientist QA pass): customers.csv's churn_probability came from the learned churn model even when
 * the run's own validation showed it no better than chance and worse than 1 − P(alive) — on `synth --customers 60
 * --seed 3` AUC 0.500 against 0.840 — with every customer banded "high" and given "top drivers", and a 90-word warning
 * saying it was written all the same. BTYD stays the default where the learned model does not win: churn_probability is
 * then the value model's P(no purchase in the next N days), `learned.churn.source` says so, and there are no drivers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeChurnLine } from '../../src/cli/commands/analyze-command.js';
import { analyze, type RunSummary } from '../../src/pipeline/analyze.js';
import { chooseChurnSource } from '../../src/pipeline/churn-source.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';
import { readCsv, type Csv } from '../synth/shop-test-helpers.js';

const card = (auc: number, baseRate = 0.6) => ({ auc, baseRate }) as never;

describe('chooseChurnSource', () => {
  it('keeps the learned model only when it ranks the validation window better than 1 − P(alive)', () => {
    expect(chooseChurnSource({ learned: card(0.766), btydOneMinusPAlive: card(0.69), pAliveModel: 'MBG/NBD', horizonDays: 181 }, 'MBG/NBD', true)).toEqual({
      source: 'learned',
      reason: 'the learned churn model ranked the validation window better than 1 − P(alive) of MBG/NBD (AUC 0.766 against 0.690)',
    });
    expect(chooseChurnSource({ learned: card(0.729), btydOneMinusPAlive: card(0.735), pAliveModel: 'BG/NBD', horizonDays: 70 }, 'BG/NBD', true)).toEqual({
      source: 'btyd-no-purchase',
      reason: "BG/NBD's probability of no purchase in the next 70 days: the learned churn model did not rank the validation window better than 1 − P(alive) of BG/NBD (AUC 0.729 against 0.735)",
    });
  });

  it('compares the learned model with the score that would be written: P(no purchase in N days) when the model has one, and names it', () => {
    // the learned model beats 1 − P(alive) (0.730 > 0.720) but not P(no purchase) (0.741), the score customers.csv would hold
    const v = { learned: card(0.73), btydOneMinusPAlive: card(0.72), btydNoPurchase: card(0.741), pAliveModel: 'BG/NBD', horizonDays: 70 };
    expect(chooseChurnSource(v, 'BG/NBD', true)).toEqual({
      source: 'btyd-no-purchase',
      reason: "BG/NBD's probability of no purchase in the next 70 days: the learned churn model did not rank the validation window better than P(no purchase in the next 70 days) of BG/NBD (AUC 0.730 against 0.741)",
    });
    expect(chooseChurnSource({ ...v, btydNoPurchase: card(0.7) }, 'BG/NBD', true)).toEqual({
      source: 'learned',
      reason: 'the learned churn model ranked the validation window better than P(no purchase in the next 70 days) of BG/NBD (AUC 0.730 against 0.700)',
    });
  });

  it('falls back to BTYD when the validation cannot compare them, and to 1 − P(alive) when that model has no P(no purchase)', () => {
    expect(chooseChurnSource({ learned: card(NaN, 0), btydOneMinusPAlive: card(NaN, 0), pAliveModel: 'BG/NBD', horizonDays: 70 }, 'BG/NBD', true).source).toBe('btyd-no-purchase');
    expect(chooseChurnSource({ learned: card(0.6), btydOneMinusPAlive: card(0.7), pAliveModel: 'MBG/CNBD-6', horizonDays: 70 }, 'MBG/CNBD-6', false)).toEqual({
      source: 'btyd-one-minus-p-alive',
      reason: '1 − P(alive) of MBG/CNBD-6 (it has no probability of no purchase in a window): the learned churn model did not rank the validation window better than 1 − P(alive) of MBG/CNBD-6 (AUC 0.600 against 0.700)',
    });
  });
});

describe('analyze on synth --customers 60 --seed 3, where the learned churn model ranks no better than chance', () => {
  let run: RunSummary;
  let customers: Csv;
  let runJson: { learned: { churn: { sourceReason: string; validation: Record<string, { auc: number; reliability: unknown[] }> & { lift: Record<string, unknown[]> } } } };
  beforeAll(async () => {
    const dir = scratchDir('clvkit-churn-source-');
    expect((await cli(['synth', '--customers', '60', '--seed', '3', '--out', dir])).code).toBe(0);
    run = await analyze({ files: [join(dir, 'transactions.csv')], db: ':memory:', outDir: join(dir, 'out'), skipPatterns: true, skipReport: true, skipSegments: true });
    customers = readCsv(join(dir, 'out', 'customers.csv'));
    runJson = JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8'));
  }, 240_000);

  it('writes BTYD P(no purchase in the next N days) as churn_probability, without drivers, and says so in run.json', () => {
    const churn = run.learned!.churn!;
    expect(churn.validation.learned.auc).toBe(0.5);
    expect(churn.validation.btydOneMinusPAlive.auc).toBeGreaterThan(0.8);
    expect(churn.source).toBe('btyd-no-purchase');
    // the comparison is with the score written: P(no purchase in N days) of Pareto/NBD at C, scored on the same window
    const noPurchase = churn.validation.btydNoPurchase!;
    expect(Number.isFinite(noPurchase.auc)).toBe(true);
    expect(noPurchase.auc).toBeGreaterThan(0.8);
    expect(noPurchase.baseRate).toBe(churn.validation.learned.baseRate);
    expect(churn.sourceReason).toBe(`Pareto/NBD's probability of no purchase in the next ${churn.horizonDays} days: the learned churn model did not rank the validation window better than P(no purchase in the next ${churn.horizonDays} days) of Pareto/NBD (AUC 0.500 against ${noPurchase.auc.toFixed(3)})`);
    expect(churn.model).toBeUndefined();
    expect(churn.drivers).toEqual([]);
    const [p, alive, drivers] = ['churn_probability', 'p_alive', 'churn_top_drivers'].map((c) => customers.col(c));
    const probability = customers.rows.map((r) => Number(r[p!]));
    // P(no purchase in N days) = 1 − P(alive)·P(a purchase in N days | alive): at least 1 − P(alive), at most 1
    for (const [i, row] of customers.rows.entries()) {
      expect(probability[i]!).toBeGreaterThanOrEqual(1 - Number(row[alive!]) - 1e-6);
      expect(probability[i]!).toBeLessThanOrEqual(1);
      expect(row[drivers!]).toBe('');
    }
    expect(new Set(probability).size).toBeGreaterThan(10);
    expect(churn.meanProbability).toBeCloseTo(probability.reduce((s, x) => s + x, 0) / probability.length, 5);
  });

  it('publishes the scorecard of the written score in run.json, next to the learned model and 1 − P(alive)', () => {
    const v = runJson.learned.churn!.validation;
    expect(Number.isFinite(v.btydNoPurchase!.auc)).toBe(true);
    expect(v.btydNoPurchase!.auc).toBe(run.learned!.churn!.validation.btydNoPurchase!.auc);
    expect(v.btydNoPurchase!.reliability.length).toBeGreaterThan(0);
    expect(v.lift.btydNoPurchase).toHaveLength(10);
    expect(runJson.learned.churn!.sourceReason).toContain('better than P(no purchase in the next');
  });

  it('bands by rank, not everyone "high"', () => {
    const band = customers.col('churn_risk_band');
    const count = (b: string) => customers.rows.filter((r) => r[band] === b).length;
    expect(count('high')).toBeLessThanOrEqual(15);
    expect(count('low')).toBeGreaterThanOrEqual(25);
  });

  it('says which source in one short clause of the churn line, and no longer warns that the weaker score was written', () => {
    const written = run.learned!.churn!.validation.btydNoPurchase!.auc.toFixed(3).replace('.', '\\.');
    expect(describeChurnLine(run)).toMatch(new RegExp(`: AUC 0\\.500 \\(P\\(no purchase\\) of Pareto/NBD ${written}\\); churn_probability from Pareto/NBD's P\\(no purchase\\), as the learned model did not win$`));
    expect(describeChurnLine(run)).toMatch(/: AUC 0\.500 \(P\(no purchase\) of Pareto\/NBD 0\.8\d\d\); churn_probability from Pareto\/NBD's P\(no purchase\), as the learned model did not win$/);
    expect(run.warnings.filter((w) => w.includes('churn_probability'))).toEqual([]);
  });
});

describe('the report churn section of a run whose churn_probability came from BTYD', () => {
  it('says whose probability customers.csv holds and why, and how the bands are cut', async () => {
    const { renderChurnSection } = await import('../../src/report/sections/churn-section.js');
    const { fixtureChurn, fixtureReportData } = await import('../report/report-fixture.js');
    const learned = fixtureChurn();
    const { model: _model, ...churn } = learned.churn!;
    const reason = "BG/NBD's probability of no purchase in the next 70 days: the learned churn model did not rank the validation window better than 1 − P(alive) of BG/NBD (AUC 0.729 against 0.735)";
    const html = renderChurnSection(fixtureReportData(), { ...learned, churn: { ...churn, drivers: [], source: 'btyd-no-purchase', sourceModel: 'BG/NBD', sourceReason: reason, bands: { highShare: 0.2, mediumShare: 0.3, high: 0.9507, medium: 0.9 } } }).html;
    expect(html.replaceAll('&#39;', "'")).toContain(`customers.csv's churn_probability is ${reason}; no per-customer drivers are given. Risk bands by rank, ties kept together: high the riskiest 20% (probability ≥ 0.950), medium the next 30% (≥ 0.900), low the other 50%.`);
    // the same words as the analyze summary's churn_risk_band line, the cut-off rounded down (0.9507 is not "≥ 0.951")
    expect(html).not.toContain('What drives churn risk');
  });
});
