/**
 * What the Audiences page says after a draw and under a playbook plan, without the DOM (tests under test/dashboard
 * import it in Node): the balance of each draw in the words `audience create` and `playbook` print (`balanceText`),
 * with how to redraw on the dashboard, and the notes the API answers with the draw.
 */
import { balanceText } from '../../src/actions/balance-summary.js';
import { formatCount } from '../../src/report/format-number.js';
import type { AudienceCreated, PlaybookRun } from '../../src/server/routes/action-answers.js';

/** A line the page shows; `warning` ones prominently (a covariate beyond chance: redraw before sending). */
export interface PageNote {
  readonly text: string;
  readonly warning: boolean;
}

/** How to redraw an audience drawn on the page, as the CLI's line advises it (beyond chance, or |SMD| above 0.25): its Delete button, then another seed. */
export function audienceRedraw(name: string): string {
  return `to redraw before sending: delete ${name} in the Audiences list, then create it again with another seed`;
}

/** How to redraw a playbook run on the page: its audiences' names are taken until all are deleted. */
export const PLAYBOOK_REDRAW = "to redraw before sending: delete this run's audiences in the Audiences list, then run the playbook again with another seed";

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/**
 * After `POST /api/audiences`: what was drawn; the balance of the draw (`balanceText` with `audienceRedraw`) — a warning
 * when a covariate is beyond chance; then each note of the draw (stale scores, a send date the scores run past,
 * customers in a running campaign's control group, why the balance could not be measured…).
 *
 * Example: → `[{ text: 'Created spring: 1,080 to contact, 120 held out.', … }, { text: 'Balance of the draw: largest |SMD| 0.020 (…) of 4 covariates: within chance (…).', warning: false }]`
 */
export function drawNotes(created: AudienceCreated): PageNote[] {
  // an audience of nobody is answered, not stored (its warning, among the notes, says why and what to widen)
  const first = created.members === 0 ? { text: `${created.name} is empty: nobody to draw, and nothing was stored (the note says why).`, warning: true } : { text: `Created ${created.name}: ${formatCount(created.treatment)} to contact, ${formatCount(created.control)} held out.`, warning: false };
  const notes: PageNote[] = [first];
  const b = created.balance;
  if (b) {
    const beyond = b.beyondChance.length > 0;
    const redraw = audienceRedraw(created.name);
    notes.push({ text: sentence(`${beyond ? 'Warning: balance of the draw' : 'Balance of the draw'}: ${balanceText(b, redraw, redraw)}`), warning: beyond });
  }
  for (const note of created.notes) notes.push({ text: sentence(`Note: ${note}`), warning: false });
  return notes;
}

/** A play's balance for the plan table (`balanceText` with `PLAYBOOK_REDRAW`), a warning when beyond chance; null for a skipped play. */
export function playBalance(play: PlaybookRun['plays'][number]): PageNote | null {
  if (!play.balance) return null;
  return { text: balanceText(play.balance, PLAYBOOK_REDRAW, PLAYBOOK_REDRAW), warning: play.balance.beyondChance.length > 0 };
}

/** Under the plan table: why nothing was drawn (the answer's `hint`), a warning naming the plays whose draws are beyond chance (with `PLAYBOOK_REDRAW`), then the run's own notes (said once for all its plays). */
export function planNotes(plan: PlaybookRun): PageNote[] {
  const beyond = plan.plays.filter((p) => p.balance && p.balance.beyondChance.length > 0).map((p) => p.play);
  const notes: PageNote[] = [];
  // a plan that drew nothing: why, and what to change (the answer's `hint`, null when a play was drawn)
  if (plan.hint) notes.push({ text: sentence(plan.hint.replace(/^nothing/, 'Nothing')), warning: true });
  if (beyond.length > 0) {
    const names = beyond.length === 1 ? beyond[0]! : `${beyond.slice(0, -1).join(', ')} and ${beyond.at(-1)}`;
    const [draws, its] = beyond.length === 1 ? ['the draw of', 'its'] : ['the draws of', 'their'];
    notes.push({ text: `Warning: ${draws} ${names} ${beyond.length === 1 ? 'is' : 'are'} beyond chance: ${its} treatment and control groups differed before the send date more than random assignment gives — ${PLAYBOOK_REDRAW}.`, warning: true });
  }
  for (const note of plan.notes) notes.push({ text: sentence(`Note: ${note}`), warning: false });
  return notes;
}
