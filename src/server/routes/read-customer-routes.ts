/**
 * Customer-level reads (`view_tokens`: admins, analysts, marketers):
 * `GET /api/customers` — tokens with stage, segment, tier and scores, filtered,
 * sorted and paged; `GET /api/customers/:token` — the customer 360. PII only
 * masked (raw for an admin asking `reveal=1`). Every read is audited as the
 * CLI's `customer` command audits its reads (`customerReadAudits`: what was shown raw, masked, re-identified).
 */
import type {} from '@fastify/swagger'; // the OpenAPI fields (tags, summary) of a route schema
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerApp } from '../server-app.js';
import { problem } from '../api-problem.js';
import type { Actor } from '../server-context.js';
import { Type, type Static } from 'typebox';
import type { Warehouse } from '../../engine/warehouse.js';
import { erasedAt, erasedCustomerMessage } from '../../engine/erased-customers.js';
import { dayOfValue } from '../../core/calendar-days.js';
import { can, type Role } from '../../privacy/access/rbac.js';
import type { Keyring } from '../../privacy/keys/keyring.js';
import { createPseudonymiser } from '../../privacy/tokens/pseudonymise.js';
import { heldCustomerToken } from '../../privacy/warehouse/held-customer-token.js';
import type { WarehouseAuditRecord } from '../../privacy/warehouse/warehouse-audit.js';
import { CUSTOMER_SORTS, CUSTOMER_STAGES, CUSTOMER_TIERS, type CustomerDetailResponse, type CustomerListResponse, type CustomerRow, type CustomerSort } from './read-api-types.js';
import { readCustomerAudiences, readCustomerOrders, readCustomerRecommendations, readCustomerScores } from './read-customer-360.js';
import { customerReadAudits, readCustomerPii, shownCustomer } from './read-customer-pii.js';
import { buildCustomerListSql, heldCustomerTables, listSegments, numberOrNull } from './read-customer-query.js';
import type { ServedRun } from './read-report-cache.js';
import { readStageHistory } from './read-stage-history.js';
import { CustomerKey, CustomerSearch, Reveal } from './request-fields.js';

/** Who is asking (the server's auth hook sets it on the request). */
export type ReadActor = Actor;

export interface ReadCustomerDeps {
  readonly warehouse: Warehouse;
  readonly keyring: Keyring | null;
  readonly servedRun: () => Promise<ServedRun | null>;
  readonly actorOf: (request: FastifyRequest) => ReadActor;
  readonly audit: (actor: ReadActor, record: WarehouseAuditRecord) => Promise<void>;
}

const literalUnion = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const CustomerListQuery = Type.Object(
  {
    stage: Type.Optional(literalUnion(CUSTOMER_STAGES)),
    segment: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    tier: Type.Optional(literalUnion(CUSTOMER_TIERS)),
    q: Type.Optional(CustomerSearch),
    sort: Type.Optional(literalUnion(CUSTOMER_SORTS)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 25, examples: [25] })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000, default: 0, examples: [25] })),
    reveal: Type.Optional(Reveal),
  },
  { additionalProperties: false },
);
export const CustomerParams = Type.Object({ token: CustomerKey }, { additionalProperties: false });
export const CustomerDetailQuery = Type.Object({ reveal: Type.Optional(Reveal) }, { additionalProperties: false });

function forbidReveal(reply: FastifyReply, role: Role): FastifyReply {
  return reply.code(403).send(problem('forbidden', `role ${role} may not view_raw_pii (see personal columns decrypted and unmasked)`, 'leave out reveal=1: personal columns are shown masked; only an admin sees them raw'));
}

/** What the audit records of a keyed warehouse's q= (a token prefix or an original id: never the id itself). */
const SEARCH_AUDITED_AS = '(a token prefix or an id, tokenised)';

