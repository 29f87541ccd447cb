/**
 * The shapes and words of a balance check of an audience's random control draw (`groupBalance`, group-balance.ts):
 * imports nothing, so that the CLI's formatters read it at start-up without loading the SQL behind it.
 */

/** |SMD| above this is an imbalance (Austin 2009, "Balance diagnostics for comparing the distribution of baseline covariates…", Statistics in Medicine 28). */
export const IMBALANCED_SMD = 0.1;

/**
 * The covariates compared, each measured per member before the send date: `prePurchases` and `preBuyers` (purchases,
 * and whether any, in the pre-period), `preRevenue` (net revenue in it; only with order values), `purchasesToDate` (all
 * history before the send date), `daysSinceLastPurchase` (at the send date; members with a purchase before it only).
 */
export type BalanceCovariateName = 'prePurchases' | 'preBuyers' | 'preRevenue' | 'purchasesToDate' | 'daysSinceLastPurchase';

/** One group's covariate: the members it is measured on, their mean (a share for `preBuyers`) and sample standard deviation. */
export interface BalanceGroup {
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
}

export interface BalanceCovariate {
  readonly name: BalanceCovariateName;
  /** null when withheld (see `withheld`) */
  readonly treatment: BalanceGroup | null;
  readonly control: BalanceGroup | null;
  /**
   * standardised mean difference (mean_t − mean_c) / √((sd_t² + sd_c²) / 2); 0 when both sds are 0 and the means equal;
   * null when withheld, or when both sds are 0 and the means differ (every member of each group alike, the groups
   * apart: no overlap at all, counted as imbalanced and beyond chance)
   */
  readonly smd: number | null;
  /** 1.96 · √(1/n_t + 1/n_c): random assignment keeps this covariate's |SMD| within it 95% of the time at these group sizes (null when withheld) */
  readonly chance95: number | null;
  /**
   * z · √(1/n_t + 1/n_c) with z for 95% over all the covariates measured (Bonferroni: two-sided 0.05 / m; 2.576 for 5):
   * random assignment keeps the largest |SMD| of them within it at least 95% of the time — one of five covariates
   * passes its own `chance95` in up to 23% of random draws (null when withheld)
   */
  readonly jointChance95: number | null;
  /** |SMD| beyond `jointChance95` (or no overlap at all): more than random assignment gives — the draw may not have been random */
  readonly beyondChance: boolean;
  /** why the means are not published: a group below the minimum group size (the k-floor), or no member to measure */
  readonly withheld?: string;
}

/** `balance` of a campaign evaluation (and of `audience create --json`). */
export interface GroupBalance {
  readonly method: string;
  /** days of the pre-period: the days before the send date, as many as the window measured (the audience's measure days at the draw) */
  readonly preDays: number;
  /** the pre-period, both days included: the `preDays` days before the send date */
  readonly preFrom: string;
  readonly preTo: string;
  readonly covariates: readonly BalanceCovariate[];
  /** the covariates with |SMD| > `IMBALANCED_SMD` (or no overlap at all) */
  readonly imbalanced: readonly BalanceCovariateName[];
  /** the covariates `beyondChance` */
  readonly beyondChance: readonly BalanceCovariateName[];
  /** members without a purchase before the send date (prospects, or customers whose first purchase came later), per group: left out of `daysSinceLastPurchase`; null for a count from 1 to k − 1 (the minimum group size: it would single its members out) */
  readonly withoutHistory: { readonly treatment: number | null; readonly control: number | null };
}

/** How a covariate is named in warnings and on the CLI's lines. */
export function balanceLabel(name: BalanceCovariateName, preDays: number): string {
  const pre = `in the ${preDays} day${preDays === 1 ? '' : 's'} before the send date`;
  switch (name) {
    case 'prePurchases':
      return `purchases per customer ${pre}`;
    case 'preBuyers':
      return `share who bought ${pre}`;
    case 'preRevenue':
      return `net revenue per customer ${pre}`;
    case 'purchasesToDate':
      return 'purchases per customer before the send date';
    case 'daysSinceLastPurchase':
      return 'days since the last purchase at the send date';
  }
}

/** |SMD| to three decimals, four where three would not tell it from `IMBALANCED_SMD` (0.1004 is above it): `0.104`, `0.1004`. */
export function formatAbsSmd(smd: number): string {
  const size = Math.abs(smd);
  const three = size.toFixed(3);
  return Number(three) === IMBALANCED_SMD && size !== IMBALANCED_SMD ? size.toFixed(4) : three;
}

/** An SMD signed (`formatAbsSmd`): `+0.104`, `−0.520`. */
export function formatSmd(smd: number): string {
  return `${smd >= 0 ? '+' : '−'}${formatAbsSmd(smd)}`;
}

/** |SMD| above this within chance: `audience create`'s line advises a redraw all the same (a difference that large moves the uplift visibly, chance or not). */
export const REDRAW_SMD = 0.25;

