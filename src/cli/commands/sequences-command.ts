import { Command, Option } from 'commander';
import type { ItemLevel } from '../../cross-sell/load-purchase-data.js';
import { warnOn, type CliIo } from '../cli-io.js';
import { countFlag, fractionFlag } from './input-warehouse.js';
import { withEngineInputWarehouse } from './engine-input-warehouse.js';
import { addEngineOptions, type EngineFlags } from './engine-flags.js';
import { minGroupSizeFlag } from './privacy-command.js';
import { addAccessOptions, addReadOptions, type AccessFlags, type ReadFlags } from './shared-options.js';
import { lazyFunction } from '../lazy-function.js';
import { belowK } from '../../privacy/disclosure/below-k.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const loadPurchaseData = lazyFunction(() => import('../../cross-sell/load-purchase-data.js'), 'loadPurchaseData');
const loadMining = () => import('../../cross-sell/mine-sequence-rules.js');

interface SequencesFlags extends ReadFlags, Partial<AccessFlags>, EngineFlags {
  db?: string;
  minSupport: string;
  maxLength: string;
  level: ItemLevel;
  top: string;
  minGroupSize: string;
  json?: boolean;
}

export function sequencesCommand(io: CliIo): Command {
  return addEngineOptions(addAccessOptions(addReadOptions(
    new Command('sequences')
      .description('“after A, customers buy B next”: PrefixSpan over each customer’s order sequence')
      .argument('[file]', 'transaction file (or --db)')
      .option('--db <path>', 'use the transactions of this warehouse')
      .option('--min-support <fraction>', 'minimum share of customers whose orders contain the pattern', '0.02')
      .option('--max-length <items>', 'longest pattern, in items', '3')
      .addOption(new Option('--level <level>', 'items are products or categories').choices(['product', 'category']).default('product'))
      .option('--top <n>', 'rules to print', '20')
      .option('--min-group-size <k>', 'leave out patterns followed by fewer than k customers, so none describes an individual', '5')
      .option('--json', 'print the rules as JSON'),
  ))).action(async (file: string | undefined, flags: SequencesFlags) => {
    const { mineSequenceRules } = await loadMining();
    const options = { sequenceMinSupport: fractionFlag(flags.minSupport, '--min-support'), maxLength: countFlag(flags.maxLength, '--max-length'), topRules: countFlag(flags.top, '--top') };
    const k = minGroupSizeFlag(flags.minGroupSize);
    await withEngineInputWarehouse('sequences', file, flags, async (warehouse) => {
      const data = await loadPurchaseData(warehouse, { level: flags.level });
      const mined = mineSequenceRules(data, options);
      const rules = mined.rules.filter((rule) => !belowK(rule.count, k));
      const withheld = mined.rules.length - rules.length;
      if (flags.json) {
        io.stdout.write(JSON.stringify({ level: flags.level, customers: data.customerIds.length, minSupport: mined.minSupport, minSupportNote: mined.minSupportNote, minGroupSize: k, withheld, rules }, null, 2) + '\n');
        return;
      }
      const lines = rules.map(
        (r, i) =>
          `${String(i + 1).padStart(3)}. after ${r.afterLabels.map((e) => e.join(' + ')).join(' → ')}  ⇒  next ${r.nextLabels.join(' + ')}\n     ${r.count.toLocaleString('en-US')} customers (${(100 * r.support).toFixed(1)}%), confidence ${(100 * r.confidence).toFixed(1)}%, lift ${r.lift.toFixed(1)}`,
      );
      const note = (mined.minSupportNote ? `\n${mined.minSupportNote}` : '') + (withheld > 0 ? `\n${withheld} pattern${withheld === 1 ? '' : 's'} followed by fewer than ${k} customers left out (--min-group-size)` : '');
      io.stdout.write(`${data.customerIds.length.toLocaleString('en-US')} customers\n${lines.join('\n') || 'no sequential patterns at this support (lower --min-support)'}${note}\n`);
    }, { command: 'sequences', warn: warnOn(io) });
  });
}
