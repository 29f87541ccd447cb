import { Type } from 'typebox';
import { NO_STORE, SECURITY_HEADERS } from '../security-headers.js';
import { Problem, problem } from '../api-problem.js';
import { dayField, RunId } from './request-fields.js';
import type { RunJobs, RunView } from '../runs/run-jobs.js';
import type { ServerApp } from '../server-app.js';
import type { ServerContext } from '../server-context.js';
import { parseRequestDay } from '../../core/calendar-days.js';
import { UserError } from '../../core/errors/user-error.js';
import { PURCHASE_MODEL_NAMES } from '../../models/btyd/purchase-models.js';

const Progress = Type.Object({ step: Type.String(), phase: Type.String(), detail: Type.Optional(Type.String()), elapsedMs: Type.Optional(Type.Number()) });
const Run = Type.Object({
  id: Type.String(),
  status: Type.String(),
  startedAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  startedBy: Type.String(),
  progress: Type.Array(Progress),
  error: Type.Union([Type.String(), Type.Null()], { description: 'why it failed, was cancelled or interrupted (one line); null while running and when it finished' }),
  hint: Type.Union([Type.String(), Type.Null()], { description: 'what to do about error (e.g. "send orders first: POST /api/orders"); null without one' }),
});
/** The hint of a run id that is not known. */
const NO_RUN_HINT = 'GET /api/runs lists the runs, newest first';
const RunParams = Type.Object({ id: RunId });

