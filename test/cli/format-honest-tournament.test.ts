import { describe, expect, it } from 'vitest';
import { formatHonestTournament } from '../../src/cli/commands/format-honest-tournament.js';
import type { HonestCandidate, HonestTournamentResult } from '../../src/pipeline/honest-tournament.js';
import type { HoldoutMetrics } from '../../src/models/compute-holdout-metrics.js';

const metrics = (mae: number): HoldoutMetrics => ({ mae, rmse: 1.2, predictedTotal: 1700, actualTotal: 1882, totalRelativeError: -0.097, spearman: 0.61, gini: 0.66, decileMape: 0.24 }) as unknown as HoldoutMetrics;
const candidate = (name: string, label: string, family: HonestCandidate['family'], chosen = false): HonestCandidate => ({ name, label, family, inner: metrics(0.38), holdout: metrics(0.765), chosen });
const scorecard = { auc: 0.766, aucInterval: [0.74, 0.79], prAuc: 0.8, prAucInterval: [0.78, 0.82], brier: 0.18, baseRate: 0.6 };

function tournament(candidates: HonestCandidate[]): HonestTournamentResult {
  return {
    calibrationEnd: '1997-09-30',
    innerCutoff: '1997-07-02',
    windows: { innerDays: 90, innerLabelDays: 60, outerLabelDays: 181 },
    featureModel: 'mbgnbd',
    candidates,
    chosen: candidates.find((c) => c.chosen)!.name,
    reason: 'MBG/NBD stays',
    bestInHindsight: candidates[0]!.name,
    holdoutDays: 273,
    churnHorizon: { days: 181, chosen: 'shortened', reason: 'shorter than the holdout (273 days): the 272 days from the first purchase to the calibration end leave 181 days after their first third, …' },
    churn: { horizonDays: 181, learned: scorecard, btydOneMinusPAlive: scorecard },
  } as unknown as HonestTournamentResult;
}

/** The table's rows: from the header to the blank line after the candidates. */
function tableRows(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('candidate'));
  return lines.slice(start, lines.indexOf('', start));
}

