/**
 * Printed, a wide table must fit the page: a QA pass found wide tables cut at the right edge in print (the print CSS
 * let .table-wrap overflow, and numeric cells never wrap). The report is laid out in headless Chromium at the
 * printable width of A4 landscape with 10 mm margins (277 mm ≈ 1047 px) under print media, and every table must fit
 * the width of its section.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/render-report.js';
import { fixtureReportData } from './report-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const PRINTABLE_A4_LANDSCAPE_PX = Math.floor((277 / 25.4) * 96);

describe.skipIf(!existsSync(CHROMIUM))(`printed report (skipped when ${CHROMIUM} is missing)`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('fits every table into the printed page width', async () => {
    const out = resolve('test/output/report');
    mkdirSync(out, { recursive: true });
    const file = join(out, 'report-print.html');
    writeFileSync(file, renderReport(fixtureReportData(2000)));
    const page = await browser.newPage({ viewport: { width: PRINTABLE_A4_LANDSCAPE_PX, height: 800 } });
    await page.emulateMedia({ media: 'print' });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const tables = await page.locator('table').evaluateAll((nodes) =>
      nodes.map((t) => {
        const section = t.closest('section')!;
        return { caption: t.querySelector('caption')?.textContent?.slice(0, 60) ?? '', width: Math.ceil(t.getBoundingClientRect().right), limit: Math.ceil(section.getBoundingClientRect().right) };
      }),
    );
    expect(tables.length).toBeGreaterThan(10);
    const overflowing = tables.filter((t) => t.width > t.limit + 1);
    expect(overflowing).toEqual([]);
  }, 60_000);
});
