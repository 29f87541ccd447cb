import { Command } from 'commander';
import { openDuckDbWarehouse } from '../../engine/duckdb-warehouse.js';
import { ingestFiles } from '../../ingest/ingest-files.js';
import { formatIngestReport } from '../../ingest/ingest-report.js';
import type { CliIo } from '../cli-io.js';
import { addReadOptions, ingestOptionsFromFlags, type ReadFlags } from './shared-options.js';

export function ingestCommand(io: CliIo): Command {
  return addReadOptions(
    new Command('ingest')
      .description('load transaction files into the warehouse: every row is accepted or quarantined with a reason')
      .argument('<files...>', 'CSV/TSV (optionally .gz), whitespace-separated text, Parquet, JSON Lines or XLSX files')
      .option('--db <path>', 'warehouse file', './clvkit.duckdb')
      .option('--json', 'print the ingest report as JSON'),
  ).action(async (files: string[], flags: ReadFlags & { db: string; json?: boolean }) => {
    const options = ingestOptionsFromFlags(flags);
    const warehouse = await openDuckDbWarehouse(flags.db);
    try {
      const report = await ingestFiles(warehouse, files, {
        ...options,
        onStep: (step, file) => {
          if (!flags.json && step === 'stage') io.stderr.write(`clvkit: reading ${file}\n`);
        },
      });
      io.stdout.write(flags.json ? JSON.stringify(report, null, 2) + '\n' : formatIngestReport(report) + '\n');
    } finally {
      await warehouse.close();
    }
  });
}
