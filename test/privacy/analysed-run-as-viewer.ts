/**
 * A synthetic shop in `dir` (transactions.csv, events.csv, customers.csv, as `generateShop` writes them) analysed by
 * the CLI into a warehouse file at minimum group size `k` (no cross-sell), and what it published: run.json,
 * report.html, and the answers of `routes` as a viewer reads them through the API of a server on that warehouse. For
 * the tests that look for a withheld count in every table of a run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { cli } from '../helpers/cli.js';
import { openTestServer } from '../server/server-fixture.js';

type Row = Record<string, any>;

export async function analysedRunAsViewer(dir: string, k: number, routes: readonly string[]): Promise<{ run: Row; html: string; api: Record<string, Row> }> {
  const db = join(dir, 'shop.duckdb');
  const out = join(dir, 'out');
  const analysed = await cli(['analyze', join(dir, 'transactions.csv'), '--events', join(dir, 'events.csv'), '--customers', join(dir, 'customers.csv'), '--db', db, '--out', out, '--skip-patterns', '--min-group-size', String(k), '--quiet']);
  expect(analysed.code, analysed.stderr).toBe(0);
  const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as Row;
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  const server = await openTestServer({ db });
  try {
    const token = await server.token('viewer');
    const api: Record<string, Row> = {};
    for (const url of routes) {
      const response = await server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
      expect(response.statusCode, response.body).toBe(200);
      api[url] = response.json() as Row;
    }
    return { run, html, api };
  } finally {
    await server.close();
  }
}
