/**
 * The dashboard as people use it: the server on an analysed synthetic shop
 * (users of each role added by the CLI), headless Chromium logging in as each
 * role through the login form and visiting every page. Checked: no console
 * error, no page error, no failed request, no request to another host; what
 * each role may see (pages it may not use are missing from the navigation
 * and say "not permitted"); charts drawn with a data-table fallback; PII
 * masked in the customer 360; keyboard (skip link), narrow layout and print.
 * Screenshots under test-output/dashboard/ (every page once, as the first
 * role that may use it sees it).
 *
 * One browser context per role, logged in through the form by the role's own
 * test and reused by the later tests of that role (a context, a first load of
 * the 800 kB bundle and a login cost ~3 CPU s of Chromium each: 14 of them
 * were most of this file's cost). Each test puts back what it changes on the
 * page (routes, listeners, viewport, media) and every visit draws its page
 * afresh, so a test sees what a fresh login would show.
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, ROLES, type Role } from '../../src/privacy/access/rbac.js';
import { declaredRoutes } from '../../src/server/create-server.js';
import { formatMoney } from '../../src/report/format-number.js';
import { linkedCellsClause } from '../../src/report/suppressed-values.js';
import { prospectsBesideBuyersTotal } from '../../src/report/prospects-value.js';
import type { ClustersResponse, EventsSummaryResponse, ModelCardResponse, OverviewResponse } from '../../src/server/routes/read-api-types.js';
import { PAGE_CATALOGUE as PAGES, pageAllowed } from '../../web/src/page-catalogue.js';
import { fixtureChurn } from '../report/report-fixture.js';
import { ensureDashboardBuilt } from './build-dashboard.js';
import { dashboardPassword, openServedShop, type ServedShop } from './served-shop.js';

const CHROMIUM = '/usr/bin/chromium';
const OUT = resolve('test-output/dashboard');
const present = existsSync(CHROMIUM);
if (!present && process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must run the dashboard browser test (apt-get install -y chromium)`);
if (!present) console.warn(`dashboard browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium); in CI it must run`);

/** the viewport of every page (the narrow-screen test narrows the marketer's for a while) */
const VIEWPORT = { width: 1280, height: 900 };

/** API routes a page calls when it opens (routes of the server-core work; a page whose routes are not registered yet is reported, not visited). */
const PAGE_ROUTES: Readonly<Record<string, readonly string[]>> = { runs: ['/api/runs'], audiences: ['/api/audiences'], admin: ['/api/users', '/api/tokens'] };

