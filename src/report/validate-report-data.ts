import { UserError } from '../core/errors/user-error.js';
import type { ReportData } from './report-data.js';

const HINT = 'build ReportData as documented in src/report/report-data.ts';

function fail(message: string): never {
  throw new UserError(`report data: ${message}`, HINT);
}

function sameLength(what: string, expected: number, actual: number): void {
  if (expected !== actual) fail(`${what} has ${actual} entries, expected ${expected}`);
}

/**
 * Checks the shapes `renderReport` relies on: parallel arrays of equal
 * length, matrices that match their axes, indices in range. Throws
 * `UserError` naming the field; returns nothing when the data is usable.
 */
export function validateReportData(data: ReportData): void {
  if (!data || typeof data !== 'object') fail('expected an object');
  if (!data.run?.ingest || !data.run.headline || !data.run.parameters) fail('run must have ingest, headline and parameters (the pipeline’s RunSummary)');
  if (!data.customers?.totalSpend) fail('customers.totalSpend is required (one entry per customer)');
  const n = data.customers.totalSpend.length;
  for (const key of ['historicValue', 'predictedValue', 'probabilityAlive'] as const) {
    const column = data.customers[key];
    if (column) sameLength(`customers.${key}`, n, column.length);
  }
  const card = data.modelCard;
  if (card) {
    if (!Array.isArray(card.comparison)) fail('modelCard.comparison must be an array');
    const d = card.diagnostics;
    if (d?.calibrationHistogram) {
      const h = d.calibrationHistogram;
      sameLength('modelCard.diagnostics.calibrationHistogram.actual', h.labels.length, h.actual.length);
      sameLength('modelCard.diagnostics.calibrationHistogram.expected', h.labels.length, h.expected.length);
    }
    if (d?.conditionalExpectation) {
      const c = d.conditionalExpectation;
      sameLength('modelCard.diagnostics.conditionalExpectation.actual', c.labels.length, c.actual.length);
      sameLength('modelCard.diagnostics.conditionalExpectation.expected', c.labels.length, c.expected.length);
    }
    if (d?.tracking) {
      const t = d.tracking;
      const m = t.periodLabels.length;
      sameLength('modelCard.diagnostics.tracking.actualIncremental', m, t.actualIncremental.length);
      sameLength('modelCard.diagnostics.tracking.expectedIncremental', m, t.expectedIncremental.length);
      if (t.actualCumulative) sameLength('modelCard.diagnostics.tracking.actualCumulative', m, t.actualCumulative.length);
      if (t.expectedCumulative) sameLength('modelCard.diagnostics.tracking.expectedCumulative', m, t.expectedCumulative.length);
      if (m > 0 && !(Number.isInteger(t.calibrationEndIndex) && t.calibrationEndIndex >= 0 && t.calibrationEndIndex < m)) {
        fail(`modelCard.diagnostics.tracking.calibrationEndIndex ${t.calibrationEndIndex} is not an index of periodLabels (0…${m - 1})`);
      }
    }
    if (d?.frequencyRecency) {
      const f = d.frequencyRecency;
      sameLength('modelCard.diagnostics.frequencyRecency.probabilityAlive (rows)', f.frequency.length, f.probabilityAlive.length);
      f.probabilityAlive.forEach((row, i) => sameLength(`modelCard.diagnostics.frequencyRecency.probabilityAlive[${i}]`, f.recency.length, row.length));
    }
  }
  const clusters = data.clusters;
  if (clusters) {
    clusters.clusters.forEach((c, i) => {
      sameLength(`clusters.clusters[${i}].means`, clusters.features.length, c.means.length);
      sameLength(`clusters.clusters[${i}].zScores`, clusters.features.length, c.zScores.length);
    });
  }
  const series = data.lifecycleSeries;
  if (series) series.stages.forEach((s, i) => sameLength(`lifecycleSeries.stages[${i}].counts`, series.periodLabels.length, s.counts.length));
  if (data.transitions) {
    data.transitions.flows.forEach((f, i) => {
      if (!(Number.isFinite(f.customers) && f.customers >= 0)) fail(`transitions.flows[${i}].customers must be a count ≥ 0, got ${f.customers}`);
    });
  }
  if (data.cohorts) {
    data.cohorts.cohorts.forEach((c, i) =>
      c.retention.forEach((r, k) => {
        if (r !== null && !(Number.isFinite(r) && r >= 0 && r <= 1)) fail(`cohorts.cohorts[${i}].retention[${k}] must be a share in [0, 1] or null, got ${r}`);
      }),
    );
  }
  if (data.rules) {
    data.rules.rules.forEach((r, i) => {
      if (!(r.antecedent.length > 0 && r.consequent.length > 0)) fail(`rules.rules[${i}] needs items on both sides`);
    });
  }
}
