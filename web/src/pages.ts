/** Every dashboard page, in navigation order. */
import type { PageDefinition } from './page.js';
import { overviewPage } from './pages/overview-page.js';
import { valuePage } from './pages/value-page.js';
import { modelPage } from './pages/model-page.js';
import { segmentsPage } from './pages/segments-page.js';
import { lifecyclePage } from './pages/lifecycle-page.js';
import { cohortsPage } from './pages/cohorts-page.js';
import { clustersPage } from './pages/clusters-page.js';
import { crossSellPage } from './pages/cross-sell-page.js';
import { eventsPage } from './pages/events-page.js';
import { customersPage } from './pages/customers-page.js';
import { audiencesPage } from './pages/audiences-page.js';
import { campaignsPage } from './pages/campaigns-page.js';
import { privacyPage } from './pages/privacy-page.js';
import { runsPage } from './pages/runs-page.js';
import { adminPage } from './pages/admin-page.js';

export const PAGES: readonly PageDefinition[] = [
  overviewPage,
  valuePage,
  modelPage,
  segmentsPage,
  lifecyclePage,
  cohortsPage,
  clustersPage,
  crossSellPage,
  eventsPage,
  customersPage,
  audiencesPage,
  campaignsPage,
  privacyPage,
  runsPage,
  adminPage,
];
