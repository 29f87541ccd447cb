// Public library API: re-exports only, grouped by area.

// errors
export { UserError, isUserError } from './errors/user-error.js';

// engine
export type { Warehouse, Row, SqlValue, ColumnarResult, AppendColumns } from './engine/warehouse.js';
export type { SqlDialect } from './engine/sql-dialect.js';
export { duckdbDialect } from './engine/sql-dialect.js';
export { openDuckDbWarehouse, type DuckDbWarehouseOptions } from './engine/duckdb-warehouse.js';
export { migrateWarehouse } from './engine/migrate-warehouse.js';
export { QueryError } from './engine/query-error.js';

// ingest
export { ingestFiles, type IngestOptions, type IngestStep } from './ingest/ingest-files.js';
export { formatIngestReport, type IngestReport, type IngestFileReport } from './ingest/ingest-report.js';
export { DEFAULT_CLEANING_RULES, QUARANTINE_REASONS, REASON_DESCRIPTIONS, type CleaningRules, type QuarantineReason } from './ingest/cleaning-rules.js';
export { COLUMN_ROLES, parseMapFlags, type ColumnRole } from './ingest/column-roles.js';

// features
export { buildCustomerSummarySql, buildCompressedSummarySql, DAYS_PER_UNIT, type CustomerSummaryOptions, type PurchaseGrain } from './features/customer-summary.js';
export { computeHeadlineStats, type HeadlineStats } from './features/headline-stats.js';

// models
export type { TimeUnit, RfmData, FitReport, FittedModel } from './models/model-types.js';

// pipeline
export { analyze, DEMO_DATA_FILE, type AnalyzeOptions, type RunSummary, type ProgressEvent } from './pipeline/analyze.js';
