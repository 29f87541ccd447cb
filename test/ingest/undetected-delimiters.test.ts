/**
 * DuckDB's sniffer detects only , ; | and tab: a file delimited by ':' '#' '~' or '^' was read as one column and
 * refused (QA, session 36). Such a file is now read with that delimiter when its first line is a header of 2+ names
 * split by it and the next lines split into as many fields; a one-column file whose values hold the character is
 * left alone (a timestamp's ':' is no delimiter).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { undetectedHeaderDelimiter } from '../../src/ingest/commonest-delimiter.js';
import { cli, useFixedKey } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('undetectedHeaderDelimiter', () => {
  it('a header of names split by : # ~ or ^, the lines below with as many fields', () => {
    expect(undetectedHeaderDelimiter(['customer_id:date:amount', '1:2024-01-01:10', '2:2024-01-02:20'])).toBe(':');
    expect(undetectedHeaderDelimiter(['customer_id#date#amount', '1#2024-01-01#10'])).toBe('#');
    expect(undetectedHeaderDelimiter(['Kunde~Datum~Betrag', 'A~2024-01-01~10,5', ''])).toBe('~');
    expect(undetectedHeaderDelimiter(['customer id^order date^amount', 'a^2024-01-01^10'])).toBe('^');
  });

  it('not when a detected delimiter is there, the first line is data, or the lines disagree', () => {
    expect(undetectedHeaderDelimiter(['customer_id,date:x', '1,2'])).toBeUndefined();
    expect(undetectedHeaderDelimiter(['2024-01-01 10:00:00', '2024-01-02 11:00:00'])).toBeUndefined();
    expect(undetectedHeaderDelimiter(['time:stamp', '2024-01-01 10:00:00'])).toBeUndefined();
    expect(undetectedHeaderDelimiter(['customer_id'])).toBeUndefined();
  });
});

describe('ingest reads a file delimited by : # ~ or ^ without --delimiter', () => {
  useFixedKey(9);
  for (const d of [':', '#', '~', '^']) {
    it(`delimiter '${d}': 3 lines accepted, the report says the delimiter`, async () => {
      const dir = scratchDir('clvkit-undetected-delimiter-');
      const file = join(dir, 'orders.csv');
      writeFileSync(file, [`customer_id${d}date${d}amount`, `1${d}2024-01-01${d}10`, `2${d}2024-01-02${d}20`, `3${d}2024-01-03${d}30`].join('\n') + '\n');
      const run = await cli(['ingest', file, '--db', join(dir, 'w.duckdb'), '--quiet']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`csv, utf-8, delimiter "${d}", header`);
      expect(run.stdout).toMatch(/^accepted +3 /m);
    }, 60_000);
  }
});
