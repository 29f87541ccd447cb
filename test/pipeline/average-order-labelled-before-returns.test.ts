/**
 * The headline's average order value is gross (purchases before returns, ÷ orders), as the KPIs' is; the CLI summary
 * and the report's overview print it beside net revenue, so they say "before returns". Regression: Online Retail's
 * summary read "revenue 8.27M net (returns …), average order 474.80" where 8.27M / 18,402 orders is 449.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRunSummary } from '../../src/cli/commands/analyze-command.js';
import { analyze } from '../../src/pipeline/analyze.js';
import { renderOverviewSection } from '../../src/report/sections/overview-section.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('the average order value beside net revenue', () => {
  it('is gross ÷ orders, and the summary and the report say it is before returns', async () => {
    const dir = scratchDir('clvkit-aov-');
    // 6 orders worth 600 (100 + 50, 200, 60, 90, 100), one return of 40: net 560, 93.33 an order net, 100.00 gross
    writeFileSync(join(dir, 'orders.csv'), 'customer_id,date,amount\nc1,2024-01-02,100\nc1,2024-02-03,50\nc2,2024-01-05,200\nc2,2024-01-20,-40\nc3,2024-02-01,60\nc4,2024-02-02,90\nc5,2024-02-05,100\n');
    const run = await analyze({ files: [join(dir, 'orders.csv')], db: ':memory:', outDir: join(dir, 'out'), skipModels: true, skipPatterns: true, skipReport: true });
    expect(run.headline.orders).toBe(6);
    expect(run.headline.netRevenue).toBeCloseTo(560, 9);
    expect(run.headline.averageOrderValue).toBeCloseTo(100, 9);
    expect(formatRunSummary(run)).toMatch(/^ {2}revenue {4}560 net \(returns -40\), average order 100\.00 before returns \(gross purchases ÷ orders\)$/m);
    const html = renderOverviewSection({ run, currency: undefined } as never).html;
    expect(html).toContain('average order value');
    expect(html).toMatch(/average order value.*before returns: gross purchases ÷ orders/s);
  }, 60_000);
});