describe.skipIf(!present)('dashboard in headless Chromium, every role, every page', () => {
  let shop: ServedShop;
  let browser: Browser;
  let origin: string;
  let pending: string[] = [];
  const problems: string[] = [];
  /** pages already saved as a screenshot (each page once: the pictures of one page for several roles differ only in the navigation) */
  const shot = new Set<string>();
  /** the logged-in page of each role (see the file's comment) */
  const sessions = new Map<Role, Page>();

  beforeAll(async () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    // Chromium starts while the dashboard is built and the shop analysed (seconds of its start were spent waiting after them);
    // kept in `browser` as soon as it runs, so afterAll closes it also when the shop fails
    const launched = chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    }).then((started) => (browser = started));
    launched.catch(() => {}); // awaited below: a failure of the build or the shop first must not leave it unhandled
    await ensureDashboardBuilt();
    shop = await openServedShop({ customers: 250, events: true });
    origin = (await shop.app.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
    const registered = new Set(declaredRoutes(shop.app).filter((r) => r.method === 'GET').map((r) => r.url));
    pending = Object.entries(PAGE_ROUTES).filter(([, urls]) => urls.some((u) => !registered.has(u))).map(([id]) => id);
    if (pending.length > 0) console.warn(`pages whose API routes are not registered yet (not visited): ${pending.join(', ')}`);
    await launched;
  }, 300_000);

  afterAll(async () => {
    for (const page of sessions.values()) await page.context().close();
    await browser?.close();
    await shop?.close();
  });

  /** A fresh browser context (its own cookies) watching for every kind of trouble. */
  async function openPage(role: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() !== 'error' && m.type() !== 'warning') return;
      // the one expected answer: GET /api/me before logging in (no session yet) is a 401
      if (m.text().includes('401') && m.location().url === `${origin}/api/me`) return;
      problems.push(`${role}: console ${m.type()}: ${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => problems.push(`${role}: page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`${role}: request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(`${origin}/`) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) problems.push(`${role}: request to another host: ${r.url()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !(r.status() === 401 && r.url() === `${origin}/api/me`)) problems.push(`${role}: ${r.status()} for ${r.request().method()} ${r.url()}`);
    });
    return { context, page };
  }

  /** Logs in through the form; the login view passes the accessibility checks first. */
  async function logIn(page: Page, role: Role): Promise<void> {
    await page.goto(`${origin}/`);
    await expect.poll(() => page.locator('main h1').textContent(), { timeout: 20_000 }).toBe('Log in to clvkit');
    expect(await accessibilityProblems(page, `login (${role})`)).toEqual([]);
    await page.getByLabel('User name').fill(role);
    await page.getByLabel('Password').fill(dashboardPassword(role));
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.locator('.whoami').textContent(), { timeout: 20_000 }).toContain(role);
  }

  /** The page of `role`, logged in (the first call opens its context and logs in through the form). */
  async function pageOf(role: Role): Promise<Page> {
    let page = sessions.get(role);
    if (!page) {
      page = (await openPage(role)).page;
      sessions.set(role, page);
      await logIn(page, role);
    }
    return page;
  }

  /**
   * Opens a page by its address, drawn afresh (as after a login: also when it is the page shown, as a page
   * reused from an earlier test may be), and waits until it has rendered (no "Loading…").
   */
  async function visit(page: Page, route: string): Promise<void> {
    // the app draws the page on 'hashchange' (the "Loading…" placeholder at once): resolved after its listener ran
    await page.evaluate(`new Promise((resolve) => {
      const target = ${JSON.stringify(`#/${route}`)};
      addEventListener('hashchange', () => resolve(), { once: true });
      if (location.hash === target) dispatchEvent(new HashChangeEvent('hashchange'));
      else location.hash = target;
    })`);
    // checked in the page on every frame (it was two round trips from here every 50 ms)
    // a function, not a string: the page's Content-Security-Policy refuses eval (security-headers.test.ts)
    await page.waitForFunction(
      () => {
        const { document } = globalThis as unknown as { document: { querySelector(selector: string): unknown; querySelectorAll(selector: string): { length: number } } };
        return !document.querySelector('main .loading') && document.querySelectorAll('main h1').length === 1;
      },
      undefined,
      { polling: 'raf', timeout: 30_000 },
    );
    // charts are drawn on the next animation frame: two frames later every chart of the page has been drawn
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
  }

  /**
   * Accessibility checks of the page shown, axe-like and cheap (one evaluate
   * and one key press): every chart and image has a name, every form field a
   * label, every button a name, every table a caption, one h1 and no heading
   * level skipped; the first control of the content shows a focus outline
   * when reached by the keyboard.
   */
  async function accessibilityProblems(page: Page, where: string): Promise<string[]> {
    const found = (await page.evaluate(`(() => {
      const out = [];
      const text = (el) => (el ? (el.textContent || '').trim() : '');
      const named = (el) => (el.getAttribute('aria-label') || '').trim() !== '' || (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean).some((id) => text(document.getElementById(id)) !== '');
      const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '');
      const main = document.querySelector('main');
      for (const el of main.querySelectorAll('[role=img], .chart')) if (el.getAttribute('role') !== 'img' || !named(el)) out.push('chart or image without a name: ' + describe(el));
      for (const el of main.querySelectorAll('img')) if (!el.hasAttribute('alt') && !named(el)) out.push('img without alt: ' + describe(el));
      for (const el of main.querySelectorAll('svg')) if (!el.closest('[role=img]') && el.getAttribute('aria-hidden') !== 'true' && !named(el)) out.push('svg without a name: ' + describe(el));
      for (const el of main.querySelectorAll('input, select, textarea')) {
        if (el.type === 'hidden') continue;
        if (!(el.labels && [...el.labels].some((l) => text(l) !== '')) && !named(el)) out.push('field without a label: ' + describe(el) + '[name=' + el.getAttribute('name') + ']');
      }
      for (const el of main.querySelectorAll('button, a[href]')) if (text(el) === '' && !named(el)) out.push('control without a name: ' + describe(el));
      for (const el of main.querySelectorAll('table')) if (text(el.querySelector('caption')) === '' && !named(el)) out.push('table without a caption');
      const headings = [...main.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter((el) => el.getClientRects().length > 0 || el.closest('details'));
      if (headings.filter((el) => el.tagName === 'H1').length !== 1) out.push('h1 count ' + headings.filter((el) => el.tagName === 'H1').length);
      let level = 0;
      for (const el of headings) {
        const next = Number(el.tagName[1]);
        if (next > level + 1) out.push('heading level skipped: h' + level + ' then h' + next + ' "' + text(el).slice(0, 40) + '"');
        level = next;
      }
      return out;
    })()`)) as string[];
    await page.locator('main').focus();
    await page.keyboard.press('Tab');
    const focus = (await page.evaluate(`(() => {
      const el = document.activeElement;
      if (!el || !document.querySelector('main').contains(el)) return null;
      const style = getComputedStyle(el);
      return { what: el.tagName.toLowerCase() + ' ' + (el.textContent || '').trim().slice(0, 30), visible: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none' };
    })()`)) as { what: string; visible: boolean } | null;
    if (focus && !focus.visible) found.push(`focus not visible on ${focus.what}`);
    return found.map((f) => `${where}: ${f}`);
  }

  for (const role of ROLES) {
    it(`${role}: logs in, sees exactly the pages the role may use, each renders without error`, async () => {
      // logged in here through the form: the role's page for the later tests (see the file's comment)
      const { page } = await openPage(role);
      await sessions.get(role)?.context().close();
      sessions.set(role, page);
      await logIn(page, role);
      const allowed = PAGES.filter((p) => pageAllowed(p, role));
      const nav = await page.locator('nav.sidenav a').allTextContents();
      expect(nav).toEqual(allowed.map((p) => p.title));
      for (const definition of PAGES) {
        if (pending.includes(definition.id)) continue;
        await visit(page, definition.id);
        const main = page.locator('main');
        await expect.poll(() => main.locator('h1').textContent()).toBe(definition.title);
        if (!allowed.includes(definition)) {
          expect(await main.textContent(), `${role} ${definition.id}`).toContain('Not permitted');
          continue;
        }
        expect(await main.locator('.notice-error').allTextContents(), `${role} ${definition.id}`).toEqual([]);
        // every chart drawn (its first svg over 100 px each way) and named: read in one evaluate (three round trips a chart were most of a page's checks)
        const charts = (await page.evaluate(`[...document.querySelectorAll('main .chart')].map((chart) => {
          const svg = chart.querySelector('svg');
          const box = svg ? svg.getBoundingClientRect() : null;
          return { id: chart.id, drawn: box !== null && box.width > 100 && box.height > 100, labelledBy: chart.getAttribute('aria-labelledby') };
        })`)) as { id: string; drawn: boolean; labelledBy: string | null }[];
        for (const chart of charts) {
          expect(chart.drawn, `${role} ${definition.id} ${chart.id}`).toBe(true);
          expect(chart.labelledBy, chart.id).toBeTruthy();
        }
        // every chart has its numbers as a table: inside the figure (collapsible) or right after it
        const withoutTable = await page.evaluate(`[...document.querySelectorAll('main figure')].filter((f) => !f.querySelector('details.data-table table') && !(f.nextElementSibling && f.nextElementSibling.matches('.table-wrap'))).map((f) => f.querySelector('.chart').id)`);
        expect(withoutTable, `${role} ${definition.id}`).toEqual([]);
        expect(await accessibilityProblems(page, `${role} ${definition.id}`)).toEqual([]);
        if (!shot.has(definition.id)) {
          shot.add(definition.id);
          await page.screenshot({ path: join(OUT, `${role}-${definition.id}.png`) });
        }
      }
      // a viewer opening the customer list by its address is refused by the page, and by the API
      if (!can(role, 'view_tokens')) {
        const response = await page.request.get(`${origin}/api/customers`);
        expect(response.status()).toBe(403);
        problems.splice(problems.findIndex((p) => p.includes('403 for GET') && p.includes('/api/customers')), 1);
      }
      expect(problems).toEqual([]);
    }, 120_000);
  }

  it('customer 360 for an analyst: search by token prefix, open the customer, PII masked, no reveal link', async () => {
    const page = await pageOf('analyst');
    await visit(page, 'customers');
    const first = page.locator('main table a.token').first();
    const token = (await first.textContent())!;
    expect(token).toMatch(/^c_[a-z2-7]{26}$/);
    await page.getByLabel('Customer (token or id)').fill(token.slice(0, 10));
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.locator('main table a.token').first().textContent()).toBe(token);
    await page.locator('main table a.token').first().click();
    await expect.poll(() => page.locator('main h2').first().textContent(), { timeout: 20_000 }).toBe(`Customer ${token}`);
    const pii = await page.locator('main table:has(caption:text("Personal data")) td').allTextContents();
    expect(pii.some((cell) => /^[a-z]\*\*\*@example\.(org|com|net)$/.test(cell))).toBe(true);
    expect(pii.join(' ')).not.toMatch(/[a-z]{2,}\.[a-z]+\.\d{6}@example/); // no raw address
    expect(await page.locator('main').textContent()).not.toContain('Show raw personal data');
    await page.screenshot({ path: join(OUT, 'analyst-customer-360.png'), fullPage: true });
    expect(await accessibilityProblems(page, 'analyst customer 360')).toEqual([]);
    expect(problems).toEqual([]);
  }, 90_000);

  it('events: the funnel chart, funnel tables by group with 95% intervals, stitching, the lifecycle cross-table, buyer types and prospects of the run; a run without events says how to load them', async () => {
    const page = await pageOf('marketer');
    try {
      const summary = (await (await page.request.get(`${origin}/api/events-summary`)).json()) as EventsSummaryResponse;
      const events = summary.events!;
      expect(events, 'the fixture ingests events').not.toBeNull();
      await visit(page, 'events');
      const main = page.locator('main');
      const kpi = async (label: string) => (await main.locator(`.kpi:has(dt:text-is("${label}")) .kpi-value`).textContent())?.trim();
      expect(await kpi('sessions')).toBe(events.stitching.sessions.toLocaleString('en-US'));
      expect(await kpi('sessions stitched')).toBe(events.stitching.sessionsStitched.toLocaleString('en-US'));
      expect(await kpi('prospects')).toBe(events.prospects.prospects.toLocaleString('en-US'));
      expect(await main.locator('#chart-funnel svg').count()).toBe(1);
      expect(await main.locator('#chart-funnel').getAttribute('role')).toBe('img');
      // the funnel by group: one table per breakdown the run has, each row a published row, rates with their interval or "suppressed"
      for (const [key, label] of [['bySegment', 'segment'], ['byStage', 'lifecycle stage'], ['byChannel', 'acquisition channel']] as const) {
        const rows = events.funnels[key];
        if (rows.length === 0) continue;
        const table = main.locator(`table:has(caption:text-is("Funnel by ${label} (95% Wilson intervals)"))`);
        expect(await table.locator('tbody th[scope=row]').allTextContents(), key).toEqual(rows.map((r) => r.group));
        const converted = await table.locator('tbody tr td:nth-child(7)').allTextContents();
        rows.forEach((r, i) => expect(converted[i], `${key} ${r.group}`).toMatch(r.conversionRate === null ? /^suppressed$/ : /^\d+\.\d% \(\d+\.\d%–\d+\.\d%\)$/));
      }
      // the cross-table's caption, with why cells are hidden when some are (linkedCellsClause, as the report's)
      const crossCaption = (await main.locator('caption').allTextContents()).find((c) => c.startsWith('Customers by browse stage (rows) and purchase lifecycle stage (columns)'));
      const marks = events.onlineLifecycle.crossTable.map((c) => c.suppression ?? (c.customers === null ? 'small-group' : null));
      expect(crossCaption).toBe(`Customers by browse stage (rows) and purchase lifecycle stage (columns)${linkedCellsClause(marks, summary.run.minGroupSize)}`);
      expect(await kpi('impulsive buyers')).toBe(events.buyerTypes!.customers.impulsive.toLocaleString('en-US'));
      expect(await main.textContent()).toContain('expected first-year value');
      await page.screenshot({ path: join(OUT, 'marketer-events.png'), fullPage: true });
      expect(await accessibilityProblems(page, 'marketer events')).toEqual([]);

      // a run whose buyer types were not measured (no session belongs to a customer): the reason alone, no zero counts
      const reason = 'no session belongs to a customer';
      await page.route('**/api/events-summary', (route) => route.fulfill({ json: { ...summary, events: { ...events, buyerTypes: null, unavailable: { purchases: reason, buyerTypes: reason } } } }));
      await visit(page, 'overview');
      await visit(page, 'events');
      expect(await main.textContent()).toContain(`Buyer types not measured: ${reason}.`);
      expect(await main.locator('.kpi:has(dt:text-is("impulsive buyers"))').count()).toBe(0);
      await page.unroute('**/api/events-summary');

      // the same page for a run without events (the answer of such a run, served to this page only)
      await page.route('**/api/events-summary', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ...summary, events: null }) }));
      await visit(page, 'overview');
      await visit(page, 'events');
      expect(await main.locator('h2').allTextContents()).toEqual(['No events ingested']);
      expect(await main.locator('pre code').textContent()).toBe('POST /api/events  (a JSON array of events)\nclvkit ingest FILE --kind events --db WAREHOUSE  (the warehouse this server serves)');
      expect(await main.locator('.chart').count()).toBe(0);
    } finally {
      await page.unroute('**/api/events-summary');
    }
    expect(problems).toEqual([]);
  }, 90_000);

  it('a run whose honest tournament’s winner rewrote the scores, with more warnings than a page shows: the overview names the winner beside the predicted value and lists every warning; the value model card names who produced each figure and carries the report’s tracking explanation', async () => {
    const page = await pageOf('viewer');
    try {
      const overview = (await (await page.request.get(`${origin}/api/overview`)).json()) as OverviewResponse;
      const card = (await (await page.request.get(`${origin}/api/model-card`)).json()) as ModelCardResponse;
      expect(overview.valueModel?.totalPredicted, 'the fixture run has a predicted value').toBeGreaterThan(0);
      // the answers of such a run (the served run's, rewritten by MBG/CNBD-6 as test/dashboard/value-model-view's CLI run is), served to these pages only
      const valueModel = overview.valueModel!;
      const warnings = Array.from({ length: 7 }, (_, i) => `warning ${i + 1} of the run`);
      const scoresNote = 'Here the honest tournament (Churn early warning) chose MBG/CNBD-6 over it, so MBG/CNBD-6 scored the customers’ P(alive), expected purchases, predicted CLV and next-order dates instead.';
      const rewritten: OverviewResponse = { ...overview, run: { ...overview.run, warnings }, valueModel: { ...valueModel, scores: { label: 'MBG/CNBD-6', pAlive: 'MBG/CNBD-6', valueModel: valueModel.label, rewritten: true }, scoresNote } };
      const intervalsSkipped = `no intervals: MBG/CNBD-6, the honest tournament's choice, rewrote the predictions, and the intervals described ${valueModel.label}'s parameter uncertainty, not MBG/CNBD-6's`;
      const modelCard = { ...card.modelCard!, clv: { ...card.modelCard!.clv!, intervalsSkipped } };
      const churn = { ...fixtureChurn(), scores: { label: 'MBG/CNBD-6', note: "customer_scores carry MBG/CNBD-k's predictions (k = 6)", k: 6 } };
      await page.route('**/api/overview', (route) => route.fulfill({ json: rewritten }));
      await page.route('**/api/segments', async (route) => route.fulfill({ json: { ...(await (await route.fetch()).json()), run: rewritten.run } }));
      await page.route('**/api/model-card', (route) => route.fulfill({ json: { ...card, run: rewritten.run, modelCard, churn } }));

      await visit(page, 'value'); // the overview, shown since the login, is drawn afresh with the answer above
      await visit(page, 'overview');
      const main = page.locator('main');
      const tile = main.locator(`.kpi:has(dt:text-is("predicted value, ${valueModel.horizonMonths} months"))`);
      expect(await tile.locator('.kpi-value').textContent()).toBe(formatMoney(valueModel.totalPredicted!));
      // the served shop has prospects: the total is the buyers' (prospectsBesideBuyersTotal, as the report's)
      const prospectsClause = prospectsBesideBuyersTotal(overview.prospects);
      expect(prospectsClause, 'the fixture run has prospects').not.toBe('');
      expect(await tile.locator('.kpi-note').textContent()).toBe(`MBG/CNBD-6’s predictions (the honest tournament’s choice), ${prospectsClause}`);
      // the average order beside net revenue says it is gross, as the CLI and the report do
      expect(await main.locator('.kpi:has(dt:text-is("average order value")) .kpi-note').textContent()).toBe('before returns: gross purchases ÷ orders');
      expect(await main.locator('section:has(h2:text-is("Value model")) p').allTextContents()).toEqual([`${valueModel.label} was chosen: ${valueModel.reason}`, scoresNote, 'Open the value model card']);
      // every warning, listed once under its heading (not also as notices under the run note)
      expect(await main.locator('section:has(h2:text-is("Warnings of this run")) li').allTextContents()).toEqual(warnings);
      expect(await main.locator('p.notice').allTextContents()).toEqual([]);
      expect(await accessibilityProblems(page, 'viewer overview with warnings')).toEqual([]);

      // another page: the first five under its run note, and where the rest are
      await visit(page, 'segments');
      expect(await main.locator('p.notice').allTextContents()).toEqual([...warnings.slice(0, 5), '2 more warnings of this run: see the overview.']);

      await visit(page, 'model');
      expect(await main.locator('p.scores-model').textContent()).toBe(scoresNote);
      const row = async (part: string) => main.locator(`table:has(caption:text-is("Final parameters")) tr:has(th:text-is("${part}")) td`).textContent();
      expect(await row('CLV')).toContain(`; total predicted ${formatMoney(modelCard.clv.totalPredicted!)}, MBG/CNBD-6’s predictions (${intervalsSkipped}: the customers’ CLV intervals are empty for buyers)`);
      expect(await row('final fit')).toMatch(/ \(the value model; the customers’ predictions are MBG\/CNBD-6’s\)$/);
      expect(await main.locator('#chart-tracking-caption').textContent()).toMatch(/After the calibration end the model forecasts [\d,]+ repeat purchases against [\d,]+ actual \([+-][\d.]+%\)\. This curve is the model’s forecast for the customer base knowing only when each customer first bought; the holdout figures above and the chart by calibration frequency are conditional forecasts, from each customer’s own purchases so far \(as the customers’ scores are\), so their holdout totals differ\.$/);
      expect(await main.locator('#chart-p-alive-caption').textContent()).toContain(`These show ${valueModel.label}’s P(alive) (the value model); the customers’ P(alive) is MBG/CNBD-6’s.`);
      const churnCard = await main.locator('section:has(h2:text-is("Churn early warning")) > p').allTextContents();
      expect(churnCard[0]).toMatch(/ for 1 − P\(alive\) of MBG\/CNBD-6\.$/);
      expect(churnCard[1]).toBe("Scores: customer_scores carry MBG/CNBD-k's predictions (k = 6).");
      await page.screenshot({ path: join(OUT, 'viewer-model-rewritten-scores.png'), fullPage: true });
      expect(await accessibilityProblems(page, 'viewer model card, rewritten scores')).toEqual([]);

      // a run whose learned model lost to BG/NBD's P(no purchase), its intervals withheld: its row in the churn table, n/a and why, and whose score the customers carry
      const v = churn.churn!.validation;
      const reason = "BG/NBD's probability of no purchase in the next 90 days: the learned churn model did not rank the validation window better than P(no purchase in the next 90 days) of BG/NBD (AUC 0.760 against 0.780)";
      const noPurchase = { ...v.btydOneMinusPAlive, auc: 0.78, aucInterval: [null, null], aucIntervalSkipped: 'withheld: too few churners' };
      const lost = { ...churn, churn: { ...churn.churn, source: 'btyd-no-purchase', sourceModel: 'BG/NBD', sourceReason: reason, validation: { ...v, pAliveModel: 'BG/NBD', btydNoPurchase: noPurchase } } };
      await page.unroute('**/api/model-card');
      await page.route('**/api/model-card', (route) => route.fulfill({ json: { ...card, run: rewritten.run, modelCard, churn: lost } }));
      await visit(page, 'overview');
      await visit(page, 'model');
      const churnSection = main.locator('section:has(h2:text-is("Churn early warning"))');
      expect(await churnSection.locator('table:has(caption:text-matches("^Churn in the next 90 days")) tbody tr th, table:has(caption:text-matches("^Churn in the next 90 days")) tbody tr td').allTextContents()).toEqual(
        ['learned (gradient-boosted trees)', '0.760 [0.740, 0.780]', '0.860 [0.840, 0.880]', '0.110', 'P(no purchase in the next 90 days) of BG/NBD', '0.780 (interval n/a)', '0.790 [0.770, 0.810]', '0.128', '1 − P(alive) of BG/NBD', '0.690 [0.670, 0.710]', '0.790 [0.770, 0.810]', '0.128'],
      );
      const lostCard = await churnSection.locator('> p').allTextContents();
      expect(lostCard).toContain('P(no purchase in the next 90 days) of BG/NBD AUC interval: withheld: too few churners.');
      expect(lostCard).toContain(`The customers’ churn probability is ${reason}; no per-customer drivers are given.`);
      expect(await accessibilityProblems(page, 'viewer model card, churn probability from BTYD')).toEqual([]);
    } finally {
      await page.unrouteAll();
    }
    expect(problems).toEqual([]);
  }, 90_000);

  it('clusters of a run without order values: no historic value column (it said "suppressed" for every cluster), the features left out named in the method text', async () => {
    const page = await pageOf('viewer');
    try {
      const served = (await (await page.request.get(`${origin}/api/clusters`)).json()) as ClustersResponse;
      const clusters = served.clusters!;
      expect(clusters.clusters.length, 'the fixture run has clusters').toBeGreaterThan(1);
      // the answer of a frequency-only run: no cluster has a value (the features as the served run's, less net spend)
      const method = `${clusters.method}; left out, the same for every customer: basket_size (1), product_diversity (0)`;
      const withoutValues = { ...served, clusters: { ...clusters, method, clusters: clusters.clusters.map((c) => ({ ...c, value: null })) } };
      await page.route('**/api/clusters', (route) => route.fulfill({ json: withoutValues }));
      await visit(page, 'clusters');
      const main = page.locator('main');
      const table = main.locator('table:has(caption:text-is("Cluster means in their own units"))');
      expect(await table.locator('thead th').allTextContents()).toEqual(['cluster', 'customers', ...clusters.features]);
      // each row: its size and feature means, no value cell (a cluster under k says 'suppressed' in each)
      for (const [i, c] of clusters.clusters.entries()) {
        expect(await table.locator(`tbody tr:nth-child(${i + 1}) td`).allTextContents(), c.name).toHaveLength(1 + clusters.features.length);
      }
      expect(await main.locator('section:has(h2:text-is("Cluster profiles")) > p').first().textContent()).toContain('; left out, the same for every customer: basket_size (1), product_diversity (0)');
    } finally {
      await page.unrouteAll();
    }
    expect(problems).toEqual([]);
  }, 60_000);

  it('users and tokens: an admin adds a user (who can then log in), creates a token shown once (it authenticates), revokes it (refused since) and deletes the user', async () => {
    expect(pending).not.toContain('admin');
    const page = await pageOf('admin');
    await visit(page, 'admin');
    const users = page.locator('main table:has(caption:text-is("Users"))');
    await expect.poll(() => users.locator('tbody th[scope=row]').allTextContents(), { timeout: 20_000 }).toContain('admin');
    await page.getByLabel('New user name').fill('browser-viewer');
    await page.getByLabel('Role of the new user').selectOption('viewer');
    await page.getByLabel('Password of the new user').fill('browser-viewer-password');
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect.poll(() => users.locator('tbody th[scope=row]').allTextContents(), { timeout: 20_000 }).toContain('browser-viewer');
    expect(await users.locator('tr:has(th:text-is("browser-viewer")) td').first().textContent()).toBe('viewer');
    const login = await fetch(`${origin}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'browser-viewer', password: 'browser-viewer-password' }) });
    expect(login.status).toBe(200);

    await page.getByLabel('Token name').fill('browser-token');
    await page.getByLabel('Role of the token').selectOption('analyst');
    await page.getByLabel('Expires after (days)').fill('30');
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect.poll(() => page.getByLabel('New token').inputValue(), { timeout: 20_000 }).not.toBe('');
    const token = await page.getByLabel('New token').inputValue();
    const tokens = page.locator('main table:has(caption:text-is("API tokens"))');
    await expect.poll(() => tokens.locator('tr:has(td:text-is("browser-token")) td').allTextContents(), { timeout: 20_000 }).toContain('active');
    const bearer = { authorization: `Bearer ${token}` };
    expect((await fetch(`${origin}/api/runs`, { headers: bearer })).status).toBe(200);
    await page.screenshot({ path: join(OUT, 'admin-users-tokens.png'), fullPage: true });

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Revoke token browser-token' }).click();
    await expect.poll(() => tokens.locator('tr:has(td:text-is("browser-token")) td').allTextContents(), { timeout: 20_000 }).toContain('revoked');
    expect((await fetch(`${origin}/api/runs`, { headers: bearer })).status).toBe(401);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete user browser-viewer' }).click();
    await expect.poll(() => users.locator('tbody th[scope=row]').allTextContents(), { timeout: 20_000 }).not.toContain('browser-viewer');
    expect(await accessibilityProblems(page, 'admin users and tokens')).toEqual([]);
    expect(problems).toEqual([]);
  }, 90_000);

  it('runs: an analyst starts an analysis, follows its progress through the run\'s server-sent events and cancels it; when the stream fails the page polls; a viewer sees the list without the controls', async () => {
    const page = await pageOf('analyst');
    const listCalls: string[] = [];
    const streams: string[] = [];
    /** run streams the server has not ended yet (one left open would be aborted when the page is closed: a failed request) */
    const openStreams = new Set<unknown>();
    const settled = (r: unknown) => openStreams.delete(r);
    const requested = (r: Request) => {
      if (/^\/api\/runs\/[^/]+\/events$/.test(new URL(r.url()).pathname)) openStreams.add(r);
      const path = new URL(r.url()).pathname;
      if (r.method() === 'GET' && path === '/api/runs') listCalls.push(path);
      if (/^\/api\/runs\/[^/]+\/events$/.test(path)) streams.push(path);
    };
    page.on('requestfinished', settled);
    page.on('requestfailed', settled);
    page.on('request', requested);
    try {
      await visit(page, 'runs');
      const holder = page.locator('main .runs-holder');
      const before = Number(await holder.getAttribute('data-sse-messages'));
      await page.getByRole('button', { name: 'Start an analysis' }).click();
      await expect.poll(() => page.locator('main .run-status.run-running').count(), { timeout: 20_000 }).toBe(1);
      await expect.poll(() => page.locator('main .run-status.run-running').textContent(), { timeout: 30_000 }).toMatch(/running: .*[1-9]\d* stages? done/);
      expect(await holder.getAttribute('data-live')).toBe('sse');
      expect(streams).toHaveLength(1);
      // the progress came through the stream: messages counted, and the list was not polled (the page opening and the start only)
      expect(Number(await holder.getAttribute('data-sse-messages'))).toBeGreaterThan(before + 1);
      expect(listCalls.length).toBeLessThanOrEqual(2);
      expect(await page.locator('main .run-stages li.stage-done').count()).toBeGreaterThanOrEqual(1);
      await page.getByRole('button', { name: /^Cancel/ }).click();
      await expect.poll(() => page.locator('main .run-status').first().textContent(), { timeout: 90_000 }).toBe('cancelled');
      // every progress event of the run and its end arrived as one stream message each
      const runId = (await page.locator('main tbody tr th').first().textContent())!;
      const ended = (await (await page.request.get(`${origin}/api/runs/${runId}`)).json()) as { status: string; progress: unknown[] };
      expect(ended.status).toBe('cancelled');
      await expect.poll(() => page.locator('main .notice').allTextContents()).toContain(`Run ${runId} cancelled.`);
      expect(Number(await holder.getAttribute('data-sse-messages')) - before).toBe(ended.progress.length + 1);
      expect(await holder.getAttribute('data-live')).toBe('idle');
      expect(streams).toHaveLength(1);
      await page.screenshot({ path: join(OUT, 'analyst-runs-cancelled.png') });

      // a stream that fails (here: answered 503): the page falls back to polling the list, progress still shows, cancel still works
      await page.route('**/api/runs/*/events', (route) => route.fulfill({ status: 503, contentType: 'text/plain', body: 'no streams here' }));
      await page.getByRole('button', { name: 'Start an analysis' }).click();
      await expect.poll(() => holder.getAttribute('data-live'), { timeout: 20_000 }).toBe('polling');
      await expect.poll(() => page.locator('main .run-status.run-running').textContent(), { timeout: 30_000 }).toMatch(/running: .*[1-9]\d* stages? done/);
      await page.getByRole('button', { name: /^Cancel/ }).click();
      await expect.poll(() => page.locator('main .run-status').first().textContent(), { timeout: 90_000 }).toBe('cancelled');
      const polledId = (await page.locator('main tbody tr th').first().textContent())!;
      await expect.poll(() => page.locator('main .notice').allTextContents()).toContain(`Run ${polledId} cancelled.`);
      await page.unroute('**/api/runs/*/events');
      // a cancelled run's stream ends when its stage stops (seconds on a loaded machine): it ends by itself before the page is closed
      await expect.poll(() => openStreams.size, { timeout: 60_000 }).toBe(0);
      // the refused stream is the one expected error: its answer and the browser's console line about it
      for (const expected of [/503 for GET .*\/api\/runs\/[^/]+\/events$/, /console error: .*503.*\/api\/runs\/[^/]+\/events\)$/]) {
        const refused = problems.findIndex((p) => expected.test(p));
        expect(refused, `${expected}: ${problems.join('\n')}`).toBeGreaterThanOrEqual(0);
        problems.splice(refused, 1);
      }
      // an EventSource answered with another status than 200 "fails the connection": the browser cancels the load at once, so the
      // refused stream's short body may or may not finish arriving first (on a loaded machine it often does not: ERR_ABORTED).
      // That one request may end either way; any other failed request is still a problem.
      const refusedStream = `${origin}/api/runs/${polledId}/events`;
      const aborted = problems.indexOf(`analyst: request failed: ${refusedStream} net::ERR_ABORTED`);
      if (aborted >= 0) problems.splice(aborted, 1);
    } finally {
      await page.unrouteAll();
      page.off('requestfinished', settled).off('requestfailed', settled).off('request', requested);
    }
    const viewer = await pageOf('viewer');
    await visit(viewer, 'runs');
    expect(await viewer.locator('main .run-status').count()).toBe(3);
    expect(await viewer.getByRole('button', { name: 'Start an analysis' }).count()).toBe(0);
    expect(problems).toEqual([]);
  }, 180_000);

  it('runs: the settings of a new run — an analyst sets some, the page sends exactly those; a refusal shows the API\'s message and hint apart and marks the field (it started every run with {})', async () => {
    const page = await pageOf('analyst');
    const streams = new Set<unknown>();
    const settled = (r: unknown) => streams.delete(r);
    const requested = (r: Request) => {
      if (/^\/api\/runs\/[^/]+\/events$/.test(new URL(r.url()).pathname)) streams.add(r);
    };
    page.on('requestfinished', settled);
    page.on('requestfailed', settled);
    page.on('request', requested);
    const posted = () => page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/runs');
    try {
      await visit(page, 'runs');
      const main = page.locator('main');
      await main.getByText('Settings of the run').click();
      // the controls are named as the API's fields, which the run's warnings name
      for (const field of ['model', 'holdoutDays', 'grain', 'asOf', 'learnedTournament', 'regularityCheck', 'horizonMonths', 'discountRatePerYear', 'margin']) expect(await main.locator(`label:has(code:text-is("${field}"))`).count(), field).toBe(1);
      expect(await main.locator('output.run-body').textContent()).toBe('Sends {}: every setting at its default.');

      // a value the input allows and the API refuses: margin 0 (it takes more than 0)
      await main.getByLabel('Margin').fill('0');
      const refusedRequest = posted();
      await main.getByRole('button', { name: 'Start an analysis' }).click();
      expect((await refusedRequest).postDataJSON()).toEqual({ margin: 0 });
      await expect.poll(() => main.locator('.refusal-message').textContent()).toBe('body field margin must be the share of revenue kept as margin, more than 0 and at most 1 (default 1) (got 0)');
      expect(await main.locator('.refusal-hint').textContent()).toBe('What to do: e.g. "margin": 0.3');
      expect(await main.locator('.refusal').getAttribute('data-error')).toBe('bad_request');
      expect(await main.getByLabel('Margin').getAttribute('aria-invalid')).toBe('true');
      expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('run-option-margin');
      await page.screenshot({ path: join(OUT, 'analyst-runs-refused.png') });
      for (const expected of [/analyst: 400 for POST .*\/api\/runs$/, /analyst: console error: .*400/]) {
        const refused = problems.findIndex((p) => expected.test(p));
        expect(refused, `${expected}: ${problems.join('\n')}`).toBeGreaterThanOrEqual(0);
        problems.splice(refused, 1);
      }

      // what a warning asks for: a holdout, order grain, the regularity check off — sent as set, nothing else
      await main.getByLabel('Margin').fill('');
      expect(await main.getByLabel('Margin').getAttribute('aria-invalid')).toBeNull();
      await main.getByLabel('Holdout days').fill('40');
      await main.getByLabel('Purchase occasion').selectOption('order');
      await main.getByLabel('Skip the regularity check').check();
      expect(await main.locator('output.run-body').textContent()).toBe('Sends {"holdoutDays":40,"grain":"order","regularityCheck":false} to POST /api/runs.');
      const startRequest = posted();
      await main.getByRole('button', { name: 'Start an analysis' }).click();
      expect((await startRequest).postDataJSON()).toEqual({ holdoutDays: 40, grain: 'order', regularityCheck: false });
      await expect.poll(() => main.locator('.notice').allTextContents(), { timeout: 20_000 }).toContainEqual(expect.stringMatching(/^Started run \S+ with \{"holdoutDays":40,"grain":"order","regularityCheck":false\}\.$/));
      // cancelled, so the pages keep the fixture's analysis for the tests after this one
      await expect.poll(() => main.locator('.run-status.run-running').count(), { timeout: 20_000 }).toBe(1);
      await page.getByRole('button', { name: /^Cancel/ }).click();
      await expect.poll(() => main.locator('.run-status').first().textContent(), { timeout: 90_000 }).toBe('cancelled');
      await expect.poll(() => streams.size, { timeout: 60_000 }).toBe(0);
    } finally {
      page.off('requestfinished', settled).off('requestfailed', settled).off('request', requested);
    }
    expect(problems).toEqual([]);
  }, 180_000);

  it('audiences: a marketer ticks stages, sees the live count, creates the audience with a control group, exports it and runs the playbook', async () => {
    const page = await pageOf('marketer');
    await visit(page, 'audiences');
    await page.getByRole('checkbox', { name: 'active' }).check();
    await page.getByRole('checkbox', { name: 'at_risk' }).check();
    expect(await page.getByLabel('Filter expression').inputValue()).toBe("stage IN ('active', 'at_risk')");
    const expected = Number((await shop.context.warehouse.query("SELECT count(*) AS n FROM customer_stages WHERE stage IN ('active', 'at_risk')"))[0]!.n);
    await expect.poll(() => page.locator('#aud-count').textContent(), { timeout: 20_000 }).toBe(`${expected.toLocaleString('en-US')} customers match.`);
    await page.getByLabel('Audience name').fill('winback-browser');
    await page.getByLabel('Control group (share held out)').fill('0.2');
    await page.getByRole('button', { name: 'Create audience' }).click();
    await expect.poll(() => page.locator('main table:has(caption:text("Audiences")) th[scope=row]').allTextContents(), { timeout: 30_000 }).toContain('winback-browser');
    // the draw said with its balance, in audience create's words (drawNotes, test/dashboard/draw-balance-on-dashboard.test.ts)
    expect(await page.locator('form.builder .notice').allTextContents()).toContainEqual(expect.stringMatching(/^(Warning: balance|Balance) of the draw: (largest \|SMD\| [\d.]+ \(.*\) of \d covariates|not published)/));
    const [row] = await shop.context.warehouse.query("SELECT members, control FROM audiences WHERE name = 'winback-browser'");
    expect(Number(row!.members)).toBe(expected);
    expect(Number(row!.control)).toBe(Math.round(0.2 * expected));
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV of winback-browser' }).click();
    const file = await (await download).path();
    const lines = (await import('node:fs')).readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.length - 1).toBe(expected);
    expect(lines[1]).toMatch(/^c_[a-z2-7]{26},(treatment|control)/);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Run the playbook' }).click();
    await expect.poll(() => page.locator('main caption').allTextContents(), { timeout: 60_000 }).toContainEqual(expect.stringMatching(/^Plan: [\d,]+ customers to contact from \d{4}-\d{2}-\d{2}/));
    // each drawn play's balance in its column (playBalance)
    const plan = page.locator('main table:has(caption:text-matches("^Plan: "))');
    const column = (await plan.locator('thead th').allTextContents()).indexOf('balance');
    expect(column).toBeGreaterThan(0);
    const balances = await plan.locator(`tbody tr > :nth-child(${column + 1})`).allTextContents();
    expect(balances.filter((b) => /^largest \|SMD\| [\d.]+ /.test(b)).length).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: join(OUT, 'marketer-audiences-created.png'), fullPage: true });
    expect(await accessibilityProblems(page, 'marketer audiences with a plan')).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);

  it('keyboard: the skip link comes first and moves focus to the content; focus is visible; the accessibility checks find each kind of fault', async () => {
    const page = await pageOf('viewer');
    // the checks themselves: a page with one fault of each kind is reported on each (on a blank page, as a fresh one is)
    await page.goto('about:blank');
    await page.setContent('<style>.plain:focus { outline: none }</style><main tabindex="-1"><h1>Page</h1><button class="plain">go</button><h3>skipped a level</h3><div class="chart"></div><svg width="10" height="10"></svg><img src="data:,"><input name="q"><button></button><table><tr><td>1</td></tr></table></main>');
    const faults = await accessibilityProblems(page, 'fixture');
    for (const kind of ['heading level skipped: h1 then h3', 'chart or image without a name: div.chart', 'svg without a name', 'img without alt', 'field without a label: input[name=q]', 'control without a name: button', 'table without a caption']) {
      expect(faults.some((f) => f.includes(kind)), `${kind} in ${faults.join('; ')}`).toBe(true);
    }
    expect(faults.join('; ')).toContain('focus not visible on button go');
    // the login view passes them too: logIn checks it before each role logs in
    await page.goto(`${origin}/#/overview`); // a fresh load of the page (the viewer's session): focus starts at the top
    await expect.poll(() => page.locator('main h1').textContent(), { timeout: 20_000 }).toBe('Overview');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement && document.activeElement.textContent')).toBe('Skip to content');
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('main');
    expect(problems).toEqual([]);
  }, 60_000);

  it('narrow screens put the navigation above the content; print hides the controls (PDF saved)', async () => {
    const page = await pageOf('marketer');
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await visit(page, 'lifecycle'); // drawn afresh at this width
      const nav = (await page.locator('nav.sidenav').boundingBox())!;
      const main = (await page.locator('main').boundingBox())!;
      expect(nav.y + nav.height).toBeLessThanOrEqual(main.y + 1);
      expect(main.width).toBeGreaterThan(340);
      await page.screenshot({ path: join(OUT, 'marketer-lifecycle-narrow.png'), fullPage: true });
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('nav.sidenav').isVisible()).toBe(false);
      expect(await page.locator('header.topbar').isVisible()).toBe(false);
      await page.setViewportSize({ width: 1000, height: 1400 });
      await page.pdf({ path: join(OUT, 'marketer-lifecycle.pdf'), format: 'A4' });
      expect(statSync(join(OUT, 'marketer-lifecycle.pdf')).size).toBeGreaterThan(20_000);
    } finally {
      await page.emulateMedia({ media: null });
      await page.setViewportSize(VIEWPORT);
    }
    expect(problems).toEqual([]);
  }, 60_000);
});
