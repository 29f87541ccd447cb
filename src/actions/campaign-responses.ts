import { parseDay } from '../core/calendar-days.js';
import { UserError } from '../core/errors/user-error.js';
import { idColumnIndex, readActionFileText, splitCsvLine } from './action-file-text.js';
import { estimateShareUplift, type UpliftEstimate } from './estimate-uplift.js';

/** One response or redemption: a customer (token), its day, and whether an offer was redeemed (null: the file does not say). */
export interface CampaignResponse {
  readonly customerId: string;
  readonly date: string;
  readonly redeemed: boolean | null;
}

/** Responses read from a file (`campaign evaluate --responses FILE`). */
export interface CampaignResponses {
  readonly source: string;
  readonly rows: readonly CampaignResponse[];
  /** the file has a `redeemed` column */
  readonly withRedeemed: boolean;
}

/** One group's responses in the window. */
export interface GroupResponses {
  /** customers of the group with at least one response */
  readonly responders: number;
  readonly responseRate: number;
  /** customers of the group with at least one redemption (null without a `redeemed` column) */
  readonly redeemers: number | null;
  readonly redemptionRate: number | null;
}

/** Responses per group: rates, the uplift of the response rate, cost per response and per redemption. */
export interface ResponsesSummary {
  readonly source: string;
  /** rows of the file, those dated in the window, those whose customer is not in the audience (ignored) */
  readonly rows: number;
  readonly inWindow: number;
  readonly notInAudience: number;
  readonly treatment: GroupResponses;
  readonly control: GroupResponses;
  /** response rate, treatment vs control (a control customer may respond without a contact: a visit, a coupon found elsewhere) */
  readonly responseRate: UpliftEstimate;
  /** campaign cost ÷ treated responders, ÷ treated redeemers (null without a cost or without any) */
  readonly costPerResponse: number | null;
  readonly costPerRedemption: number | null;
}

const TRUE = new Set(['1', 'true', 'yes', 'y', 't']);
const FALSE = new Set(['0', 'false', 'no', 'n', 'f', '']);

/**
 * Reads a responses file: CSV (or TSV / `;`) with a header naming
 * `customer_id`, `date` (YYYY-MM-DD, a time after it is ignored) and
 * optionally `redeemed` (1/0, true/false, yes/no; empty = no); ids as in the
 * input data, turned into tokens by `token`. A bad line is a one-line
 * `UserError` naming the line.
 *
 * Example: `readResponsesFile('responses.csv', token)` → `{ rows: [{ customerId: 'c_…', date: '2024-01-04', redeemed: true }, …], withRedeemed: true }`
 */
export function readResponsesFile(path: string, token: (id: string) => string): CampaignResponses {
  const text = readActionFileText(path, '--responses', 'a responses file', 'pass a CSV with the columns customer_id, date[, redeemed]');
  const lines = text.split(/\r?\n/);
  const header = lines[0] ?? '';
  const delimiter = header.includes('\t') ? '\t' : header.includes(';') && !header.includes(',') ? ';' : ',';
  // customer_id also as CustomerID, customer id, id (as an export names it)
  const fields = splitCsvLine(header, delimiter);
  const idAt = idColumnIndex(fields);
  const names = fields.map((n, i) => (i === idAt ? 'customer_id' : n.toLowerCase()));
  const at = (name: string) => names.indexOf(name);
  if (at('customer_id') < 0 || at('date') < 0) {
    // A file without a header has a customer's response as its first line (an id, a date): not quoted.
    const holdsValues = names.some((name) => /[0-9@]/.test(name));
    const first = holdsValues ? `its first line is not quoted: it holds values, not only names; ${names.length} fields` : `its header: ${header.slice(0, 80)}`;
    throw new UserError(`the responses file ${path} has no customer_id and date columns (${first})`, 'the header must name customer_id, date and optionally redeemed');
  }
  const withRedeemed = at('redeemed') >= 0;
  const rows: CampaignResponse[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue;
    const fields = splitCsvLine(lines[i]!, delimiter);
    const id = fields[at('customer_id')] ?? '';
    if (id === '') throw new UserError(`the responses file ${path}, line ${i + 1}: no customer_id`, 'every response names its customer');
    const rawDate = fields[at('date')] ?? '';
    let date: string;
    try {
      date = parseDay(rawDate.slice(0, 10), 'date');
    } catch {
      throw new UserError(`the responses file ${path}, line ${i + 1}: date ${JSON.stringify(rawDate)} is not a date`, 'write dates as YYYY-MM-DD');
    }
    let redeemed: boolean | null = null;
    if (withRedeemed) {
      const value = (fields[at('redeemed')] ?? '').toLowerCase();
      if (TRUE.has(value)) redeemed = true;
      else if (FALSE.has(value)) redeemed = false;
      else throw new UserError(`the responses file ${path}, line ${i + 1}: redeemed is ${JSON.stringify(value)}`, 'write 1 or 0 (true/false, yes/no)');
    }
    rows.push({ customerId: token(id), date, redeemed });
  }
  return { source: path, rows, withRedeemed };
}

/**
 * Responses per group over the window [from, to]: each member responded when
 * a row names them in the window, redeemed when such a row says so; rows of
 * customers outside the audience are counted and ignored.
 */
export function summariseResponses(responses: CampaignResponses, members: ReadonlyMap<string, 'treatment' | 'control'>, window: { readonly from: string; readonly to: string }, cost: number | null): ResponsesSummary {
  const responded = new Set<string>();
  const redeemed = new Set<string>();
  let inWindow = 0;
  let notInAudience = 0;
  for (const r of responses.rows) {
    if (r.date < window.from || r.date > window.to) continue;
    inWindow++;
    if (!members.has(r.customerId)) {
      notInAudience++;
      continue;
    }
    responded.add(r.customerId);
    if (r.redeemed) redeemed.add(r.customerId);
  }
  const group = (g: 'treatment' | 'control') => {
    let n = 0;
    let responders = 0;
    let redeemers = 0;
    for (const [token, assigned] of members) {
      if (assigned !== g) continue;
      n++;
      if (responded.has(token)) responders++;
      if (redeemed.has(token)) redeemers++;
    }
    const summary: GroupResponses = { responders, responseRate: n > 0 ? responders / n : 0, redeemers: responses.withRedeemed ? redeemers : null, redemptionRate: responses.withRedeemed && n > 0 ? redeemers / n : null };
    return { n, summary };
  };
  const t = group('treatment');
  const c = group('control');
  return {
    source: responses.source,
    rows: responses.rows.length,
    inWindow,
    notInAudience,
    treatment: t.summary,
    control: c.summary,
    responseRate: estimateShareUplift({ n: t.n, count: t.summary.responders }, { n: c.n, count: c.summary.responders }),
    costPerResponse: cost !== null && t.summary.responders > 0 ? cost / t.summary.responders : null,
    costPerRedemption: cost !== null && t.summary.redeemers ? cost / t.summary.redeemers : null,
  };
}
