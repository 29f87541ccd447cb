import { Command } from 'commander';
import { UserError } from '../../core/errors/user-error.js';
import type { DroppedIngest } from '../../ingest/drop-ingest.js';
import type { IngestListing } from '../../ingest/list-ingests.js';
import type { CliIo } from '../cli-io.js';
import { lazyFunction } from '../lazy-function.js';
import { withActionWarehouse } from './audience-command.js';
import { addEngineOptions, type EngineFlags } from './engine-flags.js';
import { addAccessOptions, type AccessFlags } from './shared-options.js';
import { warehouseFlags } from '../../engine/warehouse-flags.js';
import { shellPath } from '../../core/shell-word.js';
import { numberText } from '../../core/number-text.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const listIngests = lazyFunction(() => import('../../ingest/list-ingests.js'), 'listIngests');
const dropIngest = lazyFunction(() => import('../../ingest/drop-ingest.js'), 'dropIngest');
const recordAudit = lazyFunction(() => import('../../privacy/warehouse/warehouse-audit.js'), 'recordAudit');

interface IngestsFlags extends AccessFlags, EngineFlags {
  db: string;
  json?: boolean;
}

const count = (n: number) => n.toLocaleString('en-US');

/** An ingest id as given on the command line: a whole number ≥ 1. */
export function ingestIdArgument(value: string): number {
  const n = numberText(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new UserError(`ingest id ${JSON.stringify(value)} is not a whole number ≥ 1`, 'clvkit ingests list --db PATH lists the ingests with their ids');
  return n;
}

/** The list as a table: one line per ingest, its rows held now or when it was dropped, its file by the path its ingest printed (`path`, as the JSON gives it). */
export function formatIngestList(list: readonly IngestListing[], again: string): string {
  if (list.length === 0) return `no ingests (clvkit ingest FILE ${again} adds one)\n`;
  const width = (values: string[], min: number) => Math.max(min, ...values.map((v) => v.length));
  const held = (i: IngestListing) => (i.droppedAt ? `dropped ${i.droppedAt.slice(0, 16).replace('T', ' ')}` : count(Object.values(i.held).reduce((a, b) => a + b, 0)));
  const cells = list.map((i) => [String(i.ingestId), i.ingestedAt.slice(0, 16).replace('T', ' '), i.kind, count(i.rowsRead), count(i.accepted), count(i.quarantined), held(i), i.dateFormats.join(' | ') || '—', i.path]);
  const header = ['id', 'ingested (UTC)', 'kind', 'read', 'accepted', 'quarantined', 'rows held now', 'dates read as', 'file'];
  const widths = header.map((h, c) => width([h, ...cells.map((row) => row[c]!)], h.length));
  const right = new Set([0, 3, 4, 5, 6]);
  const line = (row: readonly string[]) => row.map((cell, c) => (c === row.length - 1 ? cell : right.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ');
  return [line(header), ...cells.map(line)].join('\n') + '\n';
}

/** What a drop did, in words. */
export function formatDroppedIngest(dropped: DroppedIngest, again: string): string {
  const tables = Object.entries(dropped.deleted).map(([table, n]) => `${table} ${count(n)}`).join(', ');
  const lines = [`dropped ingest ${dropped.ingestId} (${dropped.source}, ${dropped.kind}, ingested ${dropped.ingestedAt.slice(0, 10)}): ${count(dropped.rows)} rows deleted${tables ? ` (${tables})` : ''}`];
  if (dropped.customersRemoved > 0) lines.push(`  ${count(dropped.customersRemoved)} customer${dropped.customersRemoved === 1 ? '' : 's'} of whom nothing else was held: gone from every table (customer_reid, contact data, derived rows)`);
  for (const warning of dropped.warnings) lines.push(`  warning: ${warning}`);
  if (dropped.derivedStale) lines.push(`  the scores, segments and stages still count its rows: marked stale until clvkit analyze ${again} rebuilds them`);
  lines.push(`the file can be ingested again: clvkit ingest ${shellPath(dropped.path)} ${again} (with the reading options it needs)`);
  return lines.join('\n') + '\n';
}

export function ingestsCommand(io: CliIo): Command {
  const ingests = new Command('ingests').description('the files ingested into the warehouse: list them (what each brought, how its dates were read, rows held now), drop one to read it again with other options (admin; audited)');
  const options = (command: Command) => addEngineOptions(addAccessOptions(command.option('--db <path>', 'warehouse file', './clvkit.duckdb').option('--json', 'print JSON')));
  options(ingests.command('list').summary('every ingest: id, time, kind, counts, rows held now, dates read as, file').description('every ingest, oldest first: id, time, kind, rows read / accepted / quarantined, rows held now (or when it was dropped), the date formats read, the file')).action(async (flags: IngestsFlags) => {
    let again = `--db ${shellPath(flags.db)}`;
    const list = await withActionWarehouse(flags, async (warehouse, keyring, access) => {
      const found = await listIngests(warehouse, access);
      if (keyring) await recordAudit(warehouse, keyring, access, { action: 'view_aggregates', target: 'table:ingests', details: { command: 'ingests list' } });
      again = warehouseFlags(warehouse, again);
      return found;
    });
    io.stdout.write(flags.json ? JSON.stringify(list, null, 2) + '\n' : formatIngestList(list, again));
  });
  options(
    ingests
      .command('drop')
      .summary('remove one ingest and the customers of whom nothing else is held; the file can then be read again (admin; audited)')
      .description(
        'remove one ingest: its transactions, events, profiles and quarantined rows, and the customers of whom nothing else is held (customer_reid, contact data, derived rows); the scores, segments and stages are marked stale until the next analyze; the same file can then be ingested again (admin; audited). Refused when a later ingest left out rows as copies of its rows (overlapping exports): drop that one first. Customers erased stay erased',
      )
      .argument('<id>', 'the ingest id (clvkit ingests list shows them)'),
  ).action(async (id: string, flags: IngestsFlags) => {
    const ingestId = ingestIdArgument(id);
    let again = `--db ${shellPath(flags.db)}`;
    const dropped = await withActionWarehouse(flags, async (warehouse, keyring, access) => {
      again = warehouseFlags(warehouse, again);
      return dropIngest(warehouse, ingestId, { keyring: keyring!, ...access });
    });
    io.stdout.write(flags.json ? JSON.stringify(dropped, null, 2) + '\n' : formatDroppedIngest(dropped, again));
  });
  return ingests;
}
