// Public library API: re-exports only, grouped by area.

// core: errors, time units, version
export { UserError, isUserError } from './core/errors/user-error.js';
export { QueryError } from './core/errors/query-error.js';
export { KeyError } from './core/errors/key-error.js';
export { AccessDeniedError } from './core/errors/access-denied-error.js';
export { NotFoundError } from './core/errors/not-found-error.js';
export { InterruptedError } from './core/errors/interrupted-error.js';
export { DAYS_PER_UNIT, TIME_UNITS, type TimeUnit } from './core/time-unit.js';
export { TRACKING_AGES, type TrackingAge } from './core/tracking-age.js';
export { CLVKIT_VERSION } from './core/version.js';

// engine
export type { Warehouse, Row, SqlValue, ColumnarResult, AppendColumns } from './engine/warehouse.js';
export type { SqlDialect } from './engine/sql-dialect.js';
export { duckdbDialect } from './engine/sql-dialect.js';
export { openDuckDbWarehouse, type DuckDbWarehouseOptions } from './engine/duckdb-warehouse.js';
export { openClickHouseWarehouse, ClickHouseWarehouse, type ClickHouseWarehouseOptions } from './engine/clickhouse/clickhouse-warehouse.js';
export { clickhouseDialect } from './engine/clickhouse/clickhouse-dialect.js';
export { appendAtomically } from './engine/clickhouse/append-atomically.js';

// ingest
export { ingestFiles, type IngestOptions, type IngestStep } from './ingest/ingest-files.js';
export { formatIngestReport, type IngestReport, type IngestFileReport } from './ingest/ingest-report.js';
export { DEFAULT_CLEANING_RULES, QUARANTINE_REASONS, REASON_DESCRIPTIONS, type CleaningRules, type QuarantineReason } from './ingest/cleaning-rules.js';
export { COLUMN_ROLES, parseMapFlags, type ColumnRole } from './ingest/column-roles.js';
export { detectSourceKind, EVENT_ROLES, PROFILE_ROLES, SOURCE_KINDS, type EventRole, type ProfileRole, type SourceKind } from './ingest/source-kind.js';
export { dropIngest, type DropIngestOptions, type DroppedIngest } from './ingest/drop-ingest.js';
export { listIngests, type IngestListing } from './ingest/list-ingests.js';
export { ingestFilesReplacing, type ReplaceResult } from './ingest/replace-ingest.js';

// events and prospects
export { runEvents, type EventsOptions, type EventsSummary } from './events/run-events.js';
export { BUYER_TYPES, type BuyerType } from './events/classify-buyer-types.js';
export type { PublishedEventsSummary } from './events/publish-events-summary.js';

// features
export { buildCustomerSummarySql, buildCompressedSummarySql, type CustomerSummaryOptions, type PurchaseGrain } from './features/customer-summary.js';
export { summaryClock, SUMMARY_PERIODS, type SummaryClock, type SummaryPeriod } from './features/summary-clock.js';
export { computeHeadlineStats, type HeadlineStats } from './features/headline-stats.js';

// models
export type { RfmData, FitReport, FittedModel } from './models/model-types.js';

// pipeline
export { analyze, runAnalysis, DEMO_DATA_FILE, type AnalyzeOptions, type RunSummary, type ProgressEvent } from './pipeline/analyze.js';
export { runStages, type RunStagesOptions } from './pipeline/run-stages.js';
export type { Stage } from './pipeline/stage.js';
export { ANALYSIS_STAGES, plannedStageNames } from './pipeline/analysis-stages.js';
export type { AnalysisContext, AnalysisResults } from './pipeline/analysis-context.js';
export { readStoredAnalysis, type StoredAnalysis, type StorageEvent } from './pipeline/stored-analysis.js';
export { DERIVED_TABLES, derivedTable, type DerivedTable, type DerivedColumn } from './engine/derived-tables.js';
export { derivedTablesMarkdown } from './engine/derived-tables-markdown.js';

