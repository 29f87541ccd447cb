/**
 * The latest finished run as the read routes serve it: its ReportData
 * (`buildReportData`, the same function the HTML report uses), built once per
 * run id and shared by every page, and the value views computed from the
 * per-customer columns on the server — the columns themselves never leave it.
 */
import { totalPredictedMonths } from '../../core/clv-totals.js';
import type { Warehouse } from '../../engine/warehouse.js';
import { derivedStaleNote, readDerivedTablesStale } from '../../engine/derived-tables-stale.js';
import { erasedAfterRun, erasedAfterRunNote, type ErasedAfterRun } from '../../privacy/warehouse/erased-after-run.js';
import { ERASED_CUSTOMERS } from '../../engine/erased-customers.js';
import { buildReportData } from '../../pipeline/report-step.js';
import type { RunSummary } from '../../pipeline/run-summary.js';
import type { ReportData } from '../../report/report-data.js';
import { minGroupSizeOf } from '../../report/suppressed-values.js';
import { computeValueConcentration, type ValueConcentration } from '../../report/value-concentration.js';
import { computeValueHistogram, suppressValueHistogram } from '../../report/value-histogram.js';
import { computeValueQuadrant } from '../../report/value-quadrant.js';
import type { RunRef, ValueResponse } from './read-api-types.js';

/** A finished run as the server context returns it (`context.latestRun()`). */
export interface FinishedRun {
  readonly id: string;
  readonly summary: RunSummary;
  readonly finishedAt: string;
}

/** What the read routes need of the latest run. */
export interface ServedRun {
  readonly ref: RunRef;
  readonly summary: RunSummary;
  readonly data: ReportData;
  /** the value page, computed once (its concentration's NaN figures become null on the way out: jsonSafeConcentration) */
  readonly value: ValueViews;
}

/** The run reference every page shows. */
export function runRef(run: FinishedRun, data: ReportData): RunRef {
  return {
    id: run.id,
    finishedAt: run.finishedAt,
    asOf: run.summary.parameters.asOf,
    timeUnit: run.summary.parameters.timeUnit,
    minGroupSize: minGroupSizeOf(data),
    warnings: run.summary.warnings ?? [],
    erasedAfterRun: null,
  };
}

/** The value page of a run before it travels as JSON: the concentration with NaN where a figure is withheld or not computable. */
export type ValueViews = Omit<ValueResponse, 'run' | 'concentration'> & { readonly concentration: ValueConcentration | null };

/** The value page of a run: histogram, Pareto curve and quadrant, each suppressed at the run's k (as the report's value section). */
export function computeValueViews(data: ReportData): ValueViews {
  const horizonMonths = data.customers.predictionHorizonMonths ?? (data.modelCard?.clv ? totalPredictedMonths(data.modelCard.clv) : 12);
  if (data.run.spend) return { spendNote: data.run.spend.note, histogram: null, concentration: null, quadrant: null, horizonMonths };
  const k = minGroupSizeOf(data);
  const values = data.customers.historicValue ?? data.customers.totalSpend;
  const concentration = computeValueConcentration(values, 201, k);
  if (concentration.customers === 0) return { spendNote: null, histogram: null, concentration: null, quadrant: null, horizonMonths };
  const histogram = suppressValueHistogram(computeValueHistogram(values), k);
  const predicted = data.customers.predictedValue;
  const quadrant = predicted ? computeValueQuadrant(values, predicted, 5000, 1, k) : null;
  return { spendNote: null, histogram, concentration, quadrant, horizonMonths };
}

/**
 * Serves the latest run, building its ReportData at most once per run id (a
 * new finished run replaces the cached one; a failed build is not cached).
 * Its warnings start with the note of an ingest dropped since the derived
 * tables were written (`readDerivedTablesStale`) and that of customers erased
 * after the run finished (`erasedAfterRun`: counts and days, never who), read
 * at every call: the pages still show the data before the drop or the
 * erasure until the next analysis.
 */
export function createServedRunCache(warehouse: Warehouse, latestRun: () => Promise<FinishedRun | null>): () => Promise<ServedRun | null> {
  const build = cachedRun(warehouse, latestRun);
  const erasedSince = cachedErasedAfterRun(warehouse);
  return async () => {
    const served = await build();
    if (!served) return null;
    const stale = await readDerivedTablesStale(warehouse);
    const erased = await erasedSince(served.ref.finishedAt);
    if (!stale && !erased) return served;
    // in the API's words (start an analysis: POST /api/runs), never the CLI's command with the server's file
    const notes = [...(stale ? [derivedStaleNote(stale, '', true)] : []), ...(erased ? [erasedAfterRunNote(erased, served.ref.finishedAt)] : [])];
    return { ...served, ref: { ...served.ref, warnings: [...notes, ...served.ref.warnings], erasedAfterRun: erased } };
  };
}

/**
 * `erasedAfterRun`, worked out again only when the run or the record of erasures changed (its rows and latest time: an
 * erasure adds a row, a readmission removes one): one small query per request, where the count read the audit log too
 * (a review: every page paid for it, until the next analysis, once anyone was erased).
 */
function cachedErasedAfterRun(warehouse: Warehouse): (finishedAt: string) => Promise<ErasedAfterRun | null> {
  let cached: { key: string; erased: ErasedAfterRun | null } | null = null;
  return async (finishedAt) => {
    const [row] = await warehouse.query(`SELECT count(*) AS n, max(erased_at) AS last FROM ${ERASED_CUSTOMERS}`);
    const last = row?.last instanceof Date ? row.last.toISOString() : String(row?.last ?? '');
    const key = `${finishedAt}|${Number(row?.n ?? 0)}|${last}`;
    if (cached?.key !== key) cached = { key, erased: Number(row?.n ?? 0) === 0 ? null : await erasedAfterRun(warehouse, finishedAt) };
    return cached.erased;
  };
}

function cachedRun(warehouse: Warehouse, latestRun: () => Promise<FinishedRun | null>): () => Promise<ServedRun | null> {
  let cached: { id: string; served: Promise<ServedRun> } | null = null;
  return async () => {
    const run = await latestRun();
    if (!run) return null;
    if (cached?.id !== run.id) {
      const served = (async () => {
        const data = await buildReportData(warehouse, run.summary);
        return { ref: runRef(run, data), summary: run.summary, data, value: computeValueViews(data) };
      })();
      cached = { id: run.id, served };
      served.catch(() => {
        if (cached?.served === served) cached = null;
      });
    }
    return cached.served;
  };
}
