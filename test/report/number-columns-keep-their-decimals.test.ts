import { describe, expect, it } from 'vitest';
import { churnScoreTable } from '../../src/report/churn-scorecards.js';
import { formatNumber } from '../../src/report/format-number.js';
import { renderClustersSection } from '../../src/report/sections/clusters-section.js';
import { fixtureChurn, fixtureReportData } from './report-fixture.js';

// A QA pass read "AUC 0.76" beside "0.732" in one table: formatNumber dropped trailing zeros, so a column printed
// 0.76, 0.732 and 549.6 beside 262.44. A figure family is printed at one fixed number of decimals.
describe('numbers of one column or figure family keep their decimals', () => {
  it('formatNumber prints exactly the decimals asked for', () => {
    expect(formatNumber(0.76, 3)).toBe('0.760');
    expect(formatNumber(549.6, 2)).toBe('549.60');
    expect(formatNumber(0, 2)).toBe('0.00');
    expect(formatNumber(1234.5, 2)).toBe('1,234.50');
    expect(formatNumber(12, 1)).toBe('12.0');
    expect(formatNumber(NaN, 3)).toBe('–');
  });

  it('the churn table prints every AUC, interval and Brier score at 3 decimals', () => {
    const churn = fixtureChurn().churn!;
    const learned = { ...churn.validation.learned, auc: 0.76, aucInterval: [0.74, 0.78] as const, brier: 0.2 };
    const table = churnScoreTable({ ...churn, validation: { ...churn.validation, learned } });
    expect(table.rows[0]![1]).toBe('0.760 [0.740, 0.780]');
    expect(table.rows[0]![3]).toBe('0.200');
    for (const row of table.rows) for (const cell of row.slice(1)) for (const n of cell.match(/\d+\.\d+/g) ?? []) expect(n).toMatch(/\.\d{3}$/);
  });

  it('the cluster means table prints every mean at 2 decimals', () => {
    const data = fixtureReportData(500, 7);
    const html = renderClustersSection(data, data.clusters!).html;
    const tbody = html.slice(html.lastIndexOf('<tbody>'));
    // a mean of 1.0 (One-off recent's orders) is 1.00, not 1
    expect(tbody).toContain('>1.00<');
    expect(tbody).not.toMatch(/>\d+\.\d<|>\d+\.\d{3,}</);
  });
});
