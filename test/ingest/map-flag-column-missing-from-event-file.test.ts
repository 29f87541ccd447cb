import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestByKind } from '../../src/ingest/ingest-by-kind.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { combineKindReports } from '../../src/ingest/ingest-report.js';
import { splitColumnMap } from '../../src/ingest/split-column-map.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

// A run with orders and an event file (analyze orders.csv --events events.csv): --map session_id=country names a column
// the orders have and the event file has not, so the split map sends it to the orders only and no file reads it. The
// warning said "no event file in this ingest" — there is one; it has no column country.
const ORDERS = ['order_id,customer_id,date,amount,country,sessions', 'O1,C1,2023-01-02,10,UK,s1'];
const EVENTS = ['session_id,customer_id,ts,type,session', 'S1,C1,2023-01-02T10:00:00,view,x'];

async function runWarnings(map: Record<string, string>): Promise<readonly string[]> {
  const dir = scratchDir();
  writeFileSync(join(dir, 'orders.csv'), ORDERS.join('\n') + '\n');
  writeFileSync(join(dir, 'events.csv'), EVENTS.join('\n') + '\n');
  const lists = [[join(dir, 'orders.csv')], [], [join(dir, 'events.csv')]];
  const warehouse = await memoryWarehouse();
  try {
    const maps = await splitColumnMap(lists, map, warehouse);
    const reports = await ingestByKind(lists, (files, kind, i, besideFilesWithRows) => ingestFiles(warehouse, files, { map: maps[i]!, kind, besideFilesWithRows, now: new Date('2024-01-01T00:00:00Z') }));
    return combineKindReports(reports, map).warnings ?? [];
  } finally {
    await warehouse.close();
  }
}

describe('a --map flag whose column the event file of the run lacks', () => {
  it('is said to be unused because the event file has no such column, not because there is no event file', async () => {
    const warnings = await runWarnings({ session_id: 'country' });
    const unused = warnings.filter((w) => w.startsWith('--map session_id=country'));
    expect(unused).toEqual([expect.stringMatching(/^--map session_id=country was not used: the event file \S*events\.csv has no column country$/)]);
    expect(warnings.join('\n')).not.toContain('no event file in this ingest');
  });

  it('names a column of the event file close to the one asked for', async () => {
    const warnings = await runWarnings({ session_id: 'sessions' });
    expect(warnings.filter((w) => w.startsWith('--map session_id=sessions'))).toEqual([expect.stringMatching(/^--map session_id=sessions was not used: the event file \S*events\.csv has no column sessions \(did you mean session\?\)$/)]);
  });
});
