import { Command, Option } from 'commander';
import type { ItemLevel } from '../../cross-sell/load-purchase-data.js';
import type { RuleRow } from '../../cross-sell/mine-rules.js';
import { UserError } from '../../core/errors/user-error.js';
import type { Warehouse } from '../../engine/warehouse.js';
import { publishAssociationRules, publishGroupRules } from '../../cross-sell/publish-pattern-summary.js';
import { warnOn, type CliIo } from '../cli-io.js';
import { countFlag, fractionFlag, minLiftFlag } from './input-warehouse.js';
import { DEFAULT_MIN_LIFT, lowLiftWords } from '../../cross-sell/pattern-options.js';
import { withEngineInputWarehouse } from './engine-input-warehouse.js';
import { addEngineOptions, type EngineFlags } from './engine-flags.js';
import { minGroupSizeFlag } from './privacy-command.js';
import { addAccessOptions, addReadOptions, type AccessFlags, type ReadFlags } from './shared-options.js';
import { lazyFunction } from '../lazy-function.js';
import { warehouseFlags, warehouseName } from '../../engine/warehouse-flags.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const loadPurchaseData = lazyFunction(() => import('../../cross-sell/load-purchase-data.js'), 'loadPurchaseData');
const loadMining = () => import('../../cross-sell/mine-rules.js');

interface RulesFlags extends ReadFlags, Partial<AccessFlags>, EngineFlags {
  db?: string;
  minSupport: string;
  minConfidence: string;
  minLift: string;
  maxLength: string;
  level: ItemLevel;
  top: string;
  rankBy: 'lift' | 'confidence';
  per?: string;
  minGroupSize: string;
  json?: boolean;
}

/**
 * The rules as text; `withheld` rules (of fewer than k customers) are mentioned, not shown, and so are the `lowLift`
 * rules left out for a lift below `minLift`.
 */
export function formatRules(rules: readonly RuleRow[], withheld = 0, k = 5, lowLift = 0, minLift = DEFAULT_MIN_LIFT): string {
  const notes = [
    withheld > 0 ? `${withheld} rule${withheld === 1 ? '' : 's'} bought by fewer than ${k} customers left out (--min-group-size)` : '',
    lowLift > 0 ? `${lowLift} rule${lowLift === 1 ? '' : 's'} of ${lowLiftWords(minLift)} left out (--min-lift)` : '',
  ].filter(Boolean);
  const note = notes.join('\n');
  if (rules.length === 0) return notes.length > 0 ? `no rule at these thresholds and of at least ${k} customers\n${note}` : 'no rules at these thresholds (lower --min-support or --min-confidence)';
  return (
    rules
      .map((r, i) => `${String(i + 1).padStart(3)}. ${r.antecedentLabels.join(' + ')}  ⇒  ${r.consequentLabels.join(' + ')}\n     support ${(100 * r.support).toFixed(2)}% (${r.count.toLocaleString('en-US')} baskets, ${r.customers.toLocaleString('en-US')} customers), confidence ${(100 * r.confidence).toFixed(1)}%, lift ${r.lift.toFixed(1)}`)
      .join('\n') + (note ? `\n${note}` : '')
  );
}

/** customer_id → group label from `table.column` of the warehouse. */
async function readCustomerGroups(warehouse: Warehouse, spec: string): Promise<Map<string, string>> {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(spec);
  if (!match) throw new UserError(`--per ${spec} is not table.column`, 'e.g. --per customer_segments.segment');
  const [, table, column] = match;
  const found = await warehouse.query(`SELECT count(*) AS n FROM information_schema.columns WHERE table_name = ${warehouse.dialect.literal(table!)} AND column_name IN ('customer_id', ${warehouse.dialect.literal(column!)})`);
  if (Number(found[0]!.n) < 2) throw new UserError(`${warehouseName(warehouse, 'the warehouse')} has no table ${table} with columns customer_id and ${column}`, `run clvkit analyze ${warehouseFlags(warehouse, '--db PATH')} first, or name another table.column`);
  const rows = await warehouse.query(`SELECT customer_id, CAST(${warehouse.dialect.identifier(column!)} AS VARCHAR) AS grp FROM ${warehouse.dialect.identifier(table!)}`);
  // one group per customer: with two, the row the engine happened to return last decided it
  const groups = new Map<string, string>();
  for (const row of rows) {
    if (row.grp === null) continue;
    const [customer, group] = [String(row.customer_id), String(row.grp)];
    const held = groups.get(customer);
    if (held !== undefined && held !== group) throw new UserError(`--per ${spec}: customers have more than one ${column} in ${table} (e.g. ${held} and ${group})`, 'name a table with one row per customer, e.g. --per customer_segments.segment');
    groups.set(customer, group);
  }
  return groups;
}