/**
 * The one line of `audience create` and `campaign evaluate` (after `balance`): the largest |SMD| of the covariates
 * measured, which it is, and whether random assignment gives it at these group sizes (`jointChance95`). Beyond chance
 * when any covariate is (one measured on fewer members, days since the last purchase, has a wider range: a smaller
 * |SMD| elsewhere may be beyond chance where the largest is not), naming it, then `advice`. Within chance, the
 * covariates above `IMBALANCED_SMD` as a note, and `largeAdvice` after it where an |SMD| is above `REDRAW_SMD` (at a
 * draw: how to redraw with another seed). Null when no covariate could be measured (all withheld).
 *
 * Example: → `largest |SMD| 0.043 (purchases per customer before the send date) of 5 covariates: within chance (random assignment keeps the largest of 5 within ±0.141 95% of the time at these group sizes)`
 */
export function balanceLine(b: GroupBalance, advice: string, largeAdvice?: string): string | null {
  const measured = b.covariates.filter((c) => c.withheld === undefined);
  if (measured.length === 0) return null;
  const size = (c: BalanceCovariate) => (c.smd === null ? Infinity : Math.abs(c.smd));
  const largest = measured.reduce((a, c) => (size(c) > size(a) ? c : a));
  const label = balanceLabel(largest.name, b.preDays);
  if (largest.smd === null) return `${label}: the groups do not overlap at all (every member of each group alike, the groups apart): beyond chance — ${advice}`;
  const m = measured.length;
  const head = `largest |SMD| ${formatAbsSmd(largest.smd)} (${label}) of ${m} covariate${m === 1 ? '' : 's'}`;
  const chance = (c: BalanceCovariate) => `random assignment keeps ${m === 1 ? 'it' : `the largest of ${m}`} within ±${c.jointChance95!.toFixed(3)} 95% of the time at these group sizes`;
  // the covariate furthest beyond its own range
  const beyond = measured.filter((c) => c.beyondChance);
  if (beyond.length > 0) {
    const worst = beyond.reduce((a, c) => (size(c) / c.jointChance95! > size(a) / a.jointChance95! ? c : a));
    const others = beyond.filter((c) => c !== worst).map((c) => balanceLabel(c.name, b.preDays));
    const too = others.length > 0 ? `; beyond chance too: ${others.join(', ')}` : '';
    if (worst === largest) return `${head}: beyond chance (${chance(largest)})${too} — ${advice}`;
    return `${head} is within chance, but ${balanceLabel(worst.name, b.preDays)} is not: |SMD| ${formatAbsSmd(worst.smd!)}, beyond chance (${chance(worst)})${too} — ${advice}`;
  }
  const above = measured.filter((c) => Math.abs(c.smd!) > IMBALANCED_SMD);
  const line = `${head}: within chance (${chance(largest)})`;
  if (above.length === 0) return line;
  const note = `${line}; above ${IMBALANCED_SMD} on ${above.map((c) => balanceLabel(c.name, b.preDays)).join(', ')}, within chance at these sizes`;
  return largeAdvice !== undefined && Math.abs(largest.smd) > REDRAW_SMD ? `${note} — ${largeAdvice}` : note;
}

/**
 * What the CLI says of a balance (`audience create`, `campaign evaluate`, each play `playbook` draws): `balanceLine`, or,
 * where no covariate could be measured, why not (the first covariate's withheld reason).
 */
export function balanceText(b: GroupBalance, advice: string, largeAdvice?: string): string {
  return balanceLine(b, advice, largeAdvice) ?? `not published: ${b.covariates.find((c) => c.withheld)?.withheld ?? 'no covariate measured'}`;
}

/** The largest |SMD| of the covariates measured (`balanceLine` leads with it): Infinity where the groups do not overlap at all (`smd` null), null when none could be measured (all withheld). */
export function largestAbsSmd(b: GroupBalance): number | null {
  const measured = b.covariates.filter((c) => c.withheld === undefined);
  return measured.length === 0 ? null : Math.max(...measured.map((c) => (c.smd === null ? Infinity : Math.abs(c.smd))));
}

/**
 * A balance in a few words that start with a fixed phrase, to filter on (plan.csv's `balance`): `beyond chance: ` and
 * the covariates beyond it (their names in `covariates`, e.g. `prePurchases, daysSinceLastPurchase`: redraw before
 * sending), `within chance`, or `not published: ` and why where no covariate could be measured (as `balanceText`).
 */
export function balanceVerdict(b: GroupBalance): string {
  if (largestAbsSmd(b) === null) return `not published: ${b.covariates.find((c) => c.withheld)?.withheld ?? 'no covariate measured'}`;
  return b.beyondChance.length > 0 ? `beyond chance: ${b.beyondChance.join(', ')}` : 'within chance';
}

/** The `balance` line of `audience create` and `campaign evaluate` (`balanceText`). */
export function balanceCliLine(b: GroupBalance, advice: string, largeAdvice?: string): string {
  return `  balance    ${balanceText(b, advice, largeAdvice)}`;
}
