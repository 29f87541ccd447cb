import { Type } from 'typebox';
import { CLVKIT_VERSION } from '../../core/version.js';
import type { ServerApp } from '../server-app.js';
import type { ServerContext } from '../server-context.js';

const Health = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String(),
  uptimeS: Type.Number(),
  warehouse: Type.Literal('ok'),
});

/** `GET /api/health`: the server answers and its warehouse answers a query (public; no data). */
export async function registerHealthRoute(app: ServerApp, context: ServerContext): Promise<void> {
  const started = Date.now();
  app.get('/api/health', { config: { action: 'public' }, schema: { summary: 'liveness and warehouse check', tags: ['server'], response: { 200: Health } } }, async () => {
    await context.warehouse.query('SELECT 1 AS one');
    return { status: 'ok' as const, version: CLVKIT_VERSION, uptimeS: Math.round((Date.now() - started) / 1000), warehouse: 'ok' as const };
  });
}
