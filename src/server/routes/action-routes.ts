import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from 'typebox';
import { AudienceName, Day, dayField, PlayPrefix, Where } from './request-fields.js';
import { asAnswer, AudienceCreatedAnswer, PlaybookRunAnswer, type AudienceCreated, type PlaybookRun } from './action-answers.js';
import { UserError } from '../../core/errors/user-error.js';
import { AUDIENCE_EXPORT_ACTIONS } from '../../actions/export-audience-file.js';
import { createAudience, checkAudienceName } from '../../actions/create-audience.js';
import { audienceForRole, dropAudience, listAudiences, readAudience } from '../../actions/audience-store.js';
import { exportStoredAudience } from '../../actions/export-stored-audience.js';
import { evaluateCampaign } from '../../actions/evaluate-campaign.js';
import { loadPlaybook } from '../../actions/playbook.js';
import { runPlaybook } from '../../actions/run-playbook.js';
import { nothingDrawnReason } from '../../actions/nothing-drawn-reason.js';
import { checkCategoryValues } from '../../actions/category-values.js';
import { compileWhereExpression } from '../../actions/compile-where-expression.js';
import { parseWhereExpression, whereName } from '../../actions/parse-where-expression.js';
import { audienceSourceSql, populationTables } from '../../actions/audience-source-sql.js';
import { ensureDerivedTables } from '../../actions/ensure-derived-tables.js';
import { scoreWarehouse } from '../../pipeline/score-warehouse.js';
import type { Access } from '../../privacy/access/access.js';
import { belowK } from '../../privacy/disclosure/below-k.js';
import type { ServerApp } from '../server-app.js';
import { parseRequestDay } from '../../core/calendar-days.js';
import type { Actor, ServerContext } from '../server-context.js';

const NameParams = Type.Object({ name: AudienceName });
/** Audiences and plays: whoever may export an audience (marketer) or customer-level tables (analyst), as in the CLI. */
const EXPORT = AUDIENCE_EXPORT_ACTIONS;

/** The filter came in the request's field `where`: its refusals say so (the CLI's say `--where`). */
const WHERE_FIELD = { field: 'where' } as const;

const accessOf = (actor: Actor): Access => ({ actor: actor.kind === 'token' ? `${actor.name} (token)` : actor.name, role: actor.role });

/**
 * The action routes: audiences (list, create with a control group, live
 * count for the builder, show, export, drop), the playbook (its plays, and
 * running it) and campaign results — each a call of the function the CLI
 * calls (src/actions), audited there or here as the CLI audits it.
 */
