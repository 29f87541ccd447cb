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

// value models
export { fitBgNbd, predictBgNbdExpectedPurchases, predictBgNbdConditionalPurchases, predictBgNbdProbabilityAlive, predictBgNbdPurchaseCountProbability, predictBgNbdTimeToNextPurchase, type BgNbdParams } from './models/btyd/bgnbd.js';
export { fitMbgNbd, predictMbgNbdExpectedPurchases, predictMbgNbdConditionalPurchases, predictMbgNbdProbabilityAlive, type MbgNbdParams } from './models/btyd/mbgnbd.js';
export { fitParetoNbd, predictParetoNbdExpectedPurchases, predictParetoNbdConditionalPurchases, predictParetoNbdProbabilityAlive, predictParetoNbdPurchaseCountProbability, predictParetoNbdTimeToNextPurchase, type ParetoNbdParams } from './models/btyd/paretonbd.js';
export { fitBgBb, predictBgBbProbabilityAlive, predictBgBbConditionalTransactions, predictBgBbExpectedTransactions, type BgBbParams, type BgBbData } from './models/btyd/bgbb.js';
export { fitGammaGamma, predictGammaGammaConditionalSpend, predictGammaGammaPopulationMean, type GammaGammaParams, type SpendData } from './models/spend/gamma-gamma.js';
export { simulateBgNbd } from './models/btyd/simulate-bgnbd.js';
export { simulateMbgNbd } from './models/btyd/simulate-mbgnbd.js';
export { simulateParetoNbd } from './models/btyd/simulate-paretonbd.js';
export { simulateBgBb } from './models/btyd/simulate-bgbb.js';
export { PURCHASE_MODELS, PURCHASE_MODEL_NAMES, type PurchaseModel, type PurchaseModelName } from './models/btyd/purchase-models.js';
export { predictClv, predictClvAll, predictClvIntervals, type ClvOptions } from './models/clv.js';
export { fitMaximumLikelihood, type FitOptions, type MaximumLikelihoodProblem } from './models/fit-maximum-likelihood.js';
export { runModelTournament, type TournamentResult, type ModelEvaluation } from './models/model-tournament.js';
export { compressRfm } from './models/compress-rfm.js';
export { meanAbsoluteError, spearmanCorrelation, normalizedGini } from './models/holdout-metrics.js';
export { logHyp2f1 } from './math/hyp2f1.js';
export { minimizeLbfgs } from './math/lbfgs.js';
export { createRandom, type Random } from './math/random.js';

// cross-sell
export { loadPurchaseData, type PurchaseData, type ItemLevel } from './features/baskets.js';
export { mineFrequentItemsets, type FrequentItemsets } from './models/patterns/fp-growth.js';
export { generateAssociationRules, type AssociationRule } from './models/patterns/association-rules.js';
export { mineSequentialPatterns } from './models/patterns/prefixspan.js';
export { generateNextPurchaseRules } from './models/patterns/next-purchase-rules.js';
export { recommendByItemSimilarity } from './models/recommend/item-similarity-recommender.js';
export { recommendByPopularity } from './models/recommend/popularity-recommender.js';
export { evaluateRecommenders } from './models/recommend/evaluate-recommenders.js';
export { runPatternsStep, mineRules, mineRulesByGroup, mineSequenceRules, type PatternSummary } from './pipeline/patterns-step.js';
export { runValueStep, selectValueModel, type ValueModelCard, type ModelSelection } from './pipeline/value-step.js';

// report
export { renderReport } from './report/render-report.js';
export type { ReportData } from './report/report-data.js';

// synthetic data
export { generateShop } from './synth/generate-shop.js';
export type { ShopOptions } from './synth/shop-options.js';
export type { ShopTruth } from './synth/shop-truth.js';

// privacy
export { encryptValue, decryptValue } from './privacy/encryption.js';
export { createPseudonymiser, pseudonymiseId } from './privacy/pseudonymise.js';
export { maskEmail, maskPhone, maskName, maskAddress, maskValue } from './privacy/mask.js';
export { can, assertCan, presentColumn, ROLES, ACTIONS, type Role, type Action } from './privacy/rbac.js';
export { AuditLog, verifyAuditChain, MemoryAuditStore, type AuditEntry, type AuditStore } from './privacy/audit-log.js';
export { suppressSmallGroups } from './privacy/suppress.js';
export { buildPrivacyReport } from './privacy/privacy-report.js';
