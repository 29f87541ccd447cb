/**
 * Audit of the lifecycle tables of a published run.json against subtraction:
 * every total a reader knows (or can derive) over stage counts must not hold
 * exactly one withheld count, else "total − shown counts" is that count.
 *
 * Totals checked (conservatively: a margin counts as known when the matrix
 * shows it — a column with all its cells shown, a row with a shown non-zero
 * cell, whose rate gives the row total):
 * - each snapshot: all stages (the customer base) and the buyers' stages (the
 *   customers acquired, the cohorts' running sum);
 * - matrix column X = Σ snapshots 1…T−1 of X; row X = Σ snapshots 0…T−2 of X;
 *   both known: column − row = snapshot T−1 − snapshot 0 of X;
 * - the stages now: all stages (`customers`) and the buyers (rfm, KPIs);
 * - a cohort the cohort table withholds against the buyers' totals of its
 *   month and the month before (`auditCohortsAgainstSnapshots`);
 * - the same count in two tables (the stages now and the last snapshot, the
 *   series and the snapshots) withheld in one and shown in the other.
 */
type Counts = Record<string, number | null>;
interface Snapshot { readonly label: string; readonly day: string; readonly counts: Counts }
export interface AuditedTransitions {
  readonly snapshots: readonly Snapshot[];
  readonly matrix: { readonly from: readonly string[]; readonly to: readonly string[]; readonly counts: readonly (readonly (number | null)[])[] };
  readonly series?: { readonly counts: Readonly<Record<string, readonly (number | null)[]>> };
}
export interface AuditedStagesNow { readonly asOf: string; readonly stages: readonly { readonly stage: string; readonly customers: number | null }[] }

/**
 * One withheld count in a group whose total is known. A sum whose shown counts are all 0 is left out: its total is
 * the withheld count itself, a number the table publishing that total must withhold (a cohort of fewer than k).
 */
const single = (name: string, cells: readonly { readonly at: string; readonly value: number | null }[], sum = true): string[] => {
  const withheld = cells.filter((c) => c.value === null);
  if (sum && cells.every((c) => c.value === null || c.value === 0)) return [];
  return withheld.length === 1 ? [`${name}: only ${withheld[0]!.at} withheld`] : [];
};

export function auditTransitions(t: AuditedTransitions): string[] {
  const leaks: string[] = [];
  const stages = t.matrix.to;
  const T = t.snapshots.length;
  for (const s of t.snapshots) {
    leaks.push(...single(`snapshot ${s.label} total`, stages.map((x) => ({ at: x, value: s.counts[x]! }))));
    leaks.push(...single(`snapshot ${s.label} buyers`, stages.filter((x) => x !== 'prospect').map((x) => ({ at: x, value: s.counts[x]! }))));
  }
  if (T >= 2) {
    stages.forEach((x, b) => {
      const column = t.matrix.counts.map((row) => row[b]!);
      const colKnown = column.every((c) => c !== null);
      const a = t.matrix.from.indexOf(x);
      const row = a < 0 ? [] : t.matrix.counts[a]!;
      const rowKnown = a >= 0 && (row.every((c) => c !== null) || row.some((c) => c !== null && c > 0));
      const cell = (i: number) => ({ at: `${t.snapshots[i]!.label} ${x}`, value: t.snapshots[i]!.counts[x]! });
      if (colKnown) leaks.push(...single(`matrix column ${x}`, t.snapshots.slice(1).map((_, i) => cell(i + 1))));
      if (rowKnown) leaks.push(...single(`matrix row ${x}`, t.snapshots.slice(0, -1).map((_, i) => cell(i))));
      if (colKnown && rowKnown) leaks.push(...single(`matrix column − row ${x}`, [cell(0), cell(T - 1)], false));
    });
  }
  if (t.series) {
    for (const [stage, values] of Object.entries(t.series.counts)) {
      values.forEach((v, i) => {
        if (v !== t.snapshots[i]!.counts[stage]) leaks.push(`series ${stage} ${t.snapshots[i]!.label} = ${v}, snapshot ${t.snapshots[i]!.counts[stage]}`);
      });
    }
  }
  return leaks;
}

export function auditStagesNow(now: AuditedStagesNow, transitions?: AuditedTransitions): string[] {
  const cells = now.stages.map((s) => ({ at: s.stage, value: s.customers }));
  const leaks = [...single('stages now total', cells), ...single('stages now buyers', cells.filter((c) => c.at !== 'prospect'))];
  const last = transitions?.snapshots.at(-1);
  if (last && last.day === now.asOf) {
    for (const s of now.stages) if ((s.customers === null) !== (last.counts[s.stage] === null)) leaks.push(`stage ${s.stage}: stages now ${s.customers}, last snapshot ${last.counts[s.stage]}`);
  }
  return leaks;
}

export interface AuditedCohort { readonly label: string; readonly customers: number | null }

/**
 * A month's acquisition cohort is the buyers at its month end minus the buyers at the month end before (B_t − B_t−1;
 * before the first snapshot, 0 when no cohort is older). A cohort the cohort table withholds must not be that difference
 * of two known buyers' totals: B_t is known from the snapshot (its buyers' stages all shown), from `acquired` (rfm, KPIs) at the
 * last month, or from the cohort table (no withheld cohort up to t, or none after it: the cohorts add up to `acquired`).
 */
export function auditCohortsAgainstSnapshots(t: AuditedTransitions, cohorts: readonly AuditedCohort[]): string[] {
  const T = t.snapshots.length;
  const withheld = cohorts.filter((c) => c.customers === null).map((c) => c.label);
  const buyers = (i: number) => {
    const counts = Object.entries(t.snapshots[i]!.counts).filter(([stage]) => stage !== 'prospect').map(([, v]) => v);
    return counts.every((v) => v !== null) ? counts.reduce((a, v) => a + v!, 0) : null;
  };
  const known = (i: number): boolean => {
    if (i < 0) return !cohorts.some((c) => c.label < t.snapshots[0]!.label);
    const label = t.snapshots[i]!.label;
    return i === T - 1 || buyers(i) !== null || withheld.every((l) => l > label) || withheld.every((l) => l <= label);
  };
  return t.snapshots.flatMap((s, i) => (withheld.includes(s.label) && known(i) && known(i - 1) ? [`cohort ${s.label} = buyers ${s.label} − buyers before`] : []));
}