// value models
export { fitBgNbd, predictBgNbdExpectedPurchases, predictBgNbdConditionalPurchases, predictBgNbdProbabilityAlive, predictBgNbdPurchaseCountProbability, predictBgNbdTimeToNextPurchase, type BgNbdParams } from './models/bgnbd/bgnbd.js';
export { fitMbgNbd, predictMbgNbdExpectedPurchases, predictMbgNbdConditionalPurchases, predictMbgNbdProbabilityAlive, type MbgNbdParams } from './models/mbgnbd/mbgnbd.js';
export { fitParetoNbd, predictParetoNbdExpectedPurchases, predictParetoNbdConditionalPurchases, predictParetoNbdProbabilityAlive, predictParetoNbdPurchaseCountProbability, predictParetoNbdTimeToNextPurchase, type ParetoNbdParams } from './models/paretonbd/paretonbd.js';
export { fitBgBb, predictBgBbProbabilityAlive, predictBgBbConditionalTransactions, predictBgBbExpectedTransactions, type BgBbParams, type BgBbData } from './models/bgbb/bgbb.js';
export { fitGammaGamma, predictGammaGammaConditionalSpend, predictGammaGammaPopulationMean, type GammaGammaParams, type SpendData } from './models/gamma-gamma/gamma-gamma.js';
export { simulateBgNbd } from './models/bgnbd/simulate-bgnbd.js';
export { simulateMbgNbd } from './models/mbgnbd/simulate-mbgnbd.js';
export { simulateParetoNbd } from './models/paretonbd/simulate-paretonbd.js';
export { simulateBgBb, type SimulatedBgBbData } from './models/bgbb/simulate-bgbb.js';
export type { SimulatedRfmData } from './models/btyd/simulated-rfm-data.js';
export { purchaseRateDensity, type PurchaseRateParams } from './models/btyd/purchase-rate-density.js';
export { dropoutRateDensity, type DropoutRateParams } from './models/btyd/dropout-rate-density.js';
export { aliveProbabilityPath, type AliveProbabilityPath } from './models/btyd/alive-probability-path.js';
export { illustrateAlivePaths, type IllustrativeAlivePath } from './models/btyd/illustrative-alive-paths.js';
export { describeHeterogeneity, type HeterogeneityDensities, type HeterogeneityDensity } from './models/btyd/heterogeneity-densities.js';
export { paretoNbdConditionalProbabilityOfNPurchases, paretoNbdConditionalProbabilityOfNPurchasesAll } from './models/paretonbd/paretonbd-conditional-probability-of-n-purchases.js';
export { bgNbdConditionalProbabilityOfNPurchases, bgNbdConditionalProbabilityOfNPurchasesAll } from './models/bgnbd/bgnbd-conditional-probability-of-n-purchases.js';
export { mbgNbdConditionalProbabilityOfNPurchases, mbgNbdConditionalProbabilityOfNPurchasesAll } from './models/mbgnbd/mbgnbd-conditional-probability-of-n-purchases.js';
export { bgbbExpectedTransactionsInFirstNPeriods, type BgBbFirstPeriods } from './models/bgbb/bgbb-expected-transactions-in-first-n-periods.js';
export { PURCHASE_MODELS, PURCHASE_MODEL_NAMES, type PurchaseFit, type PurchaseModel, type PurchaseModelName } from './models/btyd/purchase-models.js';
export { predictClv, predictClvAll, predictClvIntervals, type ClvOptions } from './models/clv.js';
export type { FitOptions } from './models/fit-maximum-likelihood.js';
export { runModelTournament, type TournamentResult, type ModelEvaluation } from './models/model-tournament.js';
export { compressRfm } from './models/compress-rfm.js';
export { meanAbsoluteError, spearmanCorrelation, normalizedGini } from './models/holdout-metrics.js';
export { computeCalibrationHistogram, type CalibrationHistogram } from './models/diagnostics/calibration-histogram.js';
export { computeConditionalExpectation, type ConditionalExpectation } from './models/diagnostics/conditional-expectation.js';
export { computeExpectedTracking, type ExpectedTrackingOptions, type TrackingSeries } from './models/diagnostics/expected-tracking.js';
export { computeFrequencyRecencyMatrix, type FrequencyRecencyMatrix } from './models/diagnostics/frequency-recency-matrix.js';

