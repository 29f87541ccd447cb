import { Type } from 'typebox';
import { Problem, problem } from '../api-problem.js';
import { IdempotencyKey } from './request-fields.js';
import { BackpressureError, IdempotencyConflictError, type IngestQueue } from '../ingest/ingest-queue.js';
import { countEventsByPrefix } from '../ingest/count-events-by-prefix.js';
import { BATCH_FIELDS, MAX_BATCH_RECORDS, normaliseBatch, type BatchKind } from '../ingest/normalise-batch.js';
import type { ServerApp } from '../server-app.js';
import { auditRefusal } from '../audit-refusal.js';
import { idempotencyKeyTag } from '../ingest/batch-receipts.js';
import type { ServerContext } from '../server-context.js';

/** Largest ingest request body (16 MiB: 10,000 records of ~1.6 KB). */
export const INGEST_BODY_LIMIT = 16 << 20;

const Receipt = Type.Object({ batchId: Type.String(), kind: Type.String(), received: Type.Integer() });
const IngestHeaders = Type.Object({ 'idempotency-key': Type.Optional(IdempotencyKey) });

/** `POST /api/events`, `POST /api/orders` (the `ingest` action), `GET /api/events/count` (admin), `GET /api/ingest/status`. */
export async function registerIngestRoutes(app: ServerApp, context: ServerContext, queue: IngestQueue): Promise<void> {
  const route = (kind: BatchKind) =>
    app.post(
      `/api/${kind}`,
      {
        bodyLimit: INGEST_BODY_LIMIT,
        config: { action: 'ingest' },
        schema: {
          summary: `send a batch of ${kind}: a JSON array or NDJSON (application/x-ndjson), at most ${MAX_BATCH_RECORDS.toLocaleString('en-US')} records; 202 once it is durable (fsync'ed), applied by the file ingest's rules in the background`,
          description: `Fields: ${BATCH_FIELDS[kind].join(', ')} (others are dropped); dates ISO 8601. A record the rules reject is quarantined with its reason; a line that is not a JSON object rejects the batch (400, nothing stored). An Idempotency-Key names one batch of one sender: the same body sent again under it answers the first receipt (header idempotent-replay: true) and stores nothing; another body under it is refused (409, nothing stored, audited ingest_refused); another sender's key is its own. 503 with Retry-After when the server is behind.`,
          tags: ['ingest'],
          headers: IngestHeaders,
          response: { 202: Receipt, 400: Problem, 409: Problem, 503: Problem },
        },
      },
      async (request, reply) => {
        const { ndjson, records, fields } = normaliseBatch(request.body, kind);
        const actor = request.actor!;
        const idempotencyKey = request.headers['idempotency-key'] ?? null;
        try {
          const { receipt, replay } = await queue.submit({ kind, ndjson, records, fields, idempotencyKey, actor: actor.kind === 'token' ? `${actor.name} (token)` : actor.name, role: actor.role });
          if (replay) reply.header('idempotent-replay', 'true');
          return reply.code(202).send(receipt);
        } catch (error) {
          if (error instanceof IdempotencyConflictError) {
            // refused, nothing stored: audited as a stored batch is (`ingest`), with why (answered 409 all the same when
            // the entry cannot be written: audit-refusal.ts)
            request.refusalAudited = true;
            await auditRefusal(context, request.log, actor, { action: 'ingest_refused', target: `table:${kind}`, rowCounts: { refused: records }, details: { command: `POST /api/${kind}`, idempotency_key_tag: idempotencyKeyTag(context.keyring, idempotencyKey!), reason: error.reason } });
            return reply.code(409).send(problem('conflict', error.message, error.hint!));
          }
          if (error instanceof BackpressureError) return reply.code(503).header('retry-after', String(error.retryAfterS)).send(problem('unavailable', error.message, error.hint!));
          throw error;
        }
      },
    );
  route('events');
  route('orders');

  app.get(
    '/api/events/count',
    {
      config: { action: 'reidentify' },
      schema: {
        summary: 'events whose original customer id starts with prefix (admin: original ids are re-identified); waits until every batch acknowledged before the call is applied',
        tags: ['ingest'],
        querystring: Type.Object({ prefix: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ count: Type.Integer() }) },
      },
    },
    async (request) => {
      await queue.drain();
      const count = await countEventsByPrefix(context.warehouse, context.keyring, request.query.prefix);
      await context.audit(request.actor!, { action: 'reidentify', target: 'table:events', rowCounts: { events: count }, details: { command: 'GET /api/events/count', prefix_length: request.query.prefix.length } });
      return { count };
    },
  );

  app.get(
    '/api/ingest/status',
    {
      config: { action: 'ingest' },
      schema: {
        summary: 'the ingestion backlog: batches and records acknowledged but not yet applied; groups left unrecorded in the write-ahead log since the start, each with what happened and how it is settled',
        tags: ['ingest'],
        response: {
          200: Type.Object({
            pendingBatches: Type.Integer(),
            pendingRecords: Type.Integer(),
            appliedBatches: Type.Integer(),
            failedGroups: Type.Integer(),
            unrecordedGroups: Type.Array(
              Type.Object({ source: Type.String(), firstBatch: Type.String(), lastBatch: Type.String(), batches: Type.Integer(), records: Type.Integer(), attempts: Type.Integer(), status: Type.String() }),
            ),
          }),
        },
      },
    },
    async () => queue.stats,
  );
}
