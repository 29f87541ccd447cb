/** What a dashboard page is: a route, a title, the actions that open it, and how it renders. */
import type { Action } from '../../src/privacy/access/rbac.js';
import type { Me } from './api-client.js';
import type { PageEntry } from './page-catalogue.js';

export interface PageContext {
  readonly me: Me;
  /** the rest of the route after the page id, e.g. the token of `#/customers/c_…` */
  readonly rest: readonly string[];
  /** the query part of the route (`#/customers?stage=active`) */
  readonly params: URLSearchParams;
  /** go to another route, e.g. `navigate('/customers/c_…')` */
  navigate(route: string): void;
  /** true when the role may do `action` (the CLI's permission matrix) */
  can(action: Action): boolean;
}

export interface PageDefinition extends PageEntry {
  render(context: PageContext): Promise<HTMLElement | HTMLElement[]>;
}
