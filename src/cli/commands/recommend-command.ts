import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync } from 'node:fs';
import { Command, Option } from 'commander';
import { UserError } from '../../core/errors/user-error.js';
import { checkOutputFile } from '../../core/output-paths.js';
import { parseDay } from '../../core/calendar-days.js';
import type { ItemLevel } from '../../cross-sell/load-purchase-data.js';
import { warnOn, type CliIo } from '../cli-io.js';
import { countFlag } from './input-warehouse.js';
import { withEngineInputWarehouse } from './engine-input-warehouse.js';
import { addEngineOptions, type EngineFlags } from './engine-flags.js';
import { addAccessOptions, addReadOptions, type AccessFlags, type ReadFlags } from './shared-options.js';
import { lazyFunction } from '../lazy-function.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const runPatternsStep = lazyFunction(() => import('../../cross-sell/patterns-step.js'), 'runPatternsStep');

interface RecommendFlags extends ReadFlags, Partial<AccessFlags>, EngineFlags {
  db?: string;
  customer?: string;
  all?: boolean;
  top: string;
  level: ItemLevel;
  out?: string;
  evaluate?: string;
  json?: boolean;
}

export function recommendCommand(io: CliIo): Command {
  return addEngineOptions(addAccessOptions(addReadOptions(
    new Command('recommend')
      .description('top-N products per customer: item-item similarity blended with association rules, popularity for cold customers')
      .argument('[file]', 'transaction file (or --db)')
      .option('--db <path>', 'use the transactions of this warehouse')
      .option('--customer <id>', 'recommendations for one customer: the id as in the input (with --db also its token)')
      .option('--all', 'recommendations for every customer (CSV to --out or stdout)')
      .option('--top <n>', 'recommendations per customer', '10')
      .addOption(new Option('--level <level>', 'items are products or categories').choices(['product', 'category']).default('product'))
      .option('--out <file>', 'CSV file for --all')
      .option('--evaluate <date>', 'also measure precision/recall/hit-rate/MAP@k on orders from this day on, against popularity')
      .option('--json', 'print JSON'),
  ))).action(async (file: string | undefined, flags: RecommendFlags) => {
    if (flags.customer && flags.all) throw new UserError('--customer and --all both given', 'pass --customer ID for one customer, or --all for every customer');
    if (!flags.customer && !flags.all) throw new UserError('say whose recommendations: --customer ID or --all', 'e.g. clvkit recommend orders.csv --customer 12347 --top 5');
    const topN = countFlag(flags.top, '--top');
    const evaluate = flags.evaluate ? parseDay(flags.evaluate, '--evaluate') : undefined;
    if (flags.out !== undefined) checkOutputFile(flags.out, '--out', 'recommendations.csv');
    const csv = flags.out ?? join(mkdtempSync(join(tmpdir(), 'clvkit-recommend-')), 'recommendations.csv');
    // per-customer lists: an export of customer-level data (analysts, admins) or a campaign audience (marketers, admins)
    await withEngineInputWarehouse('recommend', file, flags, async (warehouse, session) => {
      const summary = await runPatternsStep(warehouse, { level: flags.level, topN, recommendationsCsv: csv, ...(evaluate ? { evaluationCutoff: evaluate } : {}) });
      const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
      const header = lines[0]!;
      const wanted = flags.customer ? await session.storedId(flags.customer) : null;
      const rows = wanted ? lines.slice(1).filter((line) => line.startsWith(`${wanted},`) || line.startsWith(`"${wanted}",`)) : lines.slice(1);
      if (flags.customer && rows.length === 0) throw new UserError(`no customer ${flags.customer} in the data`, 'use the customer id as it appears in the input file');
      await session.record({
        action: session.action,
        target: flags.all && flags.out ? `file:${flags.out}` : wanted ? { customerToken: wanted } : 'stdout',
        rowCounts: { customers: flags.customer ? 1 : summary.customers, lines: rows.length },
        details: { command: 'recommend' },
      });
      if (flags.json) {
        const names = header.split(',');
        const records = rows.map((line) => Object.fromEntries(line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.slice(0, names.length).map((cell, i) => [names[i], cell.replace(/,$/, '').replace(/^"|"$/g, '').replaceAll('""', '"')])));
        io.stdout.write(JSON.stringify({ recommendations: records, evaluation: summary.recommender }, null, 2) + '\n');
      } else if (flags.all && flags.out) {
        io.stderr.write(`clvkit: wrote ${rows.length.toLocaleString('en-US')} recommendations for ${summary.customers.toLocaleString('en-US')} customers to ${flags.out}\n`);
      } else {
        io.stdout.write([header, ...rows].join('\n') + '\n');
      }
      if (summary.recommender && !flags.json) {
        const r = summary.recommender;
        io.stderr.write(`clvkit: recommendations from ${r.choice.label}: ${r.choice.reason}\n`);
        io.stderr.write(`clvkit: test period from ${r.cutoff}, ${r.nEvaluated.toLocaleString('en-US')} customers: MAP@${r.k} ${r.model.mapAtK.toFixed(3)} (best-sellers ${r.baseline.mapAtK.toFixed(3)}), precision@${r.k} ${r.model.precisionAtK.toFixed(3)} (${r.baseline.precisionAtK.toFixed(3)}), hit rate ${r.model.hitRateAtK.toFixed(3)} (${r.baseline.hitRateAtK.toFixed(3)})\n`);
      }
    }, { actions: ['export_customers', 'export_audience'], command: 'recommend', warn: warnOn(io) });
  });
}
