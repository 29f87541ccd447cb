/**
 * The warning of a read command given a file with quarantined rows suggests the `clvkit ingest` that keeps them
 * (regression, QA pass): it said `clvkit ingest orders.csv --db shop.duckdb` — a warehouse name the user never gave,
 * and none of the reading flags the file needed (--map, --no-header, --delimiter, --date-format), so the command as
 * suggested refused the file or read it otherwise. It names the file as given, a placeholder `--db PATH` (as other
 * hints do) and every reading flag of the run; run as suggested it quarantines the same rows.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, useFixedKey } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

/** A headerless file, fields split by ';', dates day/month: 60 customers buying three times, and 60 impossible dates. */
function headerlessOrders(): string {
  const dir = scratchDir();
  const lines: string[] = [];
  for (let i = 1; i <= 60; i++) {
    for (const month of [1 + (i % 4), 5 + (i % 3), 9 + (i % 3)]) lines.push(`V${i};${String(13 + (i % 15)).padStart(2, '0')}/${String(month).padStart(2, '0')}/2023;P${i % 7};1;${5 + (i % 11)}`);
    lines.push(`V${i};31/02/2023;P1;1;10`);
  }
  writeFileSync(join(dir, 'orders.csv'), lines.join('\n') + '\n');
  return join(dir, 'orders.csv');
}

const READING = ['--no-header', '--delimiter', ';', '--map', 'customer_id=1', '--map', 'date=2', '--map', 'product_id=3', '--map', 'quantity=4', '--map', 'unit_price=5', '--date-format', '%d/%m/%Y'];

/** The command the warning suggests, as words (single quotes as a shell reads them). */
function suggested(stderr: string): string[] {
  const command = /\((clvkit ingest .*?) keeps them, with the reason of each, in the quarantine table\)/.exec(stderr)?.[1];
  if (!command) throw new Error(`no suggested ingest in: ${stderr}`);
  return [...command.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replaceAll("'\\''", "'") : m[2]!));
}

describe('the quarantine warning of a file read in memory suggests an ingest with the reading flags of the run', () => {
  useFixedKey(11);

  for (const [command, ...more] of [['segments', '--min-group-size', '2'], ['validate', '--calibration-end', '2023-08-01', '--no-learned']]) {
    it(`${command}: the file as given, --db PATH and the reading flags; run so, it quarantines the same 60 rows`, async () => {
      const file = headerlessOrders();
      const result = await cli([command!, file, ...READING, ...more]);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('orders.csv: 240 rows read, 180 accepted, 60 quarantined (bad_date 60)');
      const words = suggested(result.stderr);
      expect(words.slice(0, 5)).toEqual(['clvkit', 'ingest', file, '--db', 'PATH']);
      expect(words.slice(5).join(' ')).toBe('--map customer_id=1 --map date=2 --map product_id=3 --map quantity=4 --map unit_price=5 --date-format %d/%m/%Y --delimiter ; --no-header');
      const db = join(scratchDir(), 'kept.duckdb');
      const ingest = await cli([...words.slice(1, 4), db, ...words.slice(5), '--json']);
      expect(ingest.code).toBe(0);
      expect(JSON.parse(ingest.stdout)).toMatchObject({ rowsRead: 240, accepted: 180, quarantined: 60 });
    });
  }
});
