/**
 * The runs page's settings of a new analysis (web/src/run-options.ts), in Node. Regression: the page started every
 * run with an empty body and had no control for any setting, so a dashboard user told by a run's warning to send
 * `"holdoutDays": 17` or `"regularityCheck": false` could not. Every setting a run's words name (core/run-words.ts)
 * has a control, each control matches its field in /openapi.json (type, choices, limits), and only what the user set
 * is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_SETTING_FLAGS, type RunSetting } from '../../src/core/run-words.js';
import { refusedField, RUN_OPTIONS, runRequestBody } from '../../web/src/run-options.js';
import { openTestServer, type TestServer } from '../server/server-fixture.js';

interface FieldSchema {
  readonly type?: string;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly anyOf?: readonly { readonly enum?: readonly string[] }[];
}

describe('the settings the runs page sends', () => {
  it('sends only what is set, each as the API takes it', () => {
    expect(runRequestBody({})).toEqual({});
    expect(runRequestBody({ model: '', holdoutDays: ' ', grain: '', asOf: '', learnedTournament: false, regularityCheck: false, horizonMonths: '', discountRatePerYear: '', margin: '' })).toEqual({});
    expect(runRequestBody({ holdoutDays: '17', grain: 'order', regularityCheck: true, margin: '0.3', model: 'paretonbd', asOf: '2024-03-01', learnedTournament: true, horizonMonths: '24', discountRatePerYear: '0' })).toEqual({
      model: 'paretonbd',
      holdoutDays: 17,
      grain: 'order',
      asOf: '2024-03-01',
      learnedTournament: true,
      regularityCheck: false,
      horizonMonths: 24,
      discountRatePerYear: 0,
      margin: 0.3,
    });
  });

  it('has a control for every setting a run\'s warnings and hints name', () => {
    const settings = Object.keys(RUN_SETTING_FLAGS) as RunSetting[];
    expect(settings.filter((s) => !RUN_OPTIONS.some((o) => o.name === s))).toEqual([]);
  });

  it('reads the field a refusal names, when the form has it', () => {
    expect(refusedField('body field margin must be the share of revenue kept as margin, more than 0 and at most 1 (default 1) (got 0)')).toBe('margin');
    expect(refusedField('body field skipReport must be true or false (got 1)')).toBeNull();
    expect(refusedField('another analysis is running')).toBeNull();
  });
});

describe('the settings against POST /api/runs as /openapi.json describes it', () => {
  let server: TestServer;
  let fields: Record<string, FieldSchema>;
  beforeAll(async () => {
    server = await openTestServer();
    const doc = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, { post?: { requestBody: { content: Record<string, { schema: { properties: Record<string, FieldSchema> } }> } } }> };
    fields = doc.paths['/api/runs']!.post!.requestBody.content['application/json']!.schema.properties;
  });
  afterAll(async () => server?.close());

  it('each control is a field of the body, of its type, with its choices and limits', () => {
    for (const option of RUN_OPTIONS) {
      const field = fields[option.name];
      expect(field, option.name).toBeDefined();
      switch (option.kind) {
        case 'choice':
          expect(field!.anyOf!.map((a) => a.enum![0]), option.name).toEqual(option.choices.map((c) => c.value));
          break;
        case 'switch':
          expect(field!.type, option.name).toBe('boolean');
          break;
        case 'day':
          expect(field, option.name).toMatchObject({ type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
          break;
        default:
          expect(field!.type, option.name).toBe(option.kind);
          // the input's limits are the field's; an excluded limit is the server's to refuse, in its words
          expect(option.min, option.name).toBe(field!.minimum ?? field!.exclusiveMinimum);
          expect(option.max, option.name).toBe(field!.maximum ?? field!.exclusiveMaximum);
      }
    }
  });

  it('a body with every control set is taken (202), as the page builds it', async () => {
    const body = runRequestBody({ model: 'bgnbd', holdoutDays: '90', churnDays: '60', grain: 'order', asOf: '2024-03-01', learnedTournament: true, regularityCheck: true, horizonMonths: '6', discountRatePerYear: '0.05', margin: '0.4' });
    expect(Object.keys(body).sort()).toEqual(RUN_OPTIONS.map((o) => o.name).sort());
    const answer = await server.app.inject({ method: 'POST', url: '/api/runs', payload: { ...body, skipReport: true }, headers: { authorization: `Bearer ${await server.token('analyst')}` } });
    expect(answer.statusCode, answer.body).toBe(202);
  });
});