export function rulesCommand(io: CliIo): Command {
  return addEngineOptions(addAccessOptions(addReadOptions(
    new Command('rules')
      .description('“customers who buy A also buy B”: association rules from FP-growth over orders (returns removed)')
      .argument('[file]', 'transaction file (or --db)')
      .option('--db <path>', 'use the transactions of this warehouse')
      .option('--min-support <fraction>', 'minimum share of baskets containing the itemset', '0.01')
      .option('--min-confidence <fraction>', 'minimum confidence of a rule', '0.3')
      .option('--min-lift <lift>', 'minimum lift of a rule, at least 1: rules of lift 1 or less say nothing beyond the popularity of what they recommend and are never shown', String(DEFAULT_MIN_LIFT))
      .option('--max-length <items>', 'largest itemset', '3')
      .addOption(new Option('--level <level>', 'items are products or categories').choices(['product', 'category']).default('product'))
      .addOption(new Option('--rank-by <key>', 'order of the rules').choices(['lift', 'confidence']).default('lift'))
      .option('--top <n>', 'rules to print', '20')
      .option('--per <table.column>', 'rules per group of customers, e.g. --per customer_segments.segment (a table of one group per customer; needs --db with that table)')
      .option('--min-group-size <k>', 'leave out rules bought by fewer than k customers, and with --per the size and rules of groups of fewer than k customers', '5')
      .option('--json', 'print the rules as JSON'),
  ))).action(async (file: string | undefined, flags: RulesFlags) => {
    const { mineRules, mineRulesByGroup } = await loadMining();
    const options = {
      minSupport: fractionFlag(flags.minSupport, '--min-support'),
      minConfidence: fractionFlag(flags.minConfidence, '--min-confidence'),
      minLift: minLiftFlag(flags.minLift, '--min-lift'),
      maxLength: countFlag(flags.maxLength, '--max-length'),
      topRules: countFlag(flags.top, '--top'),
      rankBy: flags.rankBy,
    };
    const k = minGroupSizeFlag(flags.minGroupSize);
    await withEngineInputWarehouse('rules', file, flags, async (warehouse) => {
      const data = await loadPurchaseData(warehouse, { level: flags.level });
      if (flags.per) {
        const groupOf = await readCustomerGroups(warehouse, flags.per);
        const groups = publishGroupRules(mineRulesByGroup(data, groupOf, options), k);
        if (flags.json) io.stdout.write(JSON.stringify({ level: flags.level, per: flags.per, ...options, minGroupSize: k, groups }, null, 2) + '\n');
        else {
          const size = (g: (typeof groups)[number]) =>
            g.customers === null ? `fewer than ${k} customers${g.suppression === 'complementary' ? ' or withheld to protect such a group' : ''} (size suppressed)` : `${g.customers.toLocaleString('en-US')} customers, ${g.baskets!.toLocaleString('en-US')} baskets`;
          io.stdout.write(groups.map((g) => `== ${g.group}: ${size(g)}\n${g.suppression === 'small-group' ? `rules of a group of fewer than ${k} customers are not shown (--min-group-size)` : formatRules(g.rules, g.withheld, k, g.lowLiftRules ?? 0, options.minLift)}`).join('\n\n') + '\n');
        }
        return;
      }
      const mined = mineRules(data, options);
      const { rules, withheld } = publishAssociationRules(mined.rules, k);
      const result = { level: flags.level, baskets: data.basketCustomer.length, items: data.itemCodes.length, frequentItemsets: mined.itemsets, ...options, minGroupSize: k, withheld, lowLiftRules: mined.lowLift, rules };
      io.stdout.write(flags.json ? JSON.stringify(result, null, 2) + '\n' : `${result.baskets.toLocaleString('en-US')} baskets, ${result.items.toLocaleString('en-US')} items, ${mined.itemsets.toLocaleString('en-US')} frequent itemsets\n${formatRules(rules, withheld, k, mined.lowLift, options.minLift)}\n`);
    }, { command: 'rules', warn: warnOn(io) });
  });
}
