/**
 * The response window of `campaign evaluate`: "the data ends on …" was said whenever the window's last days had no
 * purchase, though the warehouse held purchases after the window (a trial: a quiet last week looked like missing data).
 */
import { describe, expect, it } from 'vitest';
import { resolveResponseWindow, windowGaps } from '../../src/actions/response-window.js';
import type { StoredAudience } from '../../src/actions/audience-store.js';
import { memoryWarehouse } from '../helpers/warehouse.js';

async function warehouseWith(days: readonly string[]) {
  const warehouse = await memoryWarehouse();
  for (const [i, day] of days.entries()) await warehouse.execute(`INSERT INTO transactions (customer_id, ts, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES ('c', TIMESTAMP '${day} 12:00:00', 10, FALSE, FALSE, 1, 'test', ${i + 2}, 'h${i}')`);
  return warehouse;
}

const audience = { name: 'a', sendDate: '2024-01-01' } as StoredAudience;

describe('the response window of a campaign', () => {
  it('says the data ends early only when the warehouse holds nothing after the window', async () => {
    const cut = await warehouseWith(['2024-01-03', '2024-01-20']);
    const short = await resolveResponseWindow(cut, audience, '2024-01-01', '2024-01-31');
    expect(short.warnings).toEqual(['the data ends on 2024-01-20, before --to 2024-01-31: the window may be cut short; measured over 2024-01-01 … 2024-01-20 (20 days), and campaign compare marks the evaluation stale once transactions after 2024-01-20 are ingested']);
    expect(short.lastDay).toBe('2024-01-20');
    await cut.close();

    const quiet = await warehouseWith(['2024-01-03', '2024-01-20', '2024-02-10']);
    const whole = await resolveResponseWindow(quiet, audience, '2024-01-01', '2024-01-31');
    expect(whole.warnings).toEqual([]);
    expect(whole.lastDay).toBe('2024-01-31'); // the data covers the whole window: its last days were quiet
    expect(whole.gaps).toEqual([]); // 11 quiet days at its end, fewer than 14
    await quiet.close();
  });

  it('warns of a stretch without any transaction inside the window, longer than any in the year before, with data after it', async () => {
    const days = ['2023-12-01', '2023-12-04', '2023-12-08', '2023-12-20', '2023-12-31', '2024-02-01'];
    const gapped = await warehouseWith(days);
    const window = await resolveResponseWindow(gapped, audience, '2024-01-01', '2024-02-01');
    expect(window.gaps).toEqual([{ from: '2024-01-01', to: '2024-01-31', days: 31 }]);
    expect(window.warnings).toEqual(['no transaction at all from 2024-01-01 to 2024-01-31 (31 days) inside the response window, though the warehouse holds transactions on both sides of it (the longest stretch without one in the year before the send date: 11 days): a file of those days may be missing, and their purchases are not counted; ingest it, then evaluate again']);
    await gapped.close();
  });

  it('a shop that sells once a month: a month between orders is its usual quiet, two are a gap', () => {
    expect(windowGaps(['2023-11-15', '2023-12-15', '2024-01-15', '2024-02-15'], null, '2024-01-01', '2024-01-01', '2024-02-28')).toEqual({ gaps: [], usual: 29 });
    // January's order missing: 61 days without one
    expect(windowGaps(['2023-11-15', '2023-12-15', '2024-02-15'], null, '2024-01-01', '2024-01-01', '2024-02-28').gaps).toEqual([{ from: '2024-01-01', to: '2024-02-14', days: 45 }]);
    // no pace to compare with (no history before the send date): no gap said
    expect(windowGaps(['2024-01-03', '2024-02-20'], null, '2024-01-01', '2024-01-01', '2024-02-28').gaps).toEqual([]);
  });
});
