import type { ServerApp } from '../server-app.js';
import type { ServerContext } from '../server-context.js';

/**
 * The read-only API routes of the dashboard (all GET; owned by the dashboard
 * work, wt-h19, which replaces this body). Each route declares
 * `config: { action }` — the privacy action its callers need.
 */
export async function registerReadRoutes(app: ServerApp, context: ServerContext): Promise<void> {
  void app;
  void context;
}