/** `POST /api/runs`, `GET /api/runs`, `GET /api/runs/:id`, `GET /api/runs/:id/events` (SSE), `DELETE /api/runs/:id`. */
export async function registerRunRoutes(app: ServerApp, context: ServerContext, runs: RunJobs): Promise<void> {
  app.post(
    '/api/runs',
    {
      config: { action: 'analyze' },
      schema: {
        summary: 'start an analysis of the served warehouse as a job (one at a time); follow it with GET /api/runs/:id or its SSE stream',
        tags: ['runs'],
        body: Type.Object(
          {
            asOf: Type.Optional(dayField('analyse the data up to it (default: the last purchase)')),
            timeUnit: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')])),
            skipPatterns: Type.Optional(Type.Boolean({ description: 'true or false: true finds no cross-sell rules, sequences or recommendations (as analyze --skip-patterns)' })),
            skipReport: Type.Optional(Type.Boolean({ description: 'true or false: true writes no report.html (as analyze --skip-report)' })),
            horizonMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 600, description: 'months of future value to predict, a whole number from 1 to 600 (default 12)', examples: [12] })),
            discountRatePerYear: Type.Optional(Type.Number({ minimum: 0, maximum: 10, description: 'the yearly discount rate of future value, from 0 to 10 (default 0.1: 10% a year)', examples: [0.1] })),
            margin: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'the share of revenue kept as margin, more than 0 and at most 1 (default 1)', examples: [0.3] })),
            holdoutDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, description: 'days at the end of the data held out to choose the value model, a whole number from 1 to 3650 (default: by the data)', examples: [90] })),
            model: Type.Optional(Type.Union(PURCHASE_MODEL_NAMES.map((name) => Type.Literal(name)), { description: `the value model (${PURCHASE_MODEL_NAMES.join(', ')}); default: chosen on the holdout`, examples: ['bgnbd'] })),
            churn: Type.Optional(Type.Boolean({ description: 'true or false: false runs no churn early warning — no churn card in run.json, no churn_probability, churn_risk_band or churn_top_drivers in customers.csv; the value scores, the regularity check and learnedTournament stay (default true; false as analyze --no-churn, refused with churnDays)', examples: [false] })),
            churnDays: Type.Optional(Type.Integer({ minimum: 14, maximum: 3650, description: 'the churn early warning\'s N, "no purchase in the next N days" (customers.csv churn_probability, its labels and metrics), a whole number from 14 to 3650 that the windows must hold (default: the holdout length, shortened when the history before it cannot hold it; as analyze --churn-days)', examples: [90] })),
            learnedTournament: Type.Optional(Type.Boolean({ description: 'true or false: true runs the honest tournament of the BTYD and learned models (as analyze --learned-tournament; slower)', examples: [true] })),
            regularityCheck: Type.Optional(Type.Boolean({ description: "true or false: when the value model's fit shows every customer buying at one steady rate, run MBG/CNBD-k beside the BTYD models in the honest tournament (default true; false as analyze --no-regularity-check)", examples: [false] })),
            grain: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('order')], { description: 'the purchase occasion: day (the distinct purchase days, the default) or order (each order; as analyze --grain)', examples: ['order'] })),
          },
          { additionalProperties: false },
        ),
        response: { 202: Run, 400: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      if (request.body?.asOf !== undefined) parseRequestDay(request.body.asOf, 'asOf', '"asOf": "2024-03-01"');
      // as analyze refuses --churn-days with --no-churn: one sets what the other skips
      if (request.body?.churn === false && request.body.churnDays !== undefined) throw new UserError('churnDays sets the churn early warning, and "churn": false skips it', 'send one of churnDays and "churn": false');
      // another run going: a RunConflictError, answered 409 by the error handler as every ConflictError
      const { view } = await runs.start(request.actor!, request.body ?? {});
      return reply.code(202).send(view);
    },
  );
  app.get(
    '/api/runs',
    { config: { action: 'view_aggregates' }, schema: { summary: 'the runs, newest first', tags: ['runs'], querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, examples: [50] })) }, { additionalProperties: false }), response: { 200: Type.Object({ runs: Type.Array(Run) }) } } },
    async (request) => ({ runs: await runs.list(request.query.limit ?? 50) }),
  );
  app.get('/api/runs/:id', { config: { action: 'view_aggregates' }, schema: { summary: 'a run: status and stage progress (poll it)', tags: ['runs'], params: RunParams, response: { 200: Run, 404: Problem } } }, async (request, reply) => {
    const view = await runs.get(request.params.id);
    return view ? view : reply.code(404).send(problem('not_found', `no run ${request.params.id}`, NO_RUN_HINT));
  });
  app.delete('/api/runs/:id', { config: { action: 'analyze' }, schema: { summary: 'cancel a running run (it stops at the next stage boundary)', tags: ['runs'], params: RunParams, response: { 202: Run, 404: Problem, 409: Problem } } }, async (request, reply) => {
    const view = await runs.cancel(request.params.id);
    if (!view) return reply.code(404).send(problem('not_found', `no run ${request.params.id}`, NO_RUN_HINT));
    // a run that ended (finished, failed, cancelled, interrupted) has nothing to stop: said, not answered as if stopping
    if (view.status !== 'running') return reply.code(409).send(problem('conflict', `run ${view.id} is ${view.status}: only a running run can be cancelled`, 'nothing to stop; GET /api/runs lists the runs and their status'));
    await context.audit(request.actor!, { action: 'analyze', target: 'warehouse', details: { command: 'cancel run', run_id: view.id } });
    return reply.code(202).send(view);
  });
  app.get(
    '/api/runs/:id/events',
    { config: { action: 'view_aggregates' }, schema: { summary: 'server-sent events of a run: one `progress` event per stage start and end, then `end` with the run', tags: ['runs'], params: RunParams } },
    async (request, reply) => {
      const view = await runs.get(request.params.id);
      if (!view) return reply.code(404).send(problem('not_found', `no run ${request.params.id}`, NO_RUN_HINT));
      reply.hijack();
      const raw = reply.raw;
      // hijacked: fastify's onSend hook does not run, the security headers are set here (security-headers.ts)
      raw.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', ...NO_STORE, connection: 'keep-alive', 'x-accel-buffering': 'no' });
      const send = (event: string, data: unknown) => raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      for (const p of view.progress) send('progress', p);
      const end = (v: RunView) => {
        send('end', v);
        raw.end();
      };
      const stop = runs.listen(view.id, (p) => send('progress', p), end);
      if (!stop) return end(view);
      request.raw.on('close', stop);
    },
  );
}
