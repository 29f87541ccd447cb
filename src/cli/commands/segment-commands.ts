import { Command } from 'commander';
import { computeCohorts } from '../../features/cohorts.js';
import { buildCustomerSummarySql, parseDay } from '../../features/customer-summary.js';
import type { Warehouse } from '../../engine/warehouse.js';
import { assignLifecycleStages } from '../../lifecycle/assign-lifecycle-stages.js';
import { validateLifecycleStages } from '../../lifecycle/validate-lifecycle-stages.js';
import { assignRfmSegments } from '../../segments/assign-rfm-segments.js';
import { assignValueTiers } from '../../segments/assign-value-tiers.js';
import type { CliIo } from '../cli-io.js';
import { withInputWarehouse } from './input-warehouse.js';
import { addReadOptions, type ReadFlags } from './shared-options.js';

interface SegmentFlags extends ReadFlags {
  db?: string;
  asOf?: string;
  holdoutEnd?: string;
  json?: boolean;
}

const pct = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? '—' : `${(100 * v).toFixed(1)}%`);
const money = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: 0 }));

async function resolveAsOf(warehouse: Warehouse, asOf: string | undefined): Promise<string> {
  if (asOf) return parseDay(asOf, '--as-of');
  const [row] = await warehouse.query('SELECT max(ts) AS last FROM transactions WHERE NOT is_return');
  return (row!.last as Date).toISOString().slice(0, 10);
}

async function prepareSummary(warehouse: Warehouse, asOf: string): Promise<void> {
  await warehouse.execute(`CREATE OR REPLACE TABLE customer_summary AS ${buildCustomerSummarySql(warehouse.dialect, { asOf, timeUnit: 'week' })}`);
}

function common(name: string, description: string): Command {
  return addReadOptions(
    new Command(name)
      .description(description)
      .argument('[file]', 'transaction file (or --db)')
      .option('--db <path>', 'use the transactions of this warehouse')
      .option('--as-of <date>', 'last day of the window, YYYY-MM-DD (default: the last purchase day)')
      .option('--json', 'print JSON'),
  );
}

/** `clvkit segments`: RFM named segments and value tiers. */
export function segmentsCommand(io: CliIo): Command {
  return common('segments', 'RFM scores and named segments (Champions … Lost) and value tiers, with size and revenue share').action(async (file: string | undefined, flags: SegmentFlags) => {
    await withInputWarehouse(file, flags, async (warehouse) => {
      const asOf = await resolveAsOf(warehouse, flags.asOf);
      await prepareSummary(warehouse, asOf);
      const rfm = await assignRfmSegments(warehouse, { asOf, scoresTable: null });
      const tiers = await assignValueTiers(warehouse, { asOf, scoresTable: null, basis: 'historic' });
      if (flags.json) return void io.stdout.write(JSON.stringify({ asOf, rfm, valueTiers: tiers }, null, 2) + '\n');
      const lines = [`RFM segments as of ${asOf} (${rfm.customers.toLocaleString('en-US')} customers)`, `${'segment'.padEnd(20)}${'customers'.padStart(10)}${'share'.padStart(8)}${'revenue'.padStart(14)}${'rev. share'.padStart(12)}`];
      for (const s of rfm.segments) lines.push(`${s.name.padEnd(20)}${s.customers.toLocaleString('en-US').padStart(10)}${pct(s.share).padStart(8)}${money(s.revenue).padStart(14)}${pct(s.revenueShare).padStart(12)}`);
      lines.push('', 'value tiers (by net spend to date)');
      for (const t of tiers.tiers) lines.push(`${t.name.padEnd(20)}${t.customers.toLocaleString('en-US').padStart(10)}${pct(t.share).padStart(8)}${money(t.historicValue).padStart(14)}${pct(t.historicValueShare).padStart(12)}`);
      io.stdout.write(lines.join('\n') + '\n');
    });
  });
}

/** `clvkit lifecycle`: stages as of a date, and with a holdout their repurchase rate and spend. */
export function lifecycleCommand(io: CliIo): Command {
  return common('lifecycle', 'lifecycle stages (new, active, reactivated, at_risk, dormant, churned) as of a date; with --holdout-end, how each stage bought afterwards')
    .option('--holdout-end <date>', 'validate: repurchase rate and mean spend of each stage from the day after --as-of to this day')
    .action(async (file: string | undefined, flags: SegmentFlags) => {
      await withInputWarehouse(file, flags, async (warehouse) => {
        const asOf = await resolveAsOf(warehouse, flags.asOf);
        await prepareSummary(warehouse, asOf);
        const stages = await assignLifecycleStages(warehouse, { asOf, scoresTable: null });
        const validation = flags.holdoutEnd ? await validateLifecycleStages(warehouse, { asOf, holdoutEnd: parseDay(flags.holdoutEnd, '--holdout-end') }) : null;
        if (flags.json) return void io.stdout.write(JSON.stringify({ asOf, stages: stages.stages, validation }, null, 2) + '\n');
        const lines = [`lifecycle stages as of ${asOf}${validation ? `, holdout to ${validation.holdoutEnd}` : ''}`, `${'stage'.padEnd(14)}${'customers'.padStart(10)}${'share'.padStart(8)}${validation ? `${'repurchase'.padStart(12)}${'mean spend'.padStart(12)}` : ''}`];
        for (const s of stages.stages) {
          const v = validation?.stages.find((x) => x.stage === s.stage);
          lines.push(`${s.stage.padEnd(14)}${s.customers.toLocaleString('en-US').padStart(10)}${pct(s.share).padStart(8)}${validation ? `${pct(v?.repurchaseRate).padStart(12)}${money(v?.meanHoldoutSpend).padStart(12)}` : ''}`);
        }
        io.stdout.write(lines.join('\n') + '\n');
      });
    });
}

/** `clvkit cohorts`: retention by acquisition month. */
export function cohortsCommand(io: CliIo): Command {
  return common('cohorts', 'acquisition cohorts by first-purchase month: retention by months since acquisition, revenue, value per customer').action(async (file: string | undefined, flags: SegmentFlags) => {
    await withInputWarehouse(file, flags, async (warehouse) => {
      const asOf = await resolveAsOf(warehouse, flags.asOf);
      const cohorts = await computeCohorts(warehouse, { asOf });
      if (flags.json) return void io.stdout.write(JSON.stringify(cohorts, null, 2) + '\n');
      const lines = [`cohorts as of ${asOf}: retention (share of the cohort buying) by month since acquisition`];
      for (const c of cohorts.cohorts) lines.push(`${c.label}  ${String(c.customers).padStart(6)}  ${c.retention.map((r) => (r === null ? '   ' : `${Math.round(100 * r)}`.padStart(3))).join(' ')}`);
      io.stdout.write(lines.join('\n') + '\n');
    });
  });
}