// learned models (issue 15): features in SQL, the honest tournament, churn early warning
export { buildLearnedFeaturesSql, LEARNED_FEATURE_NAMES, type LearnedFeaturesOptions } from './features/learned-features.js';
export { runHonestTournament, type HonestTournamentOptions, type HonestTournamentResult, type HonestCandidate } from './pipeline/honest-tournament.js';
export { computeHoldoutMetrics, type HoldoutMetrics } from './models/compute-holdout-metrics.js';
export { fitGradientBoosting, type GradientBoostingOptions, type GradientBoostedModel } from './models/learned/gradient-boosting.js';
export { predictGradientBoosting } from './models/learned/predict-gradient-boosting.js';
export { fitLinearModel, predictLinearModel, type LinearModel } from './models/learned/linear-model.js';
export { computeTreeShap } from './models/learned/tree-shap.js';
export { fitChurnClassifier, churnRiskBand, churnRiskBands, type ChurnRiskBand, type ChurnRiskCutoffs } from './models/learned/churn-classifier.js';
export { evaluateChurnScores, type ChurnScorecard } from './models/evaluate-churn-scores.js';
export { fitMbgCnbd, type MbgCnbdFit, type RegularityData } from './models/mbgcnbd/mbgcnbd.js';
export type { LearnedCard } from './pipeline/learned-step.js';

// cross-sell
export { loadPurchaseData, type PurchaseData, type ItemLevel } from './cross-sell/load-purchase-data.js';
export { mineFrequentItemsets, type FrequentItemsets } from './models/patterns/fp-growth.js';
export { generateAssociationRules, type AssociationRule } from './models/patterns/association-rules.js';
export { mineSequentialPatterns } from './models/patterns/prefixspan.js';
export { generateNextPurchaseRules } from './models/patterns/next-purchase-rules.js';
export { recommendByItemSimilarity } from './models/recommend/item-similarity-recommender.js';
export { recommendByPopularity } from './models/recommend/popularity-recommender.js';
export { evaluateRecommenders } from './models/recommend/evaluate-recommenders.js';
export type { PatternSummary } from './cross-sell/patterns-step.js';
export { mineRules, mineRulesByGroup } from './cross-sell/mine-rules.js';
export { mineSequenceRules } from './cross-sell/mine-sequence-rules.js';
export { chooseRecommender, type RecommenderChoice } from './cross-sell/choose-recommender.js';
export { selectValueModel, type ValueModelCard, type ModelSelection } from './pipeline/value-step.js';

// actions: audiences with control groups, campaign uplift, playbooks
export { parseWhereExpression, type WhereNode, type WhereSource } from './actions/parse-where-expression.js';
export { compileWhereExpression, audienceColumns } from './actions/compile-where-expression.js';
export { checkCategoryValues, CATEGORY_LABELS } from './actions/category-values.js';
export { assignControlGroup } from './actions/assign-control-group.js';
export { createAudience, type CreateAudienceOptions, type AudienceSummary } from './actions/create-audience.js';
export { listAudiences, readAudience, dropAudience, type StoredAudience } from './actions/audience-store.js';
export { exportStoredAudience } from './actions/export-stored-audience.js';
export { estimateUplift, estimateShareUplift, estimateMeanUplifts, type UpliftEstimate, type UpliftTest, type GroupMoments, type GroupCount } from './actions/estimate-uplift.js';
export { evaluateCampaign, type CampaignEvaluation, type EvaluateCampaignOptions } from './actions/evaluate-campaign.js';
export type { GroupBalance, BalanceCovariate, BalanceGroup, BalanceCovariateName } from './actions/balance-summary.js';
export { loadPlaybook, readPlaybookFile, parsePlaybook, DEFAULT_PLAYBOOK_FILE, type Playbook, type Play } from './actions/playbook.js';
export { runPlaybook, type PlaybookPlan, type PlanRow, type PlaybookTargeting } from './actions/run-playbook.js';
export type { PlaySkipKind } from './actions/play-skip-kind.js';
export { findUpliftTargeting, predictCustomerUplift, type UpliftTargeting, type UpliftTargetingModel } from './actions/uplift-targeting.js';
export { trainUpliftModel, type UpliftModelReport } from './actions/train-uplift-model.js';
export { readCampaignKpis, compareCampaigns, type CampaignKpi, type PublishedCampaigns } from './actions/campaign-kpis.js';
export { campaignChannelKpis, type ChannelKpi, type CampaignChannels } from './actions/campaign-channels.js';
export { readResponsesFile, summariseResponses, type CampaignResponses, type ResponsesSummary } from './actions/campaign-responses.js';
export { fitUpliftModel, predictUplift, type UpliftModel } from './models/uplift/uplift-learners.js';
export { qiniCurve, type QiniCurve } from './models/uplift/qini-curve.js';
export { scoreWarehouse } from './pipeline/score-warehouse.js';

