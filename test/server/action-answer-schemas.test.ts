/**
 * `POST /api/audiences` and `POST /api/playbook/run` declared no response schema: /openapi.json (and /docs) said
 * nothing of what they answer — the draw's `balance` among it. Their schemas say it now, and fastify serialises the
 * answers by them, which drops every field a schema does not name: the answers must still arrive whole.
 *
 * A synthetic shop of 600 customers, analysed once; the server runs on one copy, the same calls of `createAudience` and
 * `runPlaybook` the routes make run on another (the same key, the same seeds: the same draws) — the routes' answers
 * must be what those return, field for field.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAudience } from '../../src/actions/create-audience.js';
import { loadPlaybook } from '../../src/actions/playbook.js';
import { runPlaybook } from '../../src/actions/run-playbook.js';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { scoredShop } from '../helpers/scored-shop.js';
import { openTestServer, sessionHeaders, type TestServer } from './server-fixture.js';

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[]; oneOf?: Schema[]; additionalProperties?: boolean | Schema; nullable?: boolean };

/** A JSON value as it crosses the wire: what JSON.stringify keeps (no undefined, non-finite numbers null). */
const wire = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** The object form of a schema that may be a union with null. */
function objectSchema(schema: Schema | undefined): Schema | undefined {
  if (!schema) return undefined;
  if (schema.properties || schema.type === 'object') return schema;
  return (schema.anyOf ?? schema.oneOf ?? []).map(objectSchema).find((s) => s !== undefined);
}

/** The paths of `value` the schema does not describe (a field of an object it names no property for, recursively). */
function undescribed(value: unknown, schema: Schema | undefined, path = '$'): string[] {
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) {
    const items = schema?.items ?? (schema?.anyOf ?? schema?.oneOf ?? []).find((s) => s.items)?.items;
    return value.flatMap((v, i) => undescribed(v, items, `${path}[${i}]`));
  }
  const object = objectSchema(schema);
  if (object?.additionalProperties !== undefined && object.additionalProperties !== false && !object.properties) return []; // a map or a free-form object, said so
  return Object.entries(value).flatMap(([key, v]) => {
    const property = object?.properties?.[key];
    return property === undefined ? [`${path}.${key}`] : undescribed(v, property, `${path}.${key}`);
  });
}

describe('POST /api/audiences and POST /api/playbook/run: response schemas in the OpenAPI document, and the answers whole', () => {
  let dir = '';
  let server: TestServer;
  let twin = '';
  let doc: { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>> };
  const answerSchema = (path: string, status: string) => doc.paths[path]!.post!.responses[status]?.content?.['application/json']?.schema;

  beforeAll(async () => {
    // synthetic, 600 customers, ingested and analysed (shared with the other files that draw on it)
    let db: string;
    ({ dir, db } = await scoredShop());
    const copy = (name: string) => {
      const path = join(dir, `${name}.duckdb`);
      copyFileSync(db, path);
      copyFileSync(`${db}.key`, `${path}.key`);
      return path;
    };
    twin = copy('twin');
    server = await openTestServer({ db: copy('served') });
    doc = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  }, 180_000);
  afterAll(async () => server?.close());

  it('the OpenAPI document gives both answers, the balance of a draw with its covariates among them', () => {
    const created = objectSchema(answerSchema('/api/audiences', '201'));
    expect(created, 'POST /api/audiences 201').toBeDefined();
    const balance = objectSchema(created!.properties!.balance)!;
    expect(Object.keys(balance.properties!)).toEqual(['method', 'preDays', 'preFrom', 'preTo', 'covariates', 'imbalanced', 'beyondChance', 'withoutHistory']);
    expect(Object.keys(balance.properties!.covariates!.items!.properties!)).toEqual(['name', 'treatment', 'control', 'smd', 'chance95', 'jointChance95', 'beyondChance', 'withheld']);
    expect(created!.properties!.notes).toBeDefined();
    expect(created!.properties!.warnings).toBeDefined();
    const plan = objectSchema(answerSchema('/api/playbook/run', '200'));
    expect(plan, 'POST /api/playbook/run 200').toBeDefined();
    const play = objectSchema(plan!.properties!.plays!.items)!;
    expect(objectSchema(play.properties!.balance)!.properties!.covariates).toBeDefined();
    expect(Object.keys(plan!.properties!)).toEqual(expect.arrayContaining(['scoresAsOf', 'warnings', 'notes']));
    expect(Object.keys(play.properties!)).toEqual(expect.arrayContaining(['play', 'audience', 'eligible', 'suppressed', 'treatment', 'control', 'skipped', 'balance', 'notes', 'export']));
  });

  it('each answer is the whole of what the route returned: createAudience and runPlaybook on a copy give the same, field for field, and the document describes every field', async () => {
    const marketer = sessionHeaders(await server.login('marketer'));
    const drawn = await server.app.inject({ method: 'POST', url: '/api/audiences', payload: { name: 'repeat', where: 'orders >= 2', holdout: 0.3, seed: 1, measureDays: 14 }, headers: marketer });
    expect(drawn.statusCode, drawn.body).toBe(201);
    const ran = await server.app.inject({ method: 'POST', url: '/api/playbook/run', payload: { seed: 3, budget: 400 }, headers: marketer });
    expect(ran.statusCode, ran.body).toBe(200);

    // the same calls the routes make, on the twin
    const { warehouse, keyring } = await openKeyedWarehouse({ db: twin, requireKey: true });
    const outDir = mkdtempSync(join(dir, 'plan-'));
    try {
      const access = { actor: 'marketer', role: 'marketer' } as const;
      const drawNotes: string[] = [];
      const summary = await createAudience(warehouse, { name: 'repeat', where: 'orders >= 2', holdout: 0.3, seed: 1, measureDays: 14, keyring, access, minGroupSize: 5, api: true, onNote: (n) => drawNotes.push(n) });
      const planNotes: string[] = [];
      const plan = await runPlaybook(warehouse, { playbook: loadPlaybook(), outDir, seed: 3, budget: 400, api: true, keyring, access, minGroupSize: 5, onNote: (n) => planNotes.push(n) });
      const plays = plan.plays.map((p) => ({ ...p, file: null, export: p.audience === null ? null : `/api/audiences/${encodeURIComponent(p.audience)}/export` }));

      expect(summary.balance).not.toBeNull();
      expect(drawn.json()).toEqual(wire({ ...summary, notes: drawNotes }));
      expect(plan.targeting).not.toBeNull(); // with a budget: what ranked the customers
      expect(plan.plays.filter((p) => p.balance !== null).length).toBeGreaterThanOrEqual(1);
      expect(ran.json()).toEqual(wire({ ...plan, plays, notes: planNotes, hint: null })); // a play was drawn: no hint
      // the notes also under the name the CLI's --json, plan.json and campaign evaluate give them (session 42, D2)
      expect(drawn.json().warnings).toEqual(drawNotes);
      expect(ran.json().warnings).toEqual(planNotes);
      expect(planNotes.length).toBeGreaterThan(0); // with a budget: what ranked the customers, at least
      expect(ran.json().scoresAsOf).toBe(summary.scoresAsOf);
      expect(ran.json().scoresAsOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);

      expect(undescribed(drawn.json(), answerSchema('/api/audiences', '201'))).toEqual([]);
      expect(undescribed(ran.json(), answerSchema('/api/playbook/run', '200'))).toEqual([]);
    } finally {
      await warehouse.close();
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 180_000);
});
