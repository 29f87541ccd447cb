/** TEMPORARY until the server skeleton (g19) declares it: the action a route requires, in its config. */
import type { Action } from '../../privacy/access/rbac.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    action?: Action;
  }
}