export async function registerActionRoutes(app: ServerApp, context: ServerContext): Promise<void> {
  const { warehouse, keyring, minGroupSize } = context;
  const score = (access: Access) => (w: typeof warehouse) => scoreWarehouse(w, { keyring, access, minGroupSize, api: true });
  app.get('/api/audiences', { config: { action: 'view_aggregates' }, schema: { summary: 'the stored audiences: size, control group, filter', description: AUDIENCE_SIZES_NOTE, tags: ['audiences'] } }, async (request) => {
    const audiences = (await listAudiences(warehouse)).map((audience) => audienceForRole(audience, request.actor!.role, minGroupSize));
    await context.audit(request.actor!, { action: 'view_aggregates', target: 'table:audiences', details: { command: 'GET /api/audiences' } });
    return { audiences };
  });

  app.post(
    '/api/audiences',
    {
      config: { action: EXPORT },
      schema: {
        summary: 'draw an audience: customers matching `where` (docs/actions.md), a seeded random control group held out; stored and audited',
        tags: ['audiences'],
        body: Type.Object(
          {
            name: AudienceName,
            where: Where,
            holdout: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'the share held out as the control group: a number between 0 and 1 (both excluded; default 0.1)', examples: [0.1] })),
            seed: Type.Optional(Type.Integer({ description: 'an integer: the seed of the control group\'s draw (default 1)', examples: [1] })),
            sendDate: Type.Optional(Day),
            measureDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, description: 'the days from the send date over which the campaign is to be measured: an integer from 1 to 3,650 (default 30)', examples: [30] })),
            idempotent: Type.Optional(Type.Boolean({ description: 'true: a name taken by an audience drawn with the same fields answers it as stored (200, reused: true; nothing drawn again), one drawn with other fields is 409 naming them — a retried request is safe (default false: a taken name is 409)' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: AudienceCreatedAnswer, 201: AudienceCreatedAnswer },
      },
    },
    async (request, reply) => {
      const access = accessOf(request.actor!);
      const body = request.body;
      // createAudience (api: true) refuses a bad sendDate or where in the API's words, before any work
      // what the CLI prints on stderr (stale scores, a send date the filter's data runs past) comes back as notes
      const notes: string[] = [];
      const summary = await createAudience(warehouse, { name: body.name, where: body.where, holdout: body.holdout ?? 0.1, seed: body.seed ?? 1, keyring, access, minGroupSize, api: true, ...(body.sendDate ? { sendDate: body.sendDate } : {}), ...(body.measureDays !== undefined ? { measureDays: body.measureDays } : {}), idempotent: body.idempotent === true, score: score(access), onNote: (note) => notes.push(note) });
      const answer: AudienceCreated = { ...summary, notes };
      // 201 for an audience stored; 200 for one answered as stored ("idempotent") or of nobody (nothing stored)
      return reply.code(summary.reused || summary.members === 0 ? 200 : 201).send(asAnswer(answer));
    },
  );

  app.post(
    '/api/audiences/count',
    {
      config: { action: EXPORT },
      schema: {
        summary: "the audience builder's live count: customers matching `where` (null below the minimum group size)",
        description:
          'A count of 1 to k−1 (k: the server\'s minimum group size) is answered null with belowMinGroupSize true; 0 is shown (it describes nobody). ' +
          'The floor keeps a small count off a screen or a slide by accident; it is no protection against the roles that may call it (admin, analyst, marketer): ' +
          'they read the customers\' rows themselves (GET /api/customers, with orders and scores) and draw audiences, so the difference of two counts ("orders >= 1" and "orders >= 1 AND NOT orders >= 30") tells them nothing they could not see. ' +
          'A role without per-customer rows (viewer) may not call it.',
        tags: ['audiences'],
        body: Type.Object({ where: Where }, { additionalProperties: false }),
        response: { 200: Type.Object({ count: Type.Union([Type.Integer(), Type.Null()]), belowMinGroupSize: Type.Boolean(), minGroupSize: Type.Integer() }) },
      },
    },
    async (request) => {
      const access = accessOf(request.actor!);
      const compiled = compileWhereExpression(parseWhereExpression(request.body.where, WHERE_FIELD), warehouse.dialect, WHERE_FIELD);
      await ensureDerivedTables(warehouse, compiled.tables, { score: score(access), keyring, access, minGroupSize, api: true, readerOf: () => whereName(WHERE_FIELD) });
      await checkCategoryValues(warehouse, compiled.categories, WHERE_FIELD); // as createAudience: value_tier = 'top' is refused
      const [row] = await warehouse.query(`SELECT count(*) AS n FROM ${audienceSourceSql(warehouse.dialect, [...compiled.tables, ...(await populationTables(warehouse))])} WHERE ${compiled.sql}`);
      const n = Number(row!.n);
      const below = belowK(n, minGroupSize);
      await context.audit(request.actor!, { action: 'view_aggregates', target: 'table:customer_summary', rowCounts: { customers: below ? 0 : n }, details: { command: 'POST /api/audiences/count', where: request.body.where } });
      return { count: below ? null : n, belowMinGroupSize: below, minGroupSize };
    },
  );

  app.get('/api/audiences/:name', { config: { action: 'view_aggregates' }, schema: { summary: 'one audience', description: AUDIENCE_SIZES_NOTE, tags: ['audiences'], params: NameParams } }, async (request) => {
    const audience = await readAudience(warehouse, request.params.name);
    await context.audit(request.actor!, { action: 'view_aggregates', target: `audience:${audience.name}`, details: { command: 'GET /api/audiences/:name' } });
    return audienceForRole(audience, request.actor!.role, minGroupSize);
  });

  app.get(
    '/api/audiences/:name/export',
    {
      config: { action: EXPORT },
      schema: {
        summary: 'the members: customer token and group (treatment/control), CSV or JSON; group=treatment the send file alone; audited as an export (with its group)',
        tags: ['audiences'],
        params: NameParams,
        querystring: Type.Object(
          {
            format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('json')])),
            group: Type.Optional(Type.Union([Type.Literal('treatment'), Type.Literal('control'), Type.Literal('all')], { description: 'the members answered: treatment (the customers to contact), control, or all with their group (default)' })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      checkAudienceName(request.params.name);
      const format = request.query.format ?? 'csv';
      const dir = mkdtempSync(join(tmpdir(), 'clvkit-export-'));
      try {
        const path = join(dir, `${request.params.name}.${format}`);
        const { file } = await exportStoredAudience(warehouse, request.params.name, { path, format, revealIds: false, group: request.query.group ?? 'all' }, keyring, accessOf(request.actor!), { command: 'GET /api/audiences/:name/export', destination: `the HTTP response (${format})`, api: true });
        const content = readFileSync(file.path);
        return reply
          .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename="${request.params.name}.${format}"`)
          .send(content);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  app.delete(
    '/api/audiences/:name',
    {
      config: { action: EXPORT },
      schema: {
        summary: 'drop an audience and its members (audited); campaign evaluations are kept',
        description:
          'An audience that is the record of a campaign — evaluated, or drawn on or before a send date that has passed (it may have been sent) — is refused with 409: dropping it deletes who was treated and who was held out, which an evaluation and later draws\' contact rules read. An admin may drop it anyway with force=1 (audited with the reasons). An audience drawn after its send date (a backtest) and not evaluated is dropped.',
        tags: ['audiences'],
        params: NameParams,
        querystring: Type.Object({ force: Type.Optional(Type.Integer({ minimum: 0, maximum: 1, description: '0 or 1 (1: drop it even when it is the record of a campaign; admin only; audited)', examples: [1] })) }, { additionalProperties: false }),
      },
    },
    async (request) => {
      const dropped = await dropAudience(warehouse, request.params.name, keyring, accessOf(request.actor!), { force: request.query.force === 1, api: true });
      return { dropped: dropped.name, members: dropped.members };
    },
  );

  app.get('/api/playbook', { config: { action: 'view_aggregates' }, schema: { summary: 'the playbook: its plays (stage × segment × value tier → offer, channel, cost, assumed lift)', tags: ['playbook'] } }, async () => loadPlaybook());

  app.post(
    '/api/playbook/run',
    {
      config: { action: EXPORT },
      schema: {
        summary: 'run the playbook: one audience with a control group per play, and the plan (who, how many, expected cost, incremental value, ROI)',
        tags: ['playbook'],
        body: Type.Object(
          {
            seed: Type.Optional(Type.Integer({ description: "an integer: the seed of the plays' control groups and the uplift model's draws (default 1)" })),
            budget: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'the money to spend on contacts: a number above 0', examples: [5000] })),
            prefix: Type.Optional(PlayPrefix),
            // a past day backtests the playbook (measure its audiences with GET /api/campaigns/:audience over the days after it)
            sendDate: Type.Optional(Type.String({ description: 'a day, YYYY-MM-DD: the first day a response counts (default: the day after the last transaction)', examples: ['2024-03-01'] })),
            idempotent: Type.Optional(Type.Boolean({ description: 'true: when the audiences of a run with the same fields exist, its stored plan is answered (reused: true; nothing drawn again), when they were drawn with other fields 409 names them — a retried request is safe (default false: taken names are 409)' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: PlaybookRunAnswer },
      },
    },
    async (request) => {
      const access = accessOf(request.actor!);
      const outDir = mkdtempSync(join(tmpdir(), 'clvkit-playbook-'));
      try {
        const body = request.body ?? {};
        const notes: string[] = [];
        const plan = await runPlaybook(warehouse, { playbook: loadPlaybook(), outDir, seed: body.seed ?? 1, ...(body.budget ? { budget: body.budget } : {}), ...(body.prefix ? { prefix: body.prefix } : {}), ...(body.sendDate !== undefined ? { sendDate: body.sendDate } : {}), idempotent: body.idempotent === true, api: true, keyring, access, minGroupSize, score: score(access), onNote: (note) => notes.push(note) });
        // the audience files were written to a folder removed below: each drawn play names its export route instead
        const plays = plan.plays.map((p) => ({ ...p, file: null, export: p.audience === null ? null : `/api/audiences/${encodeURIComponent(p.audience)}/export` }));
        // a plan that drew nothing says why and what to change, as `clvkit playbook`'s last line does (in the API's words)
        const answer: PlaybookRun = { ...plan, plays, notes, hint: nothingDrawnReason(plan, minGroupSize, { api: true }) };
        return asAnswer(answer);
      } finally {
        rmSync(outDir, { recursive: true, force: true });
      }
    },
  );

  const campaignFields = {
    from: dayField('the first day of the response window'),
    to: dayField('the last day of the response window', '2024-03-31'),
    costPerContact: Type.Optional(Type.Number({ minimum: 0, description: 'the cost of one contact: a number of at least 0', examples: [0.5] })),
    margin: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'the gross margin on revenue: a number between 0 and 1 (0 excluded)', examples: [0.3] })),
  };
  type CampaignFields = { from: string; to: string; costPerContact?: number; margin?: number };
  const evaluate = (audience: string, q: CampaignFields, actor: Actor, store: boolean) => {
    parseRequestDay(q.from, 'from', 'from=2024-03-01');
    parseRequestDay(q.to, 'to', 'to=2024-03-01');
    if (q.from > q.to) throw new UserError(`from ${q.from} is after to ${q.to}`, 'the response window runs from the first to the last day, both included');
    return evaluateCampaign(warehouse, { audience, from: q.from, to: q.to, minGroupSize, keyring, access: accessOf(actor), ...(q.costPerContact !== undefined ? { costPerContact: q.costPerContact } : {}), ...(q.margin !== undefined ? { margin: q.margin } : {}), api: true, store });
  };

  app.get(
    '/api/campaigns/:audience',
    {
      config: { action: 'view_aggregates' },
      schema: {
        summary: 'campaign result of an audience over a response window: uplift of treatment over control with 95% intervals (groups below the k-floor not published); a read: audited, not stored (POST stores)',
        description: 'The evaluation is computed and answered; the one stored for the audience (campaign compare, GET /api/campaign-results, the report, the playbook\'s measured lift) is left as it was, whatever window is asked for. POST /api/campaigns/:audience (analyst or admin) stores one.',
        tags: ['campaigns'],
        params: Type.Object({ audience: AudienceName }),
        querystring: Type.Object(campaignFields, { additionalProperties: false }),
      },
    },
    async (request) => evaluate(request.params.audience, request.query, request.actor!, false),
  );

  app.post(
    '/api/campaigns/:audience',
    {
      config: { action: 'analyze' },
      schema: {
        summary: 'evaluate a campaign and store the evaluation (as clvkit campaign evaluate): the one campaign compare, GET /api/campaign-results, the report and the playbook\'s measured lift read; audited',
        tags: ['campaigns'],
        params: Type.Object({ audience: AudienceName }),
        body: Type.Object(campaignFields, { additionalProperties: false }),
      },
    },
    async (request, reply) => reply.code(201).send(await evaluate(request.params.audience, request.body, request.actor!, true)),
  );
}

const AUDIENCE_SIZES_NOTE =
  'For a role that may not see customer rows (viewer), a group size left of 1 to k−1 customers (the k-floor: erasure and retention remove members after the draw) is null and belowMinGroupSize true, as the other aggregates it may read; roles with customer rows see them all.';

