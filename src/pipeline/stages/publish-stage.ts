import { join } from 'node:path';
import { publishRunSummary } from '../publish-run-summary.js';
import { exportIdentity, requireResult, type AnalysisContext } from '../analysis-context.js';
import { CLVKIT_VERSION } from '../../core/version.js';
import { buildCustomersCsvSql } from '../customers-csv-sql.js';
import { auditedRunFile } from '../audited-run-file.js';
import type { RunSummary } from '../run-summary.js';
import type { Stage } from '../stage.js';
import { readCampaignKpis } from '../../actions/campaign-kpis.js';
import { whileWritingRunFile } from '../../privacy/warehouse/erase-from-run-files.js';
import { writeOwnerOnlyFile } from '../../core/replace-file.js';
import type { ValueModelCard } from '../value-step.js';
import type { ProspectScores } from '../../events/score-prospects.js';
import { publishStageDetail } from './stage-details.js';
import { loadLinearProgramSolver } from '../../privacy/disclosure/hiding-set.js';

/** Why a frequency-only run has no spend figures, in one line (run.json `spend.note`, the CLI summary, the report). */
export const NO_ORDER_VALUES_NOTE =
  'the data has no order values (customer and date only): spend, Gamma-Gamma and CLV are not computed and left out of customers.csv; RFM is scored on recency and frequency (RF), value tiers rank by purchases';

/** run.json's `parameters.db` of a run the HTTP API started: the path is the server's, never a client's to read. */
export const SERVED_WAREHOUSE = "the server's warehouse";

/**
 * customers.csv (one row per customer: summary, scores, segments, stage),
 * the run's audit entries, and the published run summary: run.json and the
 * report show only the suppressed aggregates (`publishRunSummary`).
 */
export const publishStage: Stage<AnalysisContext> = {
  name: 'publish',
  reads: ['customer_summary'],
  writes: [],
  async run(context) {
    const { warehouse, privacy, results, options } = context;
    const asOf = requireResult(context, 'asOf');
    const headline = requireResult(context, 'headline');
    const identity = await exportIdentity(context);
    const customersCsv = join(context.outDir, 'customers.csv');
    const sql = buildCustomersCsvSql({ identity, tables: context.written, money: requireResult(context, 'orderValues'), dialect: context.warehouse.dialect, ...(results.valueModel ? { horizonMonths: results.valueModel.clv.horizonMonths } : {}) });
    // raw personal data or original ids: readable by the owner only from the moment the file is at its path — the
    // engine writes it in a 0700 scratch folder beside it, where it is made 0600 and renamed into place (a chmod after
    // the write left it world-readable until then: DuckDB's COPY makes a file of the default mode)
    const ownerOnly = identity.revealed > 0 || Object.values(identity.pii).includes('raw');
    // an erasure beside the run (a server's run files) waits until the file is whole (erase-from-run-files.ts)
    const exported = await whileWritingRunFile(customersCsv, () => (ownerOnly ? writeOwnerOnlyFile(customersCsv, (scratch) => warehouse.exportCsv(sql, scratch)) : warehouse.exportCsv(sql, customersCsv)));
    results.exported = exported;
    await privacy.recordRun(warehouse, {
      customersCsv: auditedRunFile(context, customersCsv),
      customers: exported,
      tables: { customer_summary: headline.customers },
      details: { as_of: asOf, time_unit: context.timeUnit, model: results.valueModel?.chosen ?? null },
    });
    const [counts] = await warehouse.query('SELECT (SELECT count(*) FROM transactions) AS t, (SELECT count(*) FROM quarantine) AS q');
    const patterns = results.patterns;
    const unsuppressed = {
      clvkitVersion: CLVKIT_VERSION,
      startedAt: context.startedAt,
      // a run the server started (POST /api/runs) keeps its warehouse's path out of run.json: the server log names it
      parameters: { db: options.api === true ? SERVED_WAREHOUSE : options.db, files: context.files, asOf, timeUnit: context.timeUnit, grain: context.grain },
      ingest: requireResult(context, 'ingest'),
      warehouse: { transactions: Number(counts!.t), quarantined: Number(counts!.q) },
      headline,
      valueModel: withClvTotalNote(results.valueModel, results.prospects),
      learned: results.learned,
      segments: results.segments && results.lifecycle ? { ...results.segments, ...results.lifecycle } : null,
      patterns,
      events: results.events,
      prospects: results.prospects,
      warnings: context.warnings,
      ...(results.orderValues ? {} : { spend: { orderValues: false as const, note: NO_ORDER_VALUES_NOTE } }),
      outputs: { customersCsv, runJson: join(context.outDir, 'run.json'), recommendationsCsv: patterns?.recommendations.csv ?? null, reportHtml: options.skipReport ? null : join(context.outDir, 'report.html') },
      // a run started through the API (POST /api/runs) says a stale evaluation in the API's words: no CLI command, no warehouse path
      campaigns: await readCampaignKpis(warehouse, privacy.minGroupSize, { api: options.api === true }),
      privacy: privacy.describe(),
      timingsMs: context.timings,
    };
    const summary: RunSummary = publishRunSummary(unsuppressed, privacy.minGroupSize, await loadLinearProgramSolver());
    results.summary = summary;
    return publishStageDetail(exported);
  },
};

/**
 * Why run.json's CLV total and the sum of customers.csv's predicted_clv_12m differ when the run scored prospects: the
 * column also holds their expected first-year value, which is not discounted, not over the horizon, and not part of
 * `totalPredicted`. Null when no prospect has a value (none, no model, or no CLV).
 *
 * Example: prospects with 2.77 of value → 'totalPredicted sums the buyers' predicted CLV over
 * 12 months; customers.csv's predicted_clv_12m also holds the prospects' expected first-year value (not discounted;
 * prospects.expectedFirstYearValueTotal), so that column sums to totalPredicted + prospects.expectedFirstYearValueTotal'
 */
export function clvTotalNote(clv: Pick<ValueModelCard['clv'], 'horizonMonths' | 'totalPredicted' | 'totalPredictedMonths'>, prospects: Pick<ProspectScores, 'prospects' | 'expectedFirstYearValueTotal'> | null): string | null {
  if (!prospects || !(prospects.prospects > 0) || !(prospects.expectedFirstYearValueTotal > 0) || !Number.isFinite(clv.totalPredicted)) return null;
  return `totalPredicted sums the buyers' predicted CLV over ${clv.totalPredictedMonths} months; customers.csv's predicted_clv_12m also holds the prospects' expected first-year value (not discounted; prospects.expectedFirstYearValueTotal), so that column sums to totalPredicted + prospects.expectedFirstYearValueTotal`;
}

/** The value model card with `clv.totalNote` (`clvTotalNote`) when the run scored prospects. */
function withClvTotalNote(card: ValueModelCard | null, prospects: ProspectScores | null): ValueModelCard | null {
  const note = card ? clvTotalNote(card.clv, prospects) : null;
  return card && note ? { ...card, clv: { ...card.clv, totalNote: note } } : card;
}
