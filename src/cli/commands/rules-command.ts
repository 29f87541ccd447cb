import { Command, Option } from 'commander';
import { loadPurchaseData, type ItemLevel } from '../../features/baskets.js';
import { mineRules, mineRulesByGroup, type RuleRow } from '../../pipeline/patterns-step.js';
import { UserError } from '../../errors/user-error.js';
import type { Warehouse } from '../../engine/warehouse.js';
import type { CliIo } from '../cli-io.js';
import { countFlag, fractionFlag, withInputWarehouse } from './input-warehouse.js';
import { addReadOptions, type ReadFlags } from './shared-options.js';

interface RulesFlags extends ReadFlags {
  db?: string;
  minSupport: string;
  minConfidence: string;
  maxLength: string;
  level: ItemLevel;
  top: string;
  rankBy: 'lift' | 'confidence';
  per?: string;
  json?: boolean;
}

export function formatRules(rules: readonly RuleRow[]): string {
  if (rules.length === 0) return 'no rules at these thresholds (lower --min-support or --min-confidence)';
  return rules
    .map((r, i) => `${String(i + 1).padStart(3)}. ${r.antecedentLabels.join(' + ')}  ⇒  ${r.consequentLabels.join(' + ')}\n     support ${(100 * r.support).toFixed(2)}% (${r.count} baskets), confidence ${(100 * r.confidence).toFixed(1)}%, lift ${r.lift.toFixed(1)}`)
    .join('\n');
}

/** customer_id → group label from `table.column` of the warehouse. */
async function readCustomerGroups(warehouse: Warehouse, spec: string): Promise<Map<string, string>> {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(spec);
  if (!match) throw new UserError(`--per ${spec} is not table.column`, 'e.g. --per customer_segments.segment');
  const [, table, column] = match;
  const found = await warehouse.query(`SELECT count(*) AS n FROM information_schema.columns WHERE table_name = ${warehouse.dialect.literal(table!)} AND column_name IN ('customer_id', ${warehouse.dialect.literal(column!)})`);
  if (Number(found[0]!.n) < 2) throw new UserError(`the warehouse has no table ${table} with columns customer_id and ${column}`, 'run clvkit analyze --db PATH first, or name another table.column');
  const rows = await warehouse.query(`SELECT customer_id, CAST(${warehouse.dialect.identifier(column!)} AS VARCHAR) AS grp FROM ${warehouse.dialect.identifier(table!)}`);
  return new Map(rows.filter((r) => r.grp !== null).map((r) => [String(r.customer_id), String(r.grp)]));
}

export function rulesCommand(io: CliIo): Command {
  return addReadOptions(
    new Command('rules')
      .description('“customers who buy A also buy B”: association rules from FP-growth over orders (returns removed)')
      .argument('[file]', 'transaction file (or --db)')
      .option('--db <path>', 'use the transactions of this warehouse')
      .option('--min-support <fraction>', 'minimum share of baskets containing the itemset', '0.01')
      .option('--min-confidence <fraction>', 'minimum confidence of a rule', '0.3')
      .option('--max-length <items>', 'largest itemset', '3')
      .addOption(new Option('--level <level>', 'items are products or categories').choices(['product', 'category']).default('product'))
      .addOption(new Option('--rank-by <key>', 'order of the rules').choices(['lift', 'confidence']).default('lift'))
      .option('--top <n>', 'rules to print', '20')
      .option('--per <table.column>', 'rules per group of customers, e.g. --per customer_segments.segment (needs --db with that table)')
      .option('--json', 'print the rules as JSON'),
  ).action(async (file: string | undefined, flags: RulesFlags) => {
    const options = {
      minSupport: fractionFlag(flags.minSupport, '--min-support'),
      minConfidence: fractionFlag(flags.minConfidence, '--min-confidence'),
      maxLength: countFlag(flags.maxLength, '--max-length'),
      topRules: countFlag(flags.top, '--top'),
      rankBy: flags.rankBy,
    };
    await withInputWarehouse(file, flags, async (warehouse) => {
      const data = await loadPurchaseData(warehouse, { level: flags.level });
      if (flags.per) {
        const groupOf = await readCustomerGroups(warehouse, flags.per);
        const groups = mineRulesByGroup(data, groupOf, options);
        if (flags.json) io.stdout.write(JSON.stringify({ level: flags.level, per: flags.per, ...options, groups }, null, 2) + '\n');
        else io.stdout.write(groups.map((g) => `== ${g.group}: ${g.customers.toLocaleString('en-US')} customers, ${g.baskets.toLocaleString('en-US')} baskets\n${formatRules(g.rules)}`).join('\n\n') + '\n');
        return;
      }
      const { rules, itemsets } = mineRules(data, options);
      const result = { level: flags.level, baskets: data.basketCustomer.length, items: data.itemCodes.length, frequentItemsets: itemsets, ...options, rules };
      io.stdout.write(flags.json ? JSON.stringify(result, null, 2) + '\n' : `${result.baskets.toLocaleString('en-US')} baskets, ${result.items.toLocaleString('en-US')} items, ${itemsets.toLocaleString('en-US')} frequent itemsets\n${formatRules(rules)}\n`);
    });
  });
}
