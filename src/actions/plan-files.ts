import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvCell } from '../core/csv-cell.js';
import { balanceVerdict, formatAbsSmd, largestAbsSmd, type GroupBalance } from './balance-summary.js';
import { SUPPRESSION_REASONS, type SuppressionCounts, type SuppressionReason } from './suppression-condition.js';

/** The columns of plan.csv taken from a play as they are, in their places of old. */
const COLUMNS = ['play', 'audience', 'channel', 'offer', 'where', 'eligible', 'members', 'treatment', 'control', 'costPerContact', 'expectedCost', 'lift', 'liftSource', 'expectedIncrementalValue', 'expectedRoi', 'file', 'skipped', 'matched'] as const;

/** What plan.csv reads of a play (`PlanRow`, run-playbook.ts, which writes these files). */
type PlanFileRow = Readonly<Record<(typeof COLUMNS)[number], unknown>> & { readonly suppressed: SuppressionCounts; readonly balance: GroupBalance | null };

const reasonColumn = (r: SuppressionReason) => `suppressed${r[0]!.toUpperCase()}${r.slice(1)}`;

/**
 * A play's balance in plan.csv: `balance`, what to filter on (`balanceVerdict`: `within chance`, `beyond chance:
 * prePurchases, …` — redraw before sending — or `not published: …`), and `balanceLargestAbsSmd`, the largest |SMD| as
 * the CLI's line prints it (`0.043`; `inf` where the groups do not overlap at all), to sort or set one's own threshold
 * on (the CLI advises a redraw above 0.25 within chance too). Both empty for a skipped play (nothing drawn) and where no
 * covariate was measured (the largest).
 */
export function planBalanceCells(r: Pick<PlanFileRow, 'balance'>): [string, string] {
  if (r.balance === null) return ['', ''];
  const largest = largestAbsSmd(r.balance);
  return [balanceVerdict(r.balance), largest === null ? '' : Number.isFinite(largest) ? formatAbsSmd(largest) : 'inf'];
}

/**
 * A number that is a short decimal but for float noise in its last digits as that decimal — 579 × 0.05 =
 * 28.950000000000003 → 28.95 — by the rule `summarize` writes its monetary means with: rounded to 10 significant digits
 * when the 11th and 12th are zero; any other value (8917.31044745005) as it is, and anything but a number too.
 */
function withoutFloatNoise(value: unknown): unknown {
  if (typeof value !== 'number' || !Number.isFinite(value) || Number.isInteger(value)) return value;
  const ten = Number(value.toPrecision(10));
  return Number(value.toPrecision(12)) === ten ? ten : value;
}

/**
 * Writes `plan.json` (the plan as returned) and `plan.csv` (a row per play: the columns of `COLUMNS`, then `matched`'s
 * suppressed counts one column per reason, then the balance of its draw, `planBalanceCells`; numbers without float noise,
 * `withoutFloatNoise`) into `outDir`. Columns added
 * later come last, so those before them keep their places.
 */
export function writePlanFiles(outDir: string, plan: { readonly plays: readonly PlanFileRow[] }): void {
  writeFileSync(join(outDir, 'plan.json'), JSON.stringify(plan, null, 2) + '\n');
  const header = [...COLUMNS, ...SUPPRESSION_REASONS.map(reasonColumn), 'balance', 'balanceLargestAbsSmd'];
  const row = (r: PlanFileRow) => [...COLUMNS.map((c) => csvCell(withoutFloatNoise(r[c]))), ...SUPPRESSION_REASONS.map((reason) => String(r.suppressed[reason])), ...planBalanceCells(r).map(csvCell)].join(',');
  writeFileSync(join(outDir, 'plan.csv'), [header.join(','), ...plan.plays.map(row)].join('\n') + '\n');
}
