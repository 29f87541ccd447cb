/**
 * The report as a reader sees it: written to test/output/report/report.html,
 * opened from disk in headless Chromium with every network path closed,
 * checked for errors, failed or outside requests, visible sections and
 * drawn charts, then saved as a full-page screenshot and a PDF (print CSS).
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport, REPORT_SECTION_IDS } from '../../src/report/render-report.js';
import { fixtureReportData } from './report-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const OUT = resolve('test/output/report');

/** Figures each section must draw with the full fixture. */
const EXPECTED_CHARTS: Readonly<Record<string, readonly string[]>> = {
  overview: [],
  'data-quality': ['chart-quarantine-rules'],
  value: ['chart-value-distribution', 'chart-value-concentration', 'chart-value-quadrant'],
  model: ['chart-model-comparison', 'chart-calibration-histogram', 'chart-conditional-expectation', 'chart-tracking-cumulative', 'chart-tracking-incremental', 'chart-probability-alive'],
  churn: ['chart-churn-reliability'],
  segments: ['chart-rfm-segments'],
  clusters: ['chart-cluster-profiles'],
  lifecycle: ['chart-stage-counts', 'chart-stage-flows', 'chart-lifecycle-series'],
  cohorts: ['chart-cohort-retention'],
  events: ['chart-funnel'],
  'cross-sell': ['chart-cross-sell-rules'],
  campaigns: ['chart-campaign-uplift'],
  privacy: ['chart-privacy-classes'],
  run: [],
};

describe.skipIf(!existsSync(CHROMIUM))(`report in headless Chromium (skipped when ${CHROMIUM} is missing)`, () => {
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const failedRequests: string[] = [];
  const outsideRequests: string[] = [];

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, 'report.html');
    writeFileSync(file, renderReport(fixtureReportData(5000)));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('requestfailed', (r) => failedRequests.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('request', (r) => { if (!r.url().startsWith('file:')) outsideRequests.push(r.url()); });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('loads from disk with no console error, no page error, no failed and no outside request', () => {
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(failedRequests).toEqual([]);
    expect(outsideRequests).toEqual([]);
  });

  it('shows every section, each chart drawn as a visible SVG with marks in it', async () => {
    for (const id of REPORT_SECTION_IDS) {
      const section = page.locator(`section#${id}`);
      await expect.poll(() => section.isVisible(), { message: `section ${id}` }).toBe(true);
      const figures = await section.locator('figure.chart').evaluateAll((nodes) => nodes.map((n) => n.id));
      expect(figures, id).toEqual(EXPECTED_CHARTS[id]);
      for (const figure of figures) {
        const svg = page.locator(`#${figure} svg`);
        const box = await svg.boundingBox();
        expect(box, figure).not.toBeNull();
        expect(box!.width, figure).toBeGreaterThan(300);
        expect(box!.height, figure).toBeGreaterThan(100);
        expect(await svg.locator('path').count(), `${figure}: drawn marks`).toBeGreaterThan(3);
      }
    }
  });

  it('fits a laptop screen: no horizontal scrolling at 1366 px, SVGs scaled into their boxes', async () => {
    const scrollWidth = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    expect(scrollWidth).toBeLessThanOrEqual(1366);
    const overflowing = (await page.evaluate(
      `[...document.querySelectorAll('figure.chart')].filter((f) => f.querySelector('svg').getBoundingClientRect().width > f.getBoundingClientRect().width + 1).map((f) => f.id)`,
    )) as string[];
    expect(overflowing).toEqual([]);
  });

  it('saves a full-page screenshot and prints to PDF with the navigation hidden', async () => {
    const png = join(OUT, 'report.png');
    await page.screenshot({ path: png, fullPage: true });
    expect(statSync(png).size).toBeGreaterThan(100_000);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav.toc').isVisible()).toBe(false);
    const pdf = join(OUT, 'report.pdf');
    await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
    expect(statSync(pdf).size).toBeGreaterThan(50_000);
    await page.emulateMedia({ media: 'screen' });
  });
});