/**
 * How `GET /api/customers` reads `q`: with a key (`tokenOf`), as a token prefix, case folded (tokens are lower case),
 * and as an original id, whose token it also matches — every query both ways, since an original id of another
 * system may have a token's shape (`c_abcdefghijklmnopqrstuvwxyz`) and a token may be pasted in capitals; without
 * a key (ids as given), as a prefix of the ids as given.
 *
 * Example: `customerSearch('C_AB', tokenOf)` → `{ prefix: 'c_ab', token: tokenOf('C_AB') }`
 */
function customerSearch(q: string, tokenOf: ((id: string) => string) | null): { prefix: string; token: string | null } {
  return tokenOf ? { prefix: q.trim().toLowerCase(), token: tokenOf(q) } : { prefix: q, token: null };
}

export function registerReadCustomerRoutes(app: ServerApp, deps: ReadCustomerDeps): void {
  const { warehouse } = deps;
  const tokenOf = deps.keyring ? createPseudonymiser(deps.keyring) : null;
  // a token in capitals is that token; an original id shaped like a token is that id when only its pseudonym is held
  const storedId = async (id: string) => (tokenOf ? heldCustomerToken(warehouse, id, tokenOf) : id);
  const tags = ['customers'];

  app.get<{ Querystring: Static<typeof CustomerListQuery> }>(
    '/api/customers',
    { config: { action: 'view_tokens' }, schema: { tags, summary: 'Customers: tokens with stage, segment, tier and scores; filtered, sorted, paged (audited)', querystring: CustomerListQuery } },
    async (request, reply): Promise<CustomerListResponse | FastifyReply> => {
      const actor = deps.actorOf(request);
      const query = request.query;
      const reveal = query.reveal === 1;
      if (reveal && !can(actor.role, 'view_raw_pii')) return forbidReveal(reply, actor.role);
      const held = await heldCustomerTables(warehouse);
      if (!held.has('customer_summary')) return reply.code(404).send(problem('no_run', 'no analysis has finished on this warehouse yet: there is no customer summary', 'start one (POST /api/runs), then follow it (GET /api/runs/:id)'));
      const segments = await listSegments(warehouse, held);
      if (query.segment !== undefined && !segments.includes(query.segment)) {
        return reply.code(400).send(problem('bad_request', `query parameter segment must be a segment of the last run (got ${JSON.stringify(query.segment)})`, segments.length > 0 ? `one of: ${segments.join(', ')}` : 'the last run wrote no segments: leave segment out'));
      }
      const filters = { ...(query.stage ? { stage: query.stage } : {}), ...(query.segment ? { segment: query.segment } : {}), ...(query.tier ? { tier: query.tier } : {}), ...(query.q ? { q: query.q } : {}), sort: (query.sort ?? 'predicted_value') as CustomerSort, limit: query.limit ?? 25, offset: query.offset ?? 0 };
      // q= is read both ways on a keyed warehouse, whatever its shape: a token prefix (case folded: tokens are lower case,
      // one pasted in capitals is found) and an original id (through its token). An id of another system may look like
      // a token (c_ and 26 letters): read as a token only, its customer was not found by it (customerSearch below).
      const search = query.q === undefined ? null : customerSearch(query.q, tokenOf);
      const sql = buildCustomerListSql(warehouse, held, search ? { ...filters, q: search.prefix } : filters, search?.token ?? null);
      const [count] = await warehouse.query(sql.count);
      const rows = await warehouse.query(sql.page);
      const tokens = rows.map((r) => String(r.customer_id));
      const pii = await readCustomerPii(warehouse, deps.keyring, actor.role, tokens, reveal);
      const customers: CustomerRow[] = rows.map((r, i) => ({
        customer: tokens[i]!,
        stage: r.stage === null ? null : String(r.stage),
        segment: r.segment === null ? null : String(r.segment),
        tier: r.tier === null ? null : String(r.tier),
        orders: numberOrNull(r.orders),
        lastPurchase: dayOfValue(r.last_purchase), // a DATE, NULL for a prospect (ClickHouse 18.16 cannot CAST a NULL to text)
        historicValue: numberOrNull(r.historic_clv),
        predictedValue: numberOrNull(r.predicted_clv_12m),
        pAlive: numberOrNull(r.p_alive),
        churnProbability: numberOrNull(r.churn_probability),
        ...(pii.values.has(tokens[i]!) ? { pii: pii.values.get(tokens[i]!)! } : {}),
        ...(pii.originalIds ? { originalId: pii.originalIds.get(tokens[i]!) ?? null } : {}),
      }));
      const read = { target: 'table:customer_summary', rowCounts: { customers: customers.length }, details: { route: 'GET /api/customers', filters: { stage: filters.stage ?? null, segment: filters.segment ?? null, tier: filters.tier ?? null, q: search?.token ? SEARCH_AUDITED_AS : (filters.q ?? null), sort: filters.sort, limit: filters.limit, offset: filters.offset } } };
      for (const entry of customerReadAudits(pii, read)) await deps.audit(actor, entry);
      return { total: Number(count?.n ?? 0), limit: filters.limit, offset: filters.offset, sort: sql.sort, segments, piiShown: pii.shown, revealed: pii.revealed, customers };
    },
  );

  app.get<{ Params: Static<typeof CustomerParams>; Querystring: Static<typeof CustomerDetailQuery> }>(
    '/api/customers/:token',
    { config: { action: 'view_tokens' }, schema: { tags, summary: 'The customer 360: scores, stage history, orders, recommendations, PII masked by role (audited)', params: CustomerParams, querystring: CustomerDetailQuery } },
    async (request, reply): Promise<CustomerDetailResponse | FastifyReply> => {
      const actor = deps.actorOf(request);
      const reveal = request.query.reveal === 1;
      if (reveal && !can(actor.role, 'view_raw_pii')) return forbidReveal(reply, actor.role);
      const token = await storedId(request.params.token);
      const scores = await readCustomerScores(warehouse, token);
      if (Object.keys(scores).length === 0) {
        // an erased customer is said to be so, and when (as clvkit customer says): "not found" read as an id never held
        const erased = await erasedAt(warehouse, token);
        if (erased !== null) {
          // audited as any look-up of a customer: probing ids for erasures leaves a trace
          await deps.audit(actor, { action: 'view_tokens', target: { customerToken: token }, rowCounts: { customers: 0 }, details: { route: 'GET /api/customers/:token', erased: true } });
          const { message, hint } = erasedCustomerMessage(request.params.token, erased, { mayReadmit: can(actor.role, 'erase') });
          return reply.code(410).send(problem('erased', message, hint));
        }
        return reply.code(404).send(problem('not_found', 'no customer with this token or id in the last run', 'GET /api/customers lists the customers by token (q= finds a token prefix or a customer id as given)'));
      }
      const run = await deps.servedRun();
      const [orders, recommendations, stageHistory, pii] = [
        await readCustomerOrders(warehouse, token),
        await readCustomerRecommendations(run?.summary.outputs?.recommendationsCsv ?? null, token),
        run ? await readStageHistory(warehouse, run, token) : [],
        await readCustomerPii(warehouse, deps.keyring, actor.role, [token], reveal),
      ];
      const read = { target: { customerToken: token }, rowCounts: { customers: 1, orders: orders.orders.length, recommendations: recommendations.length }, details: { route: 'GET /api/customers/:token' } };
      for (const entry of customerReadAudits(pii, read)) await deps.audit(actor, entry);
      return {
        ...shownCustomer(pii, token),
        scores,
        stageHistory,
        orders: orders.orders,
        ordersTotal: orders.ordersTotal,
        audiences: await readCustomerAudiences(warehouse, token),
        recommendations,
        churnBands: run?.data.churn?.churn?.bands ?? null,
      };
    },
  );
}
