/**
 * The inputs of a draw, stored with each audience it drew (`audiences.request`, schema migration 18), so that a run
 * again under the same name with `--idempotent` (the API's `"idempotent": true`) can tell a retry — the same inputs:
 * answered with what is stored, nothing drawn again — from a clash: other inputs, refused naming those that differ.
 * As the HTTP API's Idempotency-Key (batch-receipts.ts): the same request answers the first one's result, another
 * request under the same name is refused. The stored JSON also keeps what the draw matched (`drawn`), which the
 * audience's row does not hold, so that the answer given again is the first one's.
 */
import type { SuppressionCounts } from './suppression-condition.js';

/** One input of a draw: a flag's value (null when not given), or the sorted entries of a group of them (suppression rules). */
export type DrawInput = string | number | boolean | null | { readonly [key: string]: number };

/** The inputs of a draw by name: `audience create`'s flags, or a playbook run's (`what` tells them apart). */
export type DrawInputs = { readonly what: 'audience create' | 'playbook' } & { readonly [key: string]: DrawInput };

/** What the draw matched, kept for the answer given again (`AudienceSummary.matched`, `suppressed`, `meanPredictedClv`). */
export interface DrawnCounts {
  readonly matched: number;
  readonly suppressed: SuppressionCounts;
  readonly meanPredictedClv: number | null;
}

/**
 * The dates a draw resolved: its send date (the one given, else the day after the last transaction) and the day its
 * scores describe the data to. Not given, the send date moves with the data: a later night's run with the same flags,
 * after new data and a new analysis, is another draw — compared with these, not answered as the first night's.
 */
export interface DrawDates {
  readonly sendDate: string;
  readonly scoresAsOf: string | null;
}

export interface StoredDrawRequest {
  readonly inputs: DrawInputs;
  readonly drawn: DrawnCounts;
  /** absent in a request stored before they were kept (the audience's row holds them: send_date, scores_as_of) */
  readonly dates?: DrawDates;
  /** the playbook run that drew it (`runPlaybook`), also in its stored plan (`playbook_runs`): only that run's plan answers it */
  readonly runId?: string;
}

/** The JSON stored in `audiences.request`: keys sorted, so that the same inputs are the same text. */
export function drawRequestText(inputs: DrawInputs, drawn: DrawnCounts, dates: DrawDates, runId?: string): string {
  return JSON.stringify({ inputs: sortedKeys(inputs), drawn, dates, ...(runId === undefined ? {} : { runId }) });
}

/** `audiences.request` read back; null for an audience drawn before it was kept (NULL), or a value not of this shape. */
export function readDrawRequest(value: unknown): StoredDrawRequest | null {
  if (typeof value !== 'string') return null;
  try {
    const parsed = JSON.parse(value) as Partial<StoredDrawRequest>;
    return parsed && typeof parsed.inputs === 'object' && parsed.inputs !== null && typeof parsed.drawn === 'object' ? (parsed as StoredDrawRequest) : null;
  } catch {
    return null;
  }
}

/**
 * The inputs that differ between a stored draw and a new one, each as `name: stored then, given now`; [] when they
 * are the same. A value not given is `not given`. With the dates each resolved (`dates`), a send date not given is
 * shown with the one it resolved to — `not given (2023-12-31)`, differing when the data moved on — and the dates the
 * scores describe are compared last (`scoresAsOf`): the same flags on a later night, after a new analysis, differ.
 *
 * Example: `drawInputDifferences({ what: 'audience create', seed: 1, where: 'TRUE' }, { what: 'audience create', seed: 2, where: 'TRUE' })` → `['seed: 1 then, 2 now']`
 */
export function drawInputDifferences(stored: DrawInputs, given: DrawInputs, dates?: { then: DrawDates; now: DrawDates }): string[] {
  const keys = [...new Set([...Object.keys(stored), ...Object.keys(given)])].sort();
  const shown = (v: DrawInput | undefined) => (v === null || v === undefined ? 'not given' : typeof v === 'object' ? JSON.stringify(sortedKeys(v)) : JSON.stringify(v));
  const shownAs = (key: string, v: DrawInput | undefined, resolved: DrawDates | undefined) => (key === 'sendDate' && resolved && (v === null || v === undefined) ? `not given (${resolved.sendDate})` : shown(v));
  const differences = keys
    .map((key) => ({ key, then: shownAs(key, stored[key], dates?.then), now: shownAs(key, given[key], dates?.now) }))
    .filter((d) => d.then !== d.now)
    .map(({ key, then, now }) => (key === 'what' ? `drawn by ${then} then, ${now} now` : `${key}: ${then} then, ${now} now`));
  if (dates && dates.then.scoresAsOf !== dates.now.scoresAsOf) differences.push(`scoresAsOf: ${shown(dates.then.scoresAsOf)} then, ${shown(dates.now.scoresAsOf)} now`);
  return differences;
}

function sortedKeys<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as T;
}