// report
export { renderReport } from './report/render-report.js';
export type { ReportData } from './report/report-data.js';

// synthetic data
export { generateShop } from './synth/generate-shop.js';
export type { ShopOptions } from './synth/shop-options.js';
export { SHOP_SHAPES, type ShopShape } from './synth/shop-shapes.js';
export type { ShopTruth } from './synth/shop-truth.js';

// privacy: values (keys, encryption, tokens, masks, roles, audit chain, suppression)
export { generateKey, keyringFromKey, rotateKey, retireKey, type Keyring } from './privacy/keys/keyring.js';
export { initKeyFile, readKeyFile, rotateKeyFile } from './privacy/keys/key-file.js';
export { loadKeyring, KEY_ENV, KEY_FILE_ENV } from './privacy/keys/load-keyring.js';
export { encryptValue, decryptValue, reencryptValues } from './privacy/keys/encryption.js';
export { createPseudonymiser, pseudonymiseId, isToken, reidentify } from './privacy/tokens/pseudonymise.js';
export { maskEmail, maskPhone, maskName, maskAddress, maskValue } from './privacy/access/mask.js';
export { can, assertCan, presentColumn, ROLES, ACTIONS, type Role, type Action } from './privacy/access/rbac.js';
export { resolveAccess, type Access, type AccessOptions } from './privacy/access/access.js';
export { AuditLog, verifyAuditChain, MemoryAuditStore, type AuditEntry, type AuditStore } from './privacy/warehouse/audit-log.js';
export { suppressSmallGroups, DEFAULT_MIN_GROUP_SIZE } from './privacy/disclosure/suppress-small-groups.js';
export { suppressSeries } from './privacy/disclosure/suppress-series.js';
export { WAREHOUSE_CLASSIFICATION, classifyColumn, PII_ROLES, type SensitivityClass, type PiiRole } from './privacy/access/classification.js';
export { parseRetention, parseRetentionPolicy, retentionCutoff } from './privacy/warehouse/retention.js';
export { buildPrivacyReport } from './privacy/warehouse/privacy-report.js';

// privacy: the warehouse (what the CLI and a server call, each checking the role)
export { openKeyedWarehouse, type KeyedWarehouse } from './privacy/keys/open-keyed-warehouse.js';
export { warehouseKeyFilePath } from './privacy/keys/resolve-keyring.js';
export { recordAudit, readAuditEntries, verifyWarehouseAudit, parseAuditHead } from './privacy/warehouse/warehouse-audit.js';
export { prepareCustomerExport, type CustomerExport } from './privacy/access/customer-export.js';
export { eraseCustomers, type EraseResult } from './privacy/warehouse/erase-customers.js';
export { applyRetention, type RetentionResult } from './privacy/warehouse/apply-retention.js';
export { rotateWarehouseKey, type RotateWarehouseKeyResult } from './privacy/warehouse/rotate-warehouse-key.js';
export { compactWarehouseFile } from './privacy/warehouse/compact-warehouse-file.js';
export { buildWarehousePrivacyReport, warehousePrivacyReportMarkdown, type WarehousePrivacyReport } from './privacy/warehouse/warehouse-privacy-report.js';
export { openAnalysisPrivacy, type RunPrivacy } from './privacy/warehouse/analysis-privacy.js';
