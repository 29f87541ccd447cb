/**
 * The response window of `campaign evaluate`: "the data ends on …" was said whenever the window's last days had no
 * purchase, though the warehouse held purchases after the window (a trial: a quiet last week looked like missing data).
 */
import { describe, expect, it } from 'vitest';
import { resolveResponseWindow } from '../../src/actions/response-window.js';
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
    expect(short.warnings).toEqual(['the data ends on 2024-01-20, before --to 2024-01-31: the window may be cut short']);
    expect(short.lastDay).toBe('2024-01-20');
    await cut.close();

    const quiet = await warehouseWith(['2024-01-03', '2024-01-20', '2024-02-10']);
    const whole = await resolveResponseWindow(quiet, audience, '2024-01-01', '2024-01-31');
    expect(whole.warnings).toEqual([]);
    expect(whole.lastDay).toBe('2024-01-31'); // the data covers the whole window: its last days were quiet
    await quiet.close();
  });
});
