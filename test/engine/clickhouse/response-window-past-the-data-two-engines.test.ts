/**
 * The response window of a campaign measured on both engines when the data ends inside it, and when the window lies
 * wholly after the data: the same last day measured, the same warning, the same refusal. Over no row ClickHouse's
 * min(ts) is the type's zero (read as 1970-01-01) where DuckDB's is NULL: the cluster took it for "data goes on after
 * the window", measured the whole asked window and refused an empty window as a gap "from 2024-01-21 to 1969-12-31".
 */
import { describe, expect, it } from 'vitest';
import { resolveResponseWindow } from '../../../src/actions/response-window.js';
import type { StoredAudience } from '../../../src/actions/audience-store.js';
import { memoryWarehouse, insertPurchaseLines } from '../../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, copyTablesToClickHouse, dropScratchDatabase } from '../../helpers/clickhouse.js';

describe.skipIf(!CLICKHOUSE_URL)(`a response window past the end of the data, on both engines${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  it('is cut at the last transaction day with the same warning, and an empty one is refused with the same words', async () => {
    const duck = await memoryWarehouse(1);
    const lines: [string, string, string, number][] = [];
    for (let d = 1; d <= 28; d++) lines.push([`O${d}`, `C${d}`, `2023-12-${String(d).padStart(2, '0')} 10:00:00`, 10]);
    for (let d = 1; d <= 20; d++) lines.push([`P${d}`, `C${d}`, `2024-01-${String(d).padStart(2, '0')} 10:00:00`, 10]);
    await insertPurchaseLines(duck, lines);
    // the audience: C1…C10 (their January lines are what an evaluation is measured on: `lines`)
    await duck.execute(`INSERT INTO audience_members SELECT 'a', customer_id, 'treatment', NULL FROM (SELECT DISTINCT customer_id FROM transactions) t WHERE customer_id IN (${Array.from({ length: 10 }, (_, i) => `'C${i + 1}'`).join(', ')})`);
    const ch = await clickhouseWarehouse('response_window_past_data');
    try {
      await copyTablesToClickHouse(duck, ch, ['transactions', 'audience_members']);
      const audience = { name: 'a', sendDate: '2024-01-01' } as unknown as StoredAudience;
      const [d, c] = [await resolveResponseWindow(duck, audience, '2024-01-01', '2024-02-29'), await resolveResponseWindow(ch, audience, '2024-01-01', '2024-02-29')];
      expect([d.lastDay, d.lines]).toEqual(['2024-01-20', 10]);
      expect([c.lastDay, c.lines, c.warnings]).toEqual([d.lastDay, d.lines, d.warnings]);
      expect(d.warnings.some((w) => w.startsWith('the data ends on 2024-01-20, before --to 2024-02-29'))).toBe(true);
      const refusal = (w: typeof duck) => resolveResponseWindow(w, audience, '2024-03-01', '2024-03-31').then(() => 'no refusal', (e: Error) => e.message);
      const [dErr, cErr] = [await refusal(duck), await refusal(ch)];
      expect(dErr).toBe('no transactions between 2024-03-01 and 2024-03-31: the campaign has no transactions after it (the data ends on 2024-01-20)');
      expect(cErr).toBe(dErr);
    } finally {
      await dropScratchDatabase(ch);
      await duck.close();
    }
  }, 120_000);
});
