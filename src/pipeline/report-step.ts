/**
 * The report step of `analyze`: gather what the report shows from the run
 * and the warehouse (compact per-customer columns, the model card, rules,
 * the privacy inventory) and write one self-contained report.html.
 */
import { writeFileSync } from 'node:fs';
import type { Warehouse } from '../engine/warehouse.js';
import { buildPrivacyReport, type HeldTable } from '../privacy/privacy-report.js';
import { renderReport } from '../report/render-report.js';
import type { ReportData } from '../report/report-data.js';
import type { RunSummary } from './analyze.js';

/** Base tables of the warehouse with their columns and row counts (scratch and temp tables left out). */
export async function describeHeldTables(warehouse: Warehouse): Promise<Record<string, HeldTable>> {
  const columns = await warehouse.query(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name NOT LIKE 'clv\\_%' ESCAPE '\\' ORDER BY table_name, ordinal_position",
  );
  const held: Record<string, { columns: string[]; rowCount?: number }> = {};
  for (const row of columns) (held[String(row.table_name)] ??= { columns: [] }).columns.push(String(row.column_name));
  for (const table of Object.keys(held)) {
    const [count] = await warehouse.query(`SELECT count(*) AS n FROM ${warehouse.dialect.identifier(table)}`);
    held[table]!.rowCount = Number(count!.n);
  }
  return held;
}

/** Build the report's data from a finished run. */
export async function buildReportData(warehouse: Warehouse, run: RunSummary): Promise<ReportData> {
  const scored = run.valueModel !== null;
  const customers = await warehouse.queryColumns(
    `SELECT s.total_spend, s.historic_clv${scored ? ', c.predicted_clv_12m, c.p_alive' : ''} FROM customer_summary s${scored ? ' JOIN customer_scores c ON c.customer_id = s.customer_id' : ''}`,
  );
  const column = (name: string) => customers.columns[name] as Float64Array;
  const patterns = run.patterns;
  return {
    title: 'clvkit customer report',
    generatedAt: run.startedAt,
    run,
    customers: {
      totalSpend: column('total_spend'),
      historicValue: column('historic_clv'),
      ...(scored ? { predictedValue: column('predicted_clv_12m'), probabilityAlive: column('p_alive'), predictionHorizonMonths: run.valueModel!.clv.horizonMonths } : {}),
    },
    modelCard: run.valueModel,
    rules: patterns
      ? {
          basket: 'order',
          baskets: patterns.baskets,
          minSupport: patterns.minSupport,
          minConfidence: patterns.minConfidence,
          rules: patterns.rules.slice(0, 15).map((r) => ({ antecedent: r.antecedentLabels, consequent: r.consequentLabels, support: r.support, confidence: r.confidence, lift: r.lift, count: r.count })),
        }
      : null,
    privacy: {
      ...buildPrivacyReport({ tables: await describeHeldTables(warehouse) }),
      notes: ['The models see only pseudonymous customer keys and purchase history; no personal field is read by any model.'],
    },
  };
}

/** Render and write report.html; returns its path. */
export async function writeReport(warehouse: Warehouse, run: RunSummary, path: string): Promise<string> {
  writeFileSync(path, renderReport(await buildReportData(warehouse, run)));
  return path;
}
