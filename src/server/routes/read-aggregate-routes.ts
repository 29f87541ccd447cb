/**
 * The aggregate pages of the dashboard, all `GET`, all `view_aggregates`
 * (every role): overview KPIs, value, the value model card, segments,
 * clusters, lifecycle, cohorts, cross-sell, events, campaign results. Each
 * is a slice of the latest run's ReportData — already suppressed at the run's
 * k by the pipeline — or computed from it on the server (the value page).
 * Each read is audited as the CLI audits a read of a warehouse.
 */
import type { ProspectsValue } from '../../report/prospects-value.js';
import { totalPredictedMonths } from '../../core/clv-totals.js';
import type {} from '@fastify/swagger'; // the OpenAPI fields (tags, summary) of a route schema
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WarehouseAuditRecord } from '../../privacy/warehouse/warehouse-audit.js';
import type { Actor } from '../server-context.js';
import type { ServerApp } from '../server-app.js';
import { problem } from '../api-problem.js';
import { readCampaignKpis } from '../../actions/campaign-kpis.js';
import { withMeasuredBuyerTypes } from '../../events/measured-buyer-types.js';
import type { Warehouse } from '../../engine/warehouse.js';
import type {
  CampaignResultsResponse,
  ClustersResponse,
  CohortsResponse,
  CrossSellResponse,
  EventsSummaryResponse,
  LifecycleResponse,
  ModelCardResponse,
  OverviewResponse,
  SegmentsResponse,
  ValueResponse,
} from './read-api-types.js';
import type { ServedRun } from './read-report-cache.js';
import { jsonSafeConcentration } from '../../report/value-concentration.js';
import { describeScoresModel, scoredBy, valueModelLabel } from '../../report/scores-model.js';

export interface ReadAggregateDeps {
  readonly warehouse: Warehouse;
  /** k when no run says otherwise */
  readonly minGroupSize: number;
  readonly servedRun: () => Promise<ServedRun | null>;
  readonly actorOf: (request: FastifyRequest) => Actor;
  readonly audit: (actor: Actor, record: WarehouseAuditRecord) => Promise<void>;
}

/** The answer when no analysis has finished yet. */
export function sendNoRun(reply: FastifyReply): FastifyReply {
  return reply.code(404).send(problem('no_run', 'no analysis has finished on this warehouse yet', 'start one (POST /api/runs), then follow it (GET /api/runs/:id)'));
}

const AGGREGATES = { action: 'view_aggregates' } as const;

/** An aggregate read, audited as the CLI audits a read of a warehouse (one `view_aggregates` entry, target `warehouse`). */
function auditRead(deps: ReadAggregateDeps, request: FastifyRequest, run: ServedRun | null): Promise<void> {
  return deps.audit(deps.actorOf(request), { action: 'view_aggregates', target: 'warehouse', details: { route: `GET ${request.routeOptions.url ?? request.url.split('?')[0]}`, run: run?.ref.id ?? null } });
}

/** A page of the latest run: 404 `no_run` without one; the read is audited. */
function page<T>(deps: ReadAggregateDeps, build: (run: ServedRun) => T | Promise<T>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const run = await deps.servedRun();
    if (!run) return sendNoRun(reply);
    const body = await build(run);
    await auditRead(deps, request, run);
    return body;
  };
}

/**
 * The value page travels as JSON: the histogram's open ends (±Infinity) become null, the dashboard restores them; the
 * concentration's withheld or uncomputable figures (NaN) become null, as its type says.
 */
function jsonSafeValue(run: ServedRun): ValueResponse {
  const { histogram, concentration } = run.value;
  return {
    run: run.ref,
    ...run.value,
    concentration: concentration ? jsonSafeConcentration(concentration) : null,
    histogram: histogram ? { ...histogram, lower: histogram.lower.map((v) => (Number.isFinite(v) ? v : null)) as number[], upper: histogram.upper.map((v) => (Number.isFinite(v) ? v : null)) as number[] } : null,
  };
}

/** The prospects' count and expected first-year value, when the run scored any. */
function prospectsOf(prospects: ProspectsValue | null | undefined): ProspectsValue | null {
  return prospects && prospects.prospects > 0 ? { prospects: prospects.prospects, expectedFirstYearValueTotal: prospects.expectedFirstYearValueTotal } : null;
}