describe('the honest tournament table of clvkit validate', () => {
  it('keeps every column aligned when a label is longer than 16 characters (GBT on BTYD (Poisson), chosen)', () => {
    const rows = tableRows(formatHonestTournament(tournament([
      candidate('bgnbd', 'BG/NBD', 'btyd'),
      candidate('mbgcnbd', 'MBG/CNBD-k', 'regularity'),
      candidate('gbt-on-btyd', 'GBT on BTYD (Poisson)', 'learned', true),
    ])));
    expect(rows).toHaveLength(4);
    expect(rows[3]).toMatch(/^GBT on BTYD \(Poisson\) \* +0\.380/);
    // every row ends its inner MAE column at the same place, and has the same length
    const innerMaeEnd = rows[0]!.indexOf('inner MAE') + 'inner MAE'.length;
    for (const row of rows.slice(1)) expect(row.indexOf('0.380') + '0.380'.length, row).toBe(innerMaeEnd);
    expect(new Set(rows.map((r) => r.length)).size).toBe(1);
    // the longest label and its " *" mark are followed by at least one space
    expect(rows[3]!.slice('GBT on BTYD (Poisson) *'.length)).toMatch(/^ /);
  });

  it('says which window each of its two "total" columns is of, in a line above them', () => {
    const lines = formatHonestTournament(tournament([candidate('bgnbd', 'BG/NBD', 'btyd', true)])).split('\n');
    const header = lines.findIndex((l) => l.startsWith('candidate'));
    const above = lines[header - 1]!;
    // 'inner window' ends where the first 'total' ends; the holdout's label starts after it
    expect(above.indexOf('inner window') + 'inner window'.length).toBe(lines[header]!.indexOf('total') + 'total'.length);
    expect(above).toMatch(/inner window {2}holdout \(after the calibration end\)$/);
  });

  it('names every candidate whose fits did not converge, and why, under the table', () => {
    const issue = 'inner fit: the k search stopped at its limit, 48, with the likelihood still improving (k is a lower bound on the regularity)';
    const text = formatHonestTournament(tournament([candidate('bgnbd', 'BG/NBD', 'btyd', true), { ...candidate('mbgcnbd', 'MBG/CNBD-k', 'regularity'), fitIssue: issue }]));
    expect(text).toContain(`MBG/CNBD-k did not converge: ${issue}`);
    expect(text).not.toContain('BG/NBD did not converge');
  });

  it('makes the candidate column as wide as the longest label + 3 (its " *" mark and a space)', () => {
    const rows = tableRows(formatHonestTournament(tournament([candidate('bgnbd', 'BG/NBD', 'btyd', true), candidate('mbgnbd', 'MBG/NBD', 'btyd')])));
    // 'MBG/NBD' + 3 = 10 characters, then the 10-character inner MAE column
    expect(rows[2]!.indexOf('0.380') + '0.380'.length).toBe(10 + 10);
    expect(rows[1]).toMatch(/^BG\/NBD \* +0\.380/);
    expect(new Set(rows.map((r) => r.length)).size).toBe(1);
  });

  // a CDNOW trial: the churn lines said "the 181 days after the calibration end" with no word of the 273-day holdout
  it('says the churn horizon N under the churn line, and how it was chosen', () => {
    const lines = formatHonestTournament(tournament([candidate('bgnbd', 'BG/NBD', 'btyd', true)])).split('\n');
    const churn = lines.findIndex((l) => l.startsWith('churn early warning'));
    expect(lines[churn]).toBe('churn early warning (no purchase in the 181 days after the calibration end; 60.0% churned):');
    expect(lines[churn + 1]).toBe('  N = 181 days, shorter than the holdout (273 days): the 272 days from the first purchase to the calibration end leave 181 days after their first third, … (--churn-days sets a shorter N)');
    const asked = tournament([candidate('bgnbd', 'BG/NBD', 'btyd', true)]);
    const text = formatHonestTournament({ ...asked, churnHorizon: { days: 90, chosen: 'asked', reason: 'as --churn-days 90 asked: the churn figures score no purchase in the first 90 days of the 273-day holdout' } });
    expect(text).toContain('\n  N = 90 days, as --churn-days 90 asked: the churn figures score no purchase in the first 90 days of the 273-day holdout\n');
  });

  // a reviewer's finding: validate showed only 1 − P(alive), not the P(no purchase) analyze writes when the learned model loses
  it('shows P(no purchase in N days) of the BTYD feature model as a third churn score, the one customers.csv would hold', () => {
    const t = tournament([candidate('bgnbd', 'BG/NBD', 'btyd', true)]);
    const noPurchase = { ...scorecard, auc: 0.781, brier: 0.17 };
    const text = formatHonestTournament({ ...t, churn: { ...t.churn, pAliveModel: 'MBG/NBD', btydNoPurchase: noPurchase } } as unknown as HonestTournamentResult);
    expect(text).toContain('\n  P(no purchase)   AUC 0.781 [0.740, 0.790]  PR-AUC 0.800 [0.780, 0.820]  Brier 0.170  (MBG/NBD, in the next 181 days)');
    expect(formatHonestTournament(t)).not.toContain('P(no purchase)');
  });

  it('keeps a space between columns when a figure is wider than its column (an inner total of +1622.5% beside MAE 29.992)', () => {
    // session 31 (QA): GBT on BTYD on a regular shop read "29.992+1622.5%"
    const wild = { ...candidate('gbt-on-btyd', 'GBT on BTYD (Poisson)', 'learned'), inner: { ...metrics(29.992), totalRelativeError: 16.225 } as HoldoutMetrics };
    const rows = tableRows(formatHonestTournament(tournament([candidate('bgnbd', 'BG/NBD', 'btyd', true), wild])));
    expect(rows[2]).toContain('29.992 +1622.5%');
  });
});