export function registerReadAggregateRoutes(app: ServerApp, deps: ReadAggregateDeps): void {
  const tags = ['dashboard'];
  app.get('/api/overview', { config: AGGREGATES, schema: { tags, summary: 'Overview KPIs of the latest run: headline, the chosen value model, customers by stage and segment; the rows the warehouse holds when the run read it and now' } }, page(deps, async (run): Promise<OverviewResponse> => {
    const card = run.summary.valueModel;
    const learned = run.data.churn;
    // the run's figures are those of the warehouse it read; an ingest, a drop or an erasure since changes the rows held
    // now, which the dashboard says beside them (a user trial read the run's count as the warehouse's after an ingest)
    const [now] = await deps.warehouse.query('SELECT (SELECT count(*) FROM transactions) AS t, (SELECT count(*) FROM quarantine) AS q');
    return {
      run: run.ref,
      headline: run.summary.headline,
      warehouse: run.summary.warehouse,
      warehouseNow: { transactions: Number(now!.t), quarantined: Number(now!.q) },
      valueModel: card
        ? {
            chosen: card.chosen,
            label: valueModelLabel(card),
            reason: card.reason,
            // the total of what customer_scores hold: the honest tournament's winner's when it rewrote them (learned-stage.ts)
            totalPredicted: card.clv?.totalPredicted ?? null,
            // the months of totalPredicted (predicted_clv_12m): 12 whatever --horizon-months asked for
            horizonMonths: card.clv ? totalPredictedMonths(card.clv) : 12,
            scores: scoredBy(card, learned),
            scoresNote: describeScoresModel(card, learned, 'the customers’'),
          }
        : null,
      prospects: prospectsOf(run.data.run.prospects ?? run.data.run.events?.prospects),
      stages: run.data.stages ?? null,
      segments: run.data.segments ?? null,
      spendNote: run.summary.spend?.note ?? null,
    };
  }));
  app.get('/api/value', { config: AGGREGATES, schema: { tags, summary: 'Value distribution, Pareto curve and historic-vs-predicted quadrants (suppressed at k)' } }, page(deps, jsonSafeValue));
  app.get('/api/model-card', { config: AGGREGATES, schema: { tags, summary: 'The value model card: tournament, diagnostics, final fit; the churn card' } }, page(deps, (run): ModelCardResponse => ({ run: run.ref, modelCard: run.data.modelCard ?? null, churn: run.data.churn ?? null })));
  app.get('/api/segments', { config: AGGREGATES, schema: { tags, summary: 'RFM segments with counts and value' } }, page(deps, (run): SegmentsResponse => ({ run: run.ref, segments: run.data.segments ?? null })));
  app.get('/api/clusters', { config: AGGREGATES, schema: { tags, summary: 'Behaviour cluster profiles' } }, page(deps, (run): ClustersResponse => ({ run: run.ref, clusters: run.data.clusters ?? null })));
  app.get('/api/lifecycle', { config: AGGREGATES, schema: { tags, summary: 'Lifecycle stages now, flows between two dates, stages over time' } }, page(deps, (run): LifecycleResponse => ({ run: run.ref, stages: run.data.stages ?? null, transitions: run.data.transitions ?? null, lifecycleSeries: run.data.lifecycleSeries ?? null })));
  app.get('/api/cohorts', { config: AGGREGATES, schema: { tags, summary: 'Retention of acquisition cohorts' } }, page(deps, (run): CohortsResponse => ({ run: run.ref, cohorts: run.data.cohorts ?? null })));
  app.get('/api/cross-sell', { config: AGGREGATES, schema: { tags, summary: 'Association rules and the recommender chosen' } }, page(deps, (run): CrossSellResponse => ({ run: run.ref, rules: run.data.rules ?? null })));
  app.get('/api/events-summary', { config: AGGREGATES, schema: { tags, summary: 'Events, funnels and prospects as published' } }, page(deps, (run): EventsSummaryResponse => ({ run: run.ref, events: run.summary.events ? withMeasuredBuyerTypes(run.summary.events) : null })));
  app.get('/api/campaign-results', { config: AGGREGATES, schema: { tags, summary: 'The newest evaluation of every audience: uplift with 95% intervals, ROI (groups under k withheld)' } }, async (): Promise<CampaignResultsResponse> => {
    const run = await deps.servedRun();
    const k = run?.ref.minGroupSize ?? deps.minGroupSize;
    return { minGroupSize: k, campaigns: await readCampaignKpis(deps.warehouse, k, { api: true }) };
  });
}
